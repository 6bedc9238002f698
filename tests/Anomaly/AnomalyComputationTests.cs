using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gordo.ModelBuilder.Output;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Anomaly;

/// <summary>
/// Every anomaly column over HTTP, checked number by number against <see cref="ExpectedAnomaly"/>
/// computed from the request's y, the response's model output and the detector the builder trained.
/// </summary>
public sealed class AnomalyComputationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData("pump-1", 40, 30)]
    [InlineData("windowed-smm", 500, 25)]
    [InlineData("windowed-sma", 900, 25)]
    [InlineData("windowed-ewma", 10, 25)]
    [InlineData("lookback-3", 300, 15)]
    [InlineData("subset-targets", 700, 10)]
    public async Task Every_column_matches_an_independent_calculation(string name, int start, int rows)
    {
        var build = fixture.Collection.Current(name);
        var data = await PostAsync(name, GordoPayload.FromDataset(build.Data, start, rows, build.Targets), allColumns: true);
        var m = rows - build.ModelOffset;
        var keys = build.Data.TimestampsUtc.Skip(start + build.ModelOffset).Take(m).Select(GordoPayload.Key).ToArray();
        Assert.Equal(keys, data.GetProperty("start").GetProperty("start").EnumerateObject().Select(p => p.Name).ToArray());

        // The model's output: ONNX Runtime's (in the response) against the managed model's.
        var managed = build.Model.Predict(build.Data.Values.SliceRows(start, rows));
        Assert.Equal(m, managed.Rows);
        var q = build.Targets.Length;
        var output = new double[m, q];
        var y = new double[m, q];
        for (var j = 0; j < q; j++)
        {
            var tag = build.Targets[j];
            var column = Array.IndexOf(build.Tags, tag);
            for (var t = 0; t < m; t++)
            {
                output[t, j] = data.GetProperty("model-output").GetProperty(tag).GetProperty(keys[t]).GetDouble();
                y[t, j] = build.Data.Values[start + build.ModelOffset + t, column];
                Assert.Equal(managed[t, j], output[t, j], 1e-3 * Math.Max(1, Math.Abs(managed[t, j])));
            }
        }

        // model-input: the last m rows of X, every tag.
        foreach (var tag in build.Tags)
        {
            var column = Array.IndexOf(build.Tags, tag);
            for (var t = 0; t < m; t++)
            {
                Assert.Equal(build.Data.Values[start + build.ModelOffset + t, column], data.GetProperty("model-input").GetProperty(tag).GetProperty(keys[t]).GetDouble());
            }
        }

        var detector = build.Detector!;
        var scale = detector.Scaler.Scale;
        var min = detector.Scaler.Min;
        var tagScaled = new double[q][];
        var tagUnscaled = new double[q][];
        for (var j = 0; j < q; j++)
        {
            tagScaled[j] = Enumerable.Range(0, m).Select(t => Math.Abs(((output[t, j] * scale[j]) + min[j]) - ((y[t, j] * scale[j]) + min[j]))).ToArray();
            tagUnscaled[j] = Enumerable.Range(0, m).Select(t => Math.Abs(output[t, j] - y[t, j])).ToArray();
            AssertColumn(data, "tag-anomaly-scaled", build.Targets[j], keys, tagScaled[j]);
            AssertColumn(data, "tag-anomaly-unscaled", build.Targets[j], keys, tagUnscaled[j]);
            AssertColumn(data, "anomaly-confidence", build.Targets[j], keys, tagUnscaled[j].Select(v => v / detector.FeatureThresholds[j]).ToArray());
        }

        var totalScaled = Enumerable.Range(0, m).Select(t => ExpectedAnomaly.MeanOfSquares(tagScaled.Select(c => c[t]))).ToArray();
        var totalUnscaled = Enumerable.Range(0, m).Select(t => ExpectedAnomaly.MeanOfSquares(tagUnscaled.Select(c => c[t]))).ToArray();
        AssertColumn(data, "total-anomaly-scaled", "total-anomaly-scaled", keys, totalScaled);
        AssertColumn(data, "total-anomaly-unscaled", "total-anomaly-unscaled", keys, totalUnscaled);
        AssertColumn(data, "total-anomaly-confidence", "total-anomaly-confidence", keys, totalScaled.Select(v => v / detector.AggregateThreshold).ToArray());

        var window = SpecOf(name).Window;
        if (window is null)
        {
            Assert.False(data.TryGetProperty("smooth-total-anomaly-scaled", out _));
            return;
        }

        Func<double[], double[]> smooth = SpecOf(name).Smoothing switch
        {
            "sma" => x => ExpectedAnomaly.RollingMean(x, window.Value),
            "ewma" => x => ExpectedAnomaly.Ewma(x, window.Value),
            _ => x => ExpectedAnomaly.RollingMedian(x, window.Value),
        };
        for (var j = 0; j < q; j++)
        {
            AssertColumn(data, "smooth-tag-anomaly-scaled", build.Targets[j], keys, smooth(tagScaled[j]));
            AssertColumn(data, "smooth-tag-anomaly-unscaled", build.Targets[j], keys, smooth(tagUnscaled[j]));
        }

        AssertColumn(data, "smooth-total-anomaly-scaled", "smooth-total-anomaly-scaled", keys, smooth(totalScaled));
        AssertColumn(data, "smooth-total-anomaly-unscaled", "smooth-total-anomaly-unscaled", keys, smooth(totalUnscaled));
    }

    [Theory]
    [InlineData("windowed-smm", 6, 5)]
    [InlineData("windowed-sma", 5, 4)]
    [InlineData("windowed-ewma", 4, 0)]
    public async Task Smoothed_columns_have_the_window_nan_prefix_and_only_with_all_columns(string name, int window, int nullRows)
    {
        var build = fixture.Collection.Current(name);
        var body = GordoPayload.FromDataset(build.Data, 200, 3 * window, build.Targets);
        var all = await PostAsync(name, body, allColumns: true);
        var values = all.GetProperty("smooth-total-anomaly-scaled").GetProperty("smooth-total-anomaly-scaled").EnumerateObject().Select(p => p.Value).ToArray();
        Assert.Equal(3 * window, values.Length);
        Assert.All(values[..nullRows], v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        Assert.All(values[nullRows..], v => Assert.Equal(JsonValueKind.Number, v.ValueKind));

        var plain = await PostAsync(name, body, allColumns: false);
        Assert.DoesNotContain(plain.EnumerateObject(), p => p.Name.StartsWith("smooth-", StringComparison.Ordinal));

        // all_columns counts by presence: "false" keeps the columns too, as in gordo.
        var response = await fixture.Server.PostJsonAsync($"/gordo/v0/p/{name}/anomaly/prediction?all_columns=false", body);
        var json = await response.JsonAsync(HttpStatusCode.OK);
        Assert.True(json.GetProperty("data").TryGetProperty("smooth-total-anomaly-unscaled", out _));
    }

    [Fact]
    public async Task Lookback_model_aligns_output_with_the_last_rows_of_x_and_y()
    {
        var build = fixture.Collection.Current("lookback-3");
        var data = await PostAsync("lookback-3", GordoPayload.FromDataset(build.Data, 50, 10, build.Targets), allColumns: false);
        var keys = data.GetProperty("model-output").GetProperty(build.Targets[0]).EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(build.Data.TimestampsUtc[53..60].Select(GordoPayload.Key), keys);
        var starts = data.GetProperty("start").GetProperty("start").EnumerateObject().Select(p => p.Value.GetString()).ToArray();
        Assert.Equal(build.Data.TimestampsUtc[53..60].Select(GordoPayload.Iso), starts);
    }

    [Fact]
    public async Task Missing_y_values_are_skipped_in_totals_and_null_in_tag_columns()
    {
        var build = fixture.Collection.Current("pump-1");
        var key = GordoPayload.Key(build.Data.TimestampsUtc[10]);
        var body = JsonNode.Parse(GordoPayload.FromDataset(build.Data, 10, 3, build.Targets))!;
        body["y"]![build.Targets[1]]![key] = null;
        var withNull = body.ToJsonString();

        var data = await PostAsync("pump-1", withNull, allColumns: false);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("tag-anomaly-scaled").GetProperty(build.Targets[1]).GetProperty(key).ValueKind);
        var observed = build.Targets.Where((_, j) => j != 1)
            .Select(t => data.GetProperty("tag-anomaly-scaled").GetProperty(t).GetProperty(key).GetDouble());
        var total = data.GetProperty("total-anomaly-scaled").GetProperty("total-anomaly-scaled").GetProperty(key).GetDouble();
        Assert.Equal(ExpectedAnomaly.MeanOfSquares(observed), total, Tolerance);
    }

    private static ModelBuildSpec SpecOf(string name) => name switch
    {
        "windowed-smm" => new ModelBuildSpec { Window = 6, Smoothing = "smm" },
        "windowed-sma" => new ModelBuildSpec { Window = 5, Smoothing = "sma" },
        "windowed-ewma" => new ModelBuildSpec { Window = 4, Smoothing = "ewma" },
        _ => new ModelBuildSpec(),
    };

    private async Task<JsonElement> PostAsync(string name, string body, bool allColumns)
    {
        var response = await fixture.Server.PostJsonAsync($"/gordo/v0/p/{name}/anomaly/prediction{(allColumns ? "?all_columns=true" : string.Empty)}", body);
        return (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("data");
    }

    private static void AssertColumn(JsonElement data, string group, string column, string[] keys, double[] expected)
    {
        var values = data.GetProperty(group).GetProperty(column);
        for (var t = 0; t < keys.Length; t++)
        {
            var actual = values.GetProperty(keys[t]);
            if (double.IsNaN(expected[t]))
            {
                Assert.True(actual.ValueKind == JsonValueKind.Null, $"{group}/{column}[{keys[t]}]: expected null, got {actual}");
                continue;
            }

            var value = actual.GetDouble();
            Assert.True(Math.Abs(value - expected[t]) <= Tolerance * Math.Max(1, Math.Abs(expected[t])),
                string.Create(CultureInfo.InvariantCulture, $"{group}/{column}[{keys[t]}]: expected {expected[t]:R}, got {value:R}"));
        }
    }
}
