using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gordo.Bench;

/// <summary>The markdown table bench/run.sh prints: per load, the run with the median requests/s.</summary>
internal static class ResultsTable
{
    public static string Markdown(IEnumerable<string> jsonLines)
    {
        var runs = jsonLines.Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<LoadResult>(l)!).ToList();
        var table = new StringBuilder()
            .AppendLine("| load | conn | req/s | p50 ms | p99 ms | p99.9 ms | server CPU ms/req | alloc/req | RSS MiB | threads | errors |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in runs.GroupBy(r => (r.Label, r.Connections)))
        {
            var sorted = group.OrderBy(r => r.RequestsPerSecond).ToList();
            var m = sorted[sorted.Count / 2];
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Label} | {m.Connections} | {m.RequestsPerSecond:F1} | {m.P50Ms:F2} | {m.P99Ms:F2} | {m.P999Ms:F2} | {m.CpuMsPerRequest:F2} | {(m.AllocatedBytesPerRequest is { } a ? $"{a / 1024} KiB" : "")} | {(m.ResidentBytes is { } r ? $"{r / (1024 * 1024)}" : "")} | {m.Threads} | {group.Sum(x => x.Errors)} |");
        }

        return table.ToString();
    }
}
