using System.Globalization;
using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;
using Gordo.Frames;

namespace Gordo.Bench.Micro;

/// <summary>
/// The frames the micro-benchmarks work on, as a request of <c>rows × tags</c> arrives and its anomaly
/// response leaves: the gordo client's JSON body, the decoded X and y, a model output, and the anomaly
/// response frame gordo returns (55 columns for 10 tags).
/// </summary>
internal sealed class MicroFrames : IDisposable
{
    public MicroFrames(int rows, int tags)
    {
        Rows = rows;
        Tags = [.. Enumerable.Range(0, tags).Select(t => $"TRA-40TT{100 + t:D4}.PV")];
        Body = Payloads.Json(Tags, Tags, rows);
        Request = FrameJsonReader.ReadRequest(Body);
        // A model output near y, as an autoencoder gives.
        Output = new double[rows * tags];
        var y = Request.Y!.Values;
        for (var i = 0; i < Output.Length; i++)
        {
            Output[i] = y[i] + (0.01 * Math.Sin(i));
        }

        Detector = CreateDetector(tags);
        Response = AnomalyResponse();
    }

    public int Rows { get; }

    public string[] Tags { get; }

    /// <summary>The request body: <c>{"X": {tag: {timestamp: value}}, "y": ...}</c>.</summary>
    public byte[] Body { get; }

    public RequestFrames Request { get; }

    /// <summary>Model output, row-major rows × tags.</summary>
    public double[] Output { get; }

    public DiffAnomalyDetector Detector { get; }

    /// <summary>gordo's anomaly response frame for this request.</summary>
    public ResultFrame Response { get; }

    /// <summary>The response frame as the model grain builds it: input, output and the anomaly groups.</summary>
    public ResultFrame AnomalyResponse()
    {
        var x = Request.X;
        var groups = new List<ResultColumnGroup>(12);
        var input = ResultColumnGroup.Create("model-input", Tags, Rows);
        var output = ResultColumnGroup.Create("model-output", Tags, Rows);
        var q = Tags.Length;
        for (var c = 0; c < q; c++)
        {
            var inColumn = input.Column(c);
            var outColumn = output.Column(c);
            for (var r = 0; r < Rows; r++)
            {
                inColumn[r] = x.Values[(r * q) + c];
                outColumn[r] = Output[(r * q) + c];
            }
        }

        groups.Add(input);
        groups.Add(output);
        AnomalyFrameBuilder.AddAnomalyGroups(Detector, Output, Request.Y!.Values, Rows, Tags, includeSmoothed: false, groups);
        return new ResultFrame(x.Index.Tail(Rows), TimeSpan.FromMinutes(10), groups);
    }

    private static DiffAnomalyDetector CreateDetector(int tags)
    {
        static string Array(int n, Func<int, double> value) =>
            "[" + string.Join(",", Enumerable.Range(0, n).Select(i => value(i).ToString("R", CultureInfo.InvariantCulture))) + "]";
        var json = $$"""{"kind":"diff","scaler":{"min":{{Array(tags, i => -0.5 - (i * 0.01))}},"scale":{{Array(tags, i => 0.02 + (i * 0.001))}}},"feature_thresholds":{{Array(tags, i => 0.5 + (i * 0.1))}},"aggregate_threshold":1.5}""";
        return DiffAnomalyDetector.TryParse(json, tags, out var detector, out var error) ? detector! : throw new InvalidOperationException(error);
    }

    public void Dispose()
    {
        Request.Dispose();
        Response.Dispose();
    }
}
