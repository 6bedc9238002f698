namespace Gordo.Api.Gordo;

/// <summary>Deactivates a model's grain wherever it is active (after its files were deleted).</summary>
public interface IModelEvictor
{
    Task EvictAsync(string revision, string target, CancellationToken cancellationToken);
}
