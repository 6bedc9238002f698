using System.Diagnostics;
using System.Text.Json;
using Gordo.Grains.Onnx;
using Gordo.ModelBuilder.Output;
using Gordo.ModelBuilder.Training;

namespace Gordo.Tests.Builder;

/// <summary>gordo-build: the CLI, CSV training, thresholds by time-series cross-validation, determinism.</summary>
public sealed class ModelBuilderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gordo-build-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void The_cli_builds_a_model_collection_from_the_example_spec()
    {
        var spec = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "examples", "collection.yaml");
        Assert.True(File.Exists(spec), spec);
        var exit = Gordo.ModelBuilder.Program.Main(["collection", "--spec", spec, "--output", _directory]);
        Assert.Equal(0, exit);
        var collection = CollectionSpec.Load(spec);
        foreach (var (revision, models) in collection.Revisions)
        {
            foreach (var model in models)
            {
                foreach (var file in new[] { "model.onnx", "metadata.json", "info.json" })
                {
                    Assert.True(File.Exists(Path.Combine(_directory, revision, model.Name, file)), $"{revision}/{model.Name}/{file}");
                }
            }
        }

        Assert.Contains(collection.Revisions.Values.SelectMany(m => m), m => m.Window is not null);
        Assert.True(collection.Revisions.Count >= 2);
    }

    [Fact]
    public void The_cli_answers_bad_arguments_with_usage_not_a_crash()
    {
        Assert.Equal(2, Gordo.ModelBuilder.Program.Main(["synthetic", "--name", "x"]));
        Assert.Equal(2, Gordo.ModelBuilder.Program.Main(["synthetic", "--name", "x", "--output", _directory, "--rows", "many"]));
        Assert.Equal(2, Gordo.ModelBuilder.Program.Main(["synthetic", "--name", "x", "--output", _directory, "--colour", "blue"]));
        Assert.Equal(1, Gordo.ModelBuilder.Program.Main(["synthetic", "--name", "bad_name", "--output", _directory]));
        Assert.Equal(2, Gordo.ModelBuilder.Program.Main(["fly"]));
    }

    [Fact]
    public void Trains_from_csv_with_target_subset_and_thresholds_from_the_last_fold()
    {
        var csv = Path.Combine(_directory, "data.csv");
        Directory.CreateDirectory(_directory);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string> { "timestamp,a,b,c,d" };
        var random = new Random(3);
        for (var i = 0; i < 800; i++)
        {
            var f = Math.Sin(i / 20.0);
            var g = Math.Cos(i / 33.0);
            var missing = i == 17 ? string.Empty : (2 * f).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add(FormattableString.Invariant($"{start.AddMinutes(10 * i):yyyy-MM-ddTHH:mm:ssZ},{10 + f + (0.01 * random.NextDouble())},{missing},{g},{f - g}"));
        }

        File.WriteAllLines(csv, lines);
        var result = ModelTrainer.Build(new ModelBuildSpec { Name = "from-csv", Csv = csv, Targets = ["a", "d"], Components = 2, Window = 12 }, Path.Combine(_directory, "1"));
        Assert.Equal(799, result.Data.Rows); // the incomplete row is skipped
        Assert.Equal(["a", "d"], result.Targets);
        var detector = result.Detector!;
        Assert.Equal(3, detector.AggregateThresholdsPerFold.Count);
        Assert.Equal(detector.AggregateThresholdsPerFold[^1], detector.AggregateThreshold);
        Assert.Equal(detector.FeatureThresholdsPerFold[^1], detector.FeatureThresholds);
        Assert.Equal(2, detector.FeatureThresholds.Length);

        // TimeSeriesSplit(3) of 799 rows: test blocks of 199, training up to each block.
        Assert.Equal([(202, 202, 401), (401, 401, 600), (600, 600, 799)], detector.Splits);

        // The last fold's aggregate threshold, recomputed here from its own pieces.
        var (trainEnd, testStart, testEnd) = detector.Splits[^1];
        var x = result.Data.Values;
        var foldModel = PcaAutoencoder.Fit(x.SliceRows(0, trainEnd), 2, [0, 3], 0);
        var predicted = foldModel.Predict(x.SliceRows(testStart, testEnd - testStart));
        var y = x.SliceRows(testStart, testEnd - testStart).SelectColumns([0, 3]);
        var scaler = MinMaxScaler.Fit(x.SliceRows(0, trainEnd).SelectColumns([0, 3]));
        var mse = Enumerable.Range(0, predicted.Rows).Select(t =>
            Enumerable.Range(0, 2).Select(j => Math.Pow(((predicted[t, j] - y[t, j]) * scaler.Scale[j]), 2)).Average()).ToArray();
        var expected = Enumerable.Range(5, mse.Length - 5).Select(t => mse[(t - 5)..(t + 1)].Min()).Max();
        Assert.Equal(expected, detector.AggregateThreshold, 1e-12);

        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(result.Directory, "metadata.json")));
        var meta = metadata.RootElement.GetProperty("metadata").GetProperty("build_metadata").GetProperty("model").GetProperty("model_meta");
        Assert.Equal(detector.AggregateThreshold, meta.GetProperty("aggregate-threshold").GetDouble());
        Assert.Equal(12, meta.GetProperty("window").GetInt32());
        Assert.Equal("10T", metadata.RootElement.GetProperty("dataset").GetProperty("resolution").GetString());

        // gordo-core's CSVDataProvider(file_path, timestamp_column, sep), with exactly its arguments.
        var provider = metadata.RootElement.GetProperty("dataset").GetProperty("data_provider");
        Assert.Equal(["type", "file_path", "timestamp_column", "sep"], provider.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("gordo_core.data_providers.contrib.csv_provider.CSVDataProvider", provider.GetProperty("type").GetString());
        Assert.Equal(Path.GetFullPath(csv), provider.GetProperty("file_path").GetString());
        Assert.Equal("timestamp", provider.GetProperty("timestamp_column").GetString());
        Assert.Equal(",", provider.GetProperty("sep").GetString());
    }

    [Fact]
    public void The_same_spec_builds_the_same_model()
    {
        var spec = new ModelBuildSpec { Name = "same", Tags = 4, Seed = 5, Rows = 400 };
        var first = ModelTrainer.Build(spec, Path.Combine(_directory, "a"));
        var second = ModelTrainer.Build(spec, Path.Combine(_directory, "b"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first.Directory, "model.onnx")), File.ReadAllBytes(Path.Combine(second.Directory, "model.onnx")));
        using var session = OnnxSession.Create(OnnxEnvironment.GetOrCreate(new OnnxRuntimeOptions()), File.ReadAllBytes(Path.Combine(first.Directory, "model.onnx")));
        Assert.Equal(4, session.Inputs[0].Shape[1]);
    }

    [Fact]
    public void The_gordo_build_executable_runs()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "gordo-build.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "synthetic", "--output", Path.Combine(_directory, "9"), "--name", "cli-model", "--tags", "3", "--rows", "300", "--model-offset", "2", "--dtype", "float64"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("model_offset 2", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "9", "cli-model", "model.onnx")));
    }
}
