using System.Runtime;

namespace Gordo.Silo.Memory;

/// <summary>
/// Gives a burst of large requests' memory back to the operating system. A 100 000-row request makes
/// arrays of hundreds of MiB; once they are garbage, the server GC keeps the memory committed for the
/// next burst, and after a burst no allocation comes to make it collect. Once no large array has
/// been rented for <see cref="Quiet"/>, this drops the pooled medium and large arrays and runs one
/// aggressive, compacting full collection, which decommits what the heap no longer needs.
/// Steady small-request traffic never triggers it (it rents no large arrays).
/// </summary>
public sealed partial class BurstMemoryTrimmer(ILogger<BurstMemoryTrimmer> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(s_period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (PooledArrays.TrimAfterBurst(Quiet))
            {
                Trim();
            }
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogTrimmed(logger, before >> 20, Environment.WorkingSet >> 20);
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Gave back the memory of a burst of large requests: {BeforeMiB} MiB -> {AfterMiB} MiB resident")]
    private static partial void LogTrimmed(ILogger logger, long beforeMiB, long afterMiB);
}
