using System.Text.Json;
using Gordo.ModelBuilder.Output;

namespace Gordo.Tests.Infrastructure;

/// <summary>Rows of a test model's dataset as V2 tensors (X and y, row-major), and the gordo anomaly
/// route's answer for the same rows, column group by column group, for comparing the two protocols.</summary>
public sealed class V2Rows
{
    public V2Rows(BuildResult build, int start, int count)
    {
        Build = build;
        Start = start;
        Count = count;
        X = Matrix(build, build.Tags, start, count);
        Y = Matrix(build, build.Targets, start, count);
    }

    public BuildResult Build { get; }

    public int Start { get; }

    public int Count { get; }

    /// <summary>[Count, tags], row-major.</summary>
    public double[] X { get; }

    /// <summary>[Count, targets], row-major.</summary>
    public double[] Y { get; }

    /// <summary>The same rows through gordo's <c>/anomaly/prediction</c>: group → row-major values (rows in timestamp order).</summary>
    public async Task<Dictionary<string, double[]>> GordoAnomalyAsync(GordoServerHost server, string model)
    {
        var body = GordoPayload.FromDataset(Build.Data, Start, Count, Build.Targets);
        var json = await (await server.PostJsonAsync($"/gordo/v0/p/{model}/anomaly/prediction", body)).JsonAsync(System.Net.HttpStatusCode.OK);
        // "data": {group: {sub-column: {timestamp: value}}} (a single column repeats the group's name).
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var group in json.GetProperty("data").EnumerateObject())
        {
            // gordo sorts the keys: put the sub-columns back in tag (or target) order.
            var named = group.Value.EnumerateObject().ToArray();
            var order = named.Length == Build.Targets.Length && group.Name != "model-input" ? Build.Targets : named.Length == Build.Tags.Length ? Build.Tags : null;
            var columns = (order is null ? named : [.. named.OrderBy(c => Array.IndexOf(order, c.Name))]).Select(c => c.Value).ToArray();
            var times = columns[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            var values = new double[times.Length * columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                for (var r = 0; r < times.Length; r++)
                {
                    var cell = columns[c].GetProperty(times[r]);
                    values[(r * columns.Length) + c] = cell.ValueKind == JsonValueKind.Number ? cell.GetDouble() : double.NaN;
                }
            }

            result[group.Name] = values;
        }

        return result;
    }

    private static double[] Matrix(BuildResult build, string[] columns, int start, int count)
    {
        var data = build.Data;
        var values = new double[count * columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var source = Array.IndexOf(data.Tags, columns[c]);
            for (var r = 0; r < count; r++)
            {
                values[(r * columns.Length) + c] = data.Values[start + r, source];
            }
        }

        return values;
    }
}
