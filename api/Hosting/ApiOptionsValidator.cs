using Microsoft.Extensions.Options;

namespace Gordo.Api.Hosting;

public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.GrpcPort is { } grpc && (grpc is < 1 or > 65535 || grpc == options.Port))
        {
            failures.Add($"GORDO_GRPC_PORT must be between 1 and 65535 and differ from GORDO_SERVER_PORT (got {grpc}).");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"GORDO_SERVER_PORT must be between 0 and 65535 (got {options.Port}).");
        }

        if (options.MaxConcurrentFrameWork is < 0 or > 4096)
        {
            failures.Add($"Gordo:Api:MaxConcurrentFrameWork must be between 0 and 4096 (got {options.MaxConcurrentFrameWork}).");
        }

        if (options.AdminFailuresPerMinute is < 1 or > 100_000)
        {
            failures.Add($"Gordo:Api:AdminFailuresPerMinute must be between 1 and 100000 (got {options.AdminFailuresPerMinute}).");
        }

        if (options.MaxFrameBytesInFlight < 0)
        {
            failures.Add($"Gordo:Api:MaxFrameBytesInFlight must not be negative (got {options.MaxFrameBytesInFlight}).");
        }

        if (options.FrameAdmissionTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Gordo:Api:FrameAdmissionTimeout must be positive (got {options.FrameAdmissionTimeout}).");
        }

        if (options.StreamResponsesAboveBytes < 0)
        {
            failures.Add($"Gordo:Api:StreamResponsesAboveBytes must not be negative (got {options.StreamResponsesAboveBytes}).");
        }

        if (options.MaxRequestBytes < 1024)
        {
            failures.Add($"Gordo:Api:MaxRequestBytes must be at least 1024 (got {options.MaxRequestBytes}).");
        }

        if (options.Mode is not ("cohosted" or "gateway"))
        {
            failures.Add($"GORDO_API_MODE must be cohosted or gateway (got '{options.Mode}').");
        }

        if (!ExpectedModels.TryRender(options.ExpectedModels, out _, out var error))
        {
            failures.Add(error!);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
