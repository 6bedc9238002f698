using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Grains.Onnx;
using Gordo.Grains.Activations;
using Gordo.Silo.Cluster;
using Microsoft.Extensions.Options;

namespace Gordo.Silo;

/// <summary>This process's diagnostics, versions and liveness as control operations: each silo answers
/// <c>diagnostics</c>, <c>stacks</c>, <c>version</c> and <c>ping</c> for itself when they are broadcast.</summary>
public sealed class SiloDiagnostics(ModelActivations activations, ILocalSiloDetails local, IOptions<GordoSiloOptions> options, ManagedStackSampler sampler)
{
    public const string Diagnostics = "diagnostics";
    public const string Stacks = "stacks";
    public const string Version = "version";
    public const string Ping = "ping";

    public static VersionReport Versions { get; } = new(GordoVersion.Current, GordoVersion.Commit, OnnxEnvironment.RuntimeVersion,
        RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription);

    public Task<StackReport> CaptureStacksAsync(CancellationToken cancellationToken) => sampler.CaptureAsync(cancellationToken);

    public DiagnosticsReport Report()
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var sampled = Stopwatch.GetTimestamp();
        Thread.Sleep(100); // a short window for a current CPU figure
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(sampled).TotalSeconds * 100;
        var gc = GC.GetGCMemoryInfo();
        var grains = ActivationControlHandlers.Reports(activations).ToList();
        return new DiagnosticsReport(
            local.SiloAddress.ToString(),
            options.Value.Name,
            new ProcessFigures(Environment.ProcessId, (DateTime.Now - process.StartTime).TotalSeconds, ProcessInstruments.ResidentBytes(),
                process.TotalProcessorTime.TotalSeconds, Math.Round(cpu, 1), process.Threads.Count, Environment.ProcessorCount),
            new GcFigures(GC.GetTotalMemory(forceFullCollection: false), gc.HeapSizeBytes, gc.TotalCommittedBytes, gc.FragmentedBytes, GC.GetTotalAllocatedBytes(),
                [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], GC.GetTotalPauseDuration().TotalSeconds,
                gc.PauseTimePercentage, gc.MemoryLoadBytes, gc.TotalAvailableMemoryBytes),
            new ThreadPoolFigures(ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount),
            grains);
    }

    public sealed class DiagnosticsHandler(SiloDiagnostics diagnostics) : ISiloControlHandler
    {
        public string Operation => Diagnostics;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(diagnostics.Report(), SiloJsonContext.Default.DiagnosticsReport));
    }

    public sealed class StacksHandler(SiloDiagnostics diagnostics) : ISiloControlHandler
    {
        public string Operation => Stacks;

        public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            JsonSerializer.SerializeToUtf8Bytes(await diagnostics.CaptureStacksAsync(cancellationToken).ConfigureAwait(false), SiloJsonContext.Default.StackReport);
    }

    public sealed class VersionHandler : ISiloControlHandler
    {
        public string Operation => Version;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(Versions, SiloJsonContext.Default.VersionReport));
    }

    public sealed class PingHandler : ISiloControlHandler
    {
        public string Operation => Ping;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) => ValueTask.FromResult("pong"u8.ToArray());
    }
}
