using Microsoft.Extensions.Options;

namespace Gordo.Grains.Onnx;

/// <summary>How Gordo runs ONNX Runtime. Bound from the <c>Gordo:Onnx</c> configuration section
/// (environment: <c>GORDO_ORT_INTRA_OP_THREADS</c>, <c>GORDO_ORT_GLOBAL_THREAD_POOL</c>).</summary>
public sealed class OnnxRuntimeOptions
{
    public const string SectionName = "Gordo:Onnx";

    /// <summary>
    /// Share one process-wide intra-op thread pool between all sessions (default). Without it every
    /// session owns a pool, and a silo with a thousand models would own thousands of threads.
    /// </summary>
    public bool UseGlobalThreadPool { get; set; } = true;

    /// <summary>Intra-op threads: the size of the global pool, or of each session's pool when
    /// <see cref="UseGlobalThreadPool"/> is off. Default: one per core (the calling thread is one of
    /// them). 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>ONNX Runtime's per-session CPU memory arena. Off by default: it keeps freed blocks per
    /// session, which costs more memory than it saves time for thousands of small models.</summary>
    public bool EnableCpuMemArena { get; set; }

    /// <summary>Graph optimisation level: 0 none, 1 basic, 2 extended, 99 all.</summary>
    public int GraphOptimizationLevel { get; set; } = 99;
}

/// <summary>Validates <see cref="OnnxRuntimeOptions"/> at startup.</summary>
public sealed class OnnxRuntimeOptionsValidator : IValidateOptions<OnnxRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxRuntimeOptions options)
    {
        var failures = new List<string>();
        if (options.IntraOpThreads is < 0 or > 1024)
        {
            failures.Add($"Gordo:Onnx:IntraOpThreads must be between 0 and 1024 (got {options.IntraOpThreads}).");
        }

        if (options.GraphOptimizationLevel is not (0 or 1 or 2 or 99))
        {
            failures.Add($"Gordo:Onnx:GraphOptimizationLevel must be 0, 1, 2 or 99 (got {options.GraphOptimizationLevel}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
