using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Symbols;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Stacks;

namespace Gordo.Silo;

/// <summary>
/// Captures the managed stack of every thread of this process, as <c>dotnet-stack</c> does from
/// outside: a short EventPipe session through the runtime's diagnostics IPC with the sample profiler
/// and method rundown, read back with TraceEvent. One capture at a time (it costs a few hundred
/// milliseconds). Where the runtime's diagnostics IPC is off (<c>DOTNET_EnableDiagnostics=0</c>),
/// the report lists the threads from /proc with their names and states, and says why there are no stacks.
/// </summary>
public sealed class ManagedStackSampler
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<StackReport> CaptureAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var threads = await Task.Run(() => Capture(cancellationToken), cancellationToken).ConfigureAwait(false);
            return new StackReport("eventpipe-sample", Stopwatch.GetElapsedTime(started).TotalMilliseconds, threads);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException or InvalidOperationException)
        {
            return new StackReport("proc-threads", Stopwatch.GetElapsedTime(started).TotalMilliseconds, ProcThreads(),
                $"Managed stacks need the runtime's diagnostics IPC (DOTNET_EnableDiagnostics): {ex.Message}");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private static List<ThreadStack> Capture(CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        List<EventPipeProvider> providers =
        [
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.Default),
        ];
        var trace = Path.Combine(Path.GetTempPath(), $"gordo-stacks-{Environment.ProcessId}-{Guid.NewGuid():N}.nettrace");
        try
        {
            using (var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 64))
            {
                var copy = Task.Run(async () =>
                {
                    await using var file = File.Create(trace);
                    await session.EventStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }, cancellationToken);
                Thread.Sleep(50); // long enough for one sample of every thread
                session.Stop();
                copy.Wait(TimeSpan.FromSeconds(30), cancellationToken);
            }

            var etlx = TraceLog.CreateFromEventPipeDataFile(trace);
            try
            {
                using var log = new TraceLog(etlx);
                var stacks = new MutableTraceEventStackSource(log) { OnlyManagedCodeStacks = true };
                new SampleProfilerThreadTimeComputer(log, new SymbolReader(TextWriter.Null)).GenerateThreadTimeStacks(stacks);
                var firstSample = new Dictionary<int, StackSourceCallStackIndex>();
                stacks.ForEach(sample =>
                {
                    var (threadId, _) = ThreadOf(stacks, sample.StackIndex);
                    firstSample.TryAdd(threadId, sample.StackIndex);
                });
                var names = ThreadNames();
                return [.. firstSample.OrderBy(kv => kv.Key).Select(kv => new ThreadStack(kv.Key, names.GetValueOrDefault(kv.Key), Frames(stacks, kv.Value)))];
            }
            finally
            {
                File.Delete(etlx);
            }
        }
        finally
        {
            File.Delete(trace);
        }
    }

    private static (int ThreadId, StackSourceCallStackIndex Root) ThreadOf(StackSource stacks, StackSourceCallStackIndex index)
    {
        while (index != StackSourceCallStackIndex.Invalid)
        {
            var name = stacks.GetFrameName(stacks.GetFrameIndex(index), false);
            if (name.StartsWith("Thread (", StringComparison.Ordinal))
            {
                var end = name.IndexOf(')', StringComparison.Ordinal);
                return (int.TryParse(name.AsSpan(8, end - 8).Trim(), out var id) ? id : -1, index);
            }

            index = stacks.GetCallerIndex(index);
        }

        return (-1, index);
    }

    private static List<string> Frames(StackSource stacks, StackSourceCallStackIndex index)
    {
        var frames = new List<string>();
        while (index != StackSourceCallStackIndex.Invalid && frames.Count < 200)
        {
            var name = stacks.GetFrameName(stacks.GetFrameIndex(index), false);
            if (name.StartsWith("Thread (", StringComparison.Ordinal))
            {
                break;
            }

            if (name is not ("UNMANAGED_CODE_TIME" or "CPU_TIME"))
            {
                frames.Add(name);
            }

            index = stacks.GetCallerIndex(index);
        }

        return frames;
    }

    /// <summary>Thread names as the OS knows them (.NET sets them from Thread.Name, cut to 15 characters).</summary>
    private static Dictionary<int, string> ThreadNames()
    {
        var names = new Dictionary<int, string>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (int.TryParse(Path.GetFileName(task), out var id))
                {
                    names[id] = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return names;
    }

    private static List<ThreadStack> ProcThreads()
    {
        var threads = new List<ThreadStack>();
        foreach (var (id, name) in ThreadNames().OrderBy(kv => kv.Key))
        {
            string state;
            try
            {
                state = File.ReadLines($"/proc/self/task/{id}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal))?[6..].Trim() ?? "unknown";
            }
            catch (IOException)
            {
                state = "gone";
            }

            threads.Add(new ThreadStack(id, name, [$"(state: {state})"]));
        }

        return threads;
    }
}
