using Microsoft.Extensions.Options;

namespace Gordo.Api.Hosting;

/// <summary><c>EXPECTED_MODELS</c> rendered once as JSON (validated at startup by <see cref="ApiOptionsValidator"/>).</summary>
public sealed class ExpectedModelsDocument
{
    public ExpectedModelsDocument(IOptions<ApiOptions> options)
    {
        ExpectedModels.TryRender(options.Value.ExpectedModels, out var json, out _);
        Json = json;
    }

    public byte[] Json { get; }
}
