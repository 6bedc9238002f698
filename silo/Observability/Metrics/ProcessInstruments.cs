using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gordo.Silo;

/// <summary>
/// Per-process figures under the names Prometheus client libraries use (<c>process_*</c>, <c>dotnet_*</c>),
/// so the usual dashboards apply: CPU, resident memory, start time, threads, GC and thread pool.
/// </summary>
public sealed class ProcessInstruments
{
    public ProcessInstruments(IMeterFactory meters)
    {
        var meter = meters.Create("Gordo.Process");
        var start = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        meter.CreateObservableCounter("process_cpu_seconds", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, "s", "CPU time of the process, user and system.");
        meter.CreateObservableGauge("process_resident_memory_bytes", () => ResidentBytes(), "By", "Resident set size of the process.");
        meter.CreateObservableGauge("process_start_time_seconds", () => start, "s", "When the process started, in seconds since the Unix epoch.");
        meter.CreateObservableGauge("process_threads", () => Process.GetCurrentProcess().Threads.Count, description: "Operating system threads of the process.");
        meter.CreateObservableGauge("process_open_fds", () => OpenFileDescriptors(), description: "Open file descriptors of the process.");
        meter.CreateObservableCounter("dotnet_gc_collections", () => new[]
        {
            new Measurement<long>(GC.CollectionCount(0), new KeyValuePair<string, object?>("generation", "0")),
            new Measurement<long>(GC.CollectionCount(1), new KeyValuePair<string, object?>("generation", "1")),
            new Measurement<long>(GC.CollectionCount(2), new KeyValuePair<string, object?>("generation", "2")),
        }, description: "Garbage collections, by generation.");
        meter.CreateObservableGauge("dotnet_gc_heap_bytes", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last collection.");
        meter.CreateObservableCounter("dotnet_gc_allocated_bytes", () => GC.GetTotalAllocatedBytes(), "By", "Bytes allocated on the managed heap since the process started.");
        meter.CreateObservableCounter("dotnet_gc_pause_seconds", () => GC.GetTotalPauseDuration().TotalSeconds, "s", "Time the process spent paused for garbage collection.");
        meter.CreateObservableGauge("dotnet_threadpool_threads", () => ThreadPool.ThreadCount, description: "Thread pool threads.");
        meter.CreateObservableGauge("dotnet_threadpool_queue_length", () => ThreadPool.PendingWorkItemCount, description: "Work items queued on the thread pool.");
        meter.CreateObservableCounter("dotnet_threadpool_completed_items", () => ThreadPool.CompletedWorkItemCount, description: "Work items the thread pool completed.");
    }

    /// <summary>Resident set size from /proc (the working set is the same figure on Linux).</summary>
    public static long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return Environment.WorkingSet;
    }

    private static int OpenFileDescriptors()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
