using System.Diagnostics;
using Prometheus;

namespace Gordo.Silo;

/// <summary>
/// Per-process figures under the names Prometheus client libraries use (<c>process_*</c>, <c>dotnet_*</c>),
/// so the usual dashboards apply: CPU, resident memory, start time, threads, GC and thread pool. They
/// are prometheus-net gauges and counters set just before each scrape.
/// </summary>
public sealed class ProcessInstruments
{
    public ProcessInstruments(IMetricFactory metrics, CollectorRegistry registry)
    {
        var start = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        var cpu = metrics.CreateCounter("process_cpu_seconds_total", "CPU time of the process, user and system.");
        var resident = metrics.CreateGauge("process_resident_memory_bytes", "Resident set size of the process.");
        metrics.CreateGauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch.").Set(start);
        var threads = metrics.CreateGauge("process_threads", "Operating system threads of the process.");
        var fds = metrics.CreateGauge("process_open_fds", "Open file descriptors of the process.");
        var collections = metrics.CreateCounter("dotnet_gc_collections_total", "Garbage collections, by generation.", ["generation"]);
        var heap = metrics.CreateGauge("dotnet_gc_heap_bytes", "Managed heap size after the last collection.");
        var allocated = metrics.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        var paused = metrics.CreateCounter("dotnet_gc_pause_seconds_total", "Time the process spent paused for garbage collection.");
        var poolThreads = metrics.CreateGauge("dotnet_threadpool_threads", "Thread pool threads.");
        var queue = metrics.CreateGauge("dotnet_threadpool_queue_length", "Work items queued on the thread pool.");
        var completed = metrics.CreateCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool completed.");
        registry.AddBeforeCollectCallback(() =>
        {
            using var process = Process.GetCurrentProcess();
            cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
            resident.Set(ResidentBytes());
            threads.Set(process.Threads.Count);
            fds.Set(OpenFileDescriptors());
            for (var generation = 0; generation <= 2; generation++)
            {
                collections.WithLabels(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
            }

            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            paused.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            poolThreads.Set(ThreadPool.ThreadCount);
            queue.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
        });
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
