namespace Gordo.Grains.Onnx;

/// <summary>
/// The process's ONNX Runtime environment (<c>OrtEnv</c>), its optional global thread pool, and the
/// CPU memory description used for tensors over caller-owned memory. ONNX Runtime keeps one
/// environment per process, so this is a process-wide singleton: the first caller's settings win and
/// the environment lives until the process exits (it is never released, by design).
/// </summary>
public sealed unsafe class OnnxEnvironment
{
    private static readonly Lock s_lock = new();
    private static OnnxEnvironment? s_shared;

    private OnnxEnvironment(nint env, nint cpuMemoryInfo, nint allocator, bool globalThreadPool, int intraOpThreads)
    {
        Handle = env;
        CpuMemoryInfo = cpuMemoryInfo;
        Allocator = allocator;
        UsesGlobalThreadPool = globalThreadPool;
        IntraOpThreads = intraOpThreads;
    }

    internal nint Handle { get; }

    internal nint CpuMemoryInfo { get; }

    /// <summary>ONNX Runtime's default CPU allocator, for strings it returns (names, metadata).</summary>
    internal nint Allocator { get; }

    public bool UsesGlobalThreadPool { get; }

    /// <summary>Intra-op threads of the global pool, or of each session when there is no global pool.</summary>
    public int IntraOpThreads { get; }

    /// <summary>ONNX Runtime's version string, e.g. "1.30.0".</summary>
    public static string RuntimeVersion => OnnxNative.Version;

    /// <summary>Returns the process's environment, creating it with these options on first use.</summary>
    public static OnnxEnvironment GetOrCreate(OnnxRuntimeOptions options)
    {
        lock (s_lock)
        {
            return s_shared ??= Create(options);
        }
    }

    private static OnnxEnvironment Create(OnnxRuntimeOptions options)
    {
        var api = OnnxNative.Api;
        nint env = 0;
        // C# UTF-8 literals are NUL-terminated, as the C API expects. Log level 2 = warning: ONNX
        // Runtime's informational output would go to stderr, not to our logs.
        fixed (byte* logId = "gordo"u8)
        {
            if (options.UseGlobalThreadPool)
            {
                nint threading = 0;
                api.Check(api.CreateThreadingOptions(&threading));
                try
                {
                    api.Check(api.SetGlobalIntraOpNumThreads(threading, options.IntraOpThreads));
                    api.Check(api.SetGlobalInterOpNumThreads(threading, 1));
                    // Spinning idle pool threads burn CPU that the request threads need.
                    api.Check(api.SetGlobalSpinControl(threading, 0));
                    api.Check(api.CreateEnvWithGlobalThreadPools(2, logId, threading, &env));
                }
                finally
                {
                    api.ReleaseThreadingOptions(threading);
                }
            }
            else
            {
                api.Check(api.CreateEnv(2, logId, &env));
            }
        }

        nint memoryInfo = 0;
        // OrtArenaAllocator (1), OrtMemTypeDefault (0): the conventional description of plain CPU memory.
        api.Check(api.CreateCpuMemoryInfo(1, 0, &memoryInfo));
        nint allocator = 0;
        api.Check(api.GetAllocatorWithDefaultOptions(&allocator));
        return new OnnxEnvironment(env, memoryInfo, allocator, options.UseGlobalThreadPool, options.IntraOpThreads);
    }
}
