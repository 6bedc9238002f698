using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace Gordo.Grains.Onnx;

/// <summary>
/// The process's ONNX Runtime environment (<see cref="OrtEnv"/>) and its optional global thread pool.
/// ONNX Runtime keeps one environment per process, so this is a process-wide singleton: the first
/// caller's settings win and the environment lives until the process exits. With the global pool,
/// sessions own no threads (1 000 sessions, one pool); its threads do not spin while idle, because
/// spinning burns the CPU the request threads need. Telemetry is off.
/// </summary>
public sealed class OnnxEnvironment
{
    private static readonly Lock s_lock = new();
    private static OnnxEnvironment? s_shared;

    private OnnxEnvironment(OrtEnv env, bool globalThreadPool, int intraOpThreads)
    {
        Env = env;
        UsesGlobalThreadPool = globalThreadPool;
        IntraOpThreads = intraOpThreads;
    }

    internal OrtEnv Env { get; }

    public bool UsesGlobalThreadPool { get; }

    /// <summary>Intra-op threads of the global pool, or of each session when there is no global pool.</summary>
    public int IntraOpThreads { get; }

    /// <summary>ONNX Runtime's version string, e.g. "1.31.1" (read without creating the environment).</summary>
    public static string RuntimeVersion
    {
        get
        {
            lock (s_lock)
            {
                if (s_shared is { } shared)
                {
                    return shared.Env.GetVersionString();
                }
            }

            return typeof(OrtEnv).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        }
    }

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
        // Warning level: ONNX Runtime's informational output would go to stderr, not to our logs.
        var creation = new EnvironmentCreationOptions { logId = "gordo", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING };
        OrtThreadingOptions? threading = null;
        if (options.UseGlobalThreadPool)
        {
            threading = new OrtThreadingOptions
            {
                GlobalIntraOpNumThreads = options.IntraOpThreads,
                GlobalInterOpNumThreads = 1,
                GlobalSpinControl = false,
            };
            creation.threadOptions = threading;
        }

        try
        {
            var env = OrtEnv.CreateInstanceWithOptions(ref creation);
            // Otherwise ONNX Runtime writes telemetry (under $HOME/.cache on Linux).
            env.DisableTelemetryEvents();
            return new OnnxEnvironment(env, options.UseGlobalThreadPool, options.IntraOpThreads);
        }
        finally
        {
            threading?.Dispose();
        }
    }
}
