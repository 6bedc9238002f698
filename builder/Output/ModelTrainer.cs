using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Gordo.Grains.Anomaly;
using Gordo.Frames;
using Gordo.Grains.Onnx;
using Gordo.Grains.Store;
using Gordo.ModelBuilder.Data;
using Gordo.ModelBuilder.Onnx;
using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Output;

/// <summary>
/// Trains one model and writes <c>&lt;revision dir&gt;/&lt;name&gt;/{model.onnx, metadata.json, info.json}</c>.
/// Before writing metadata it loads the exported graph in ONNX Runtime and checks that it computes
/// what the managed model computes, so a collection never holds a graph that disagrees with its training.
/// </summary>
public static class ModelTrainer
{
    public static BuildResult Build(ModelBuildSpec spec, string revisionDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        Validate(spec);
        var data = LoadData(spec);
        var targets = spec.Targets ?? data.Tags;
        var targetColumns = targets.Select(t =>
        {
            var at = Array.IndexOf(data.Tags, t);
            return at >= 0 ? at : throw new ArgumentException($"Target '{t}' is not one of the tags ({string.Join(", ", data.Tags)}); a PCA autoencoder reconstructs its inputs.");
        }).ToArray();
        var x = data.Values;
        var y = x.SelectColumns(targetColumns);
        PcaAutoencoder Fit(Matrix rows) => PcaAutoencoder.Fit(rows, spec.Components, targetColumns, spec.ModelOffset);

        var detector = spec.Detector ? DiffDetectorTrainer.Train(x, y, Fit, spec.Window) : null;
        var model = Fit(x);
        var trainingTime = Stopwatch.GetElapsedTime(started);

        var writer = PcaOnnxExporter.Export(model, spec.ElementType, spec.Name);
        if (detector is not null)
        {
            writer.Metadata[AnomalyDetectorSpec.MetadataKey] = AnomalySpecJson(spec, detector);
        }

        var directory = Path.Combine(revisionDirectory, spec.Name);
        Directory.CreateDirectory(directory);
        var onnx = writer.ToBytes();
        var deviation = CheckWithOnnxRuntime(onnx, model, x, spec);
        File.WriteAllBytes(Path.Combine(directory, "model.onnx"), onnx);
        File.WriteAllBytes(Path.Combine(directory, "metadata.json"), MetadataWriter.Write(spec, data, targets, model, detector, trainingTime));
        File.WriteAllText(Path.Combine(directory, "info.json"),
            JsonSerializer.Serialize(new Dictionary<string, string> { ["checksum"] = Convert.ToHexStringLower(SHA512.HashData(onnx)) }));
        return new BuildResult(directory, data.Tags, targets, spec.ModelOffset, deviation, Stopwatch.GetElapsedTime(started), data, model, detector);
    }

    public static string AnomalySpecJson(ModelBuildSpec spec, DetectorFit detector)
    {
        var anomaly = new AnomalyDetectorSpec
        {
            Kind = "diff",
            Scaler = new MinMaxScalerSpec { Min = detector.Scaler.Min, Scale = detector.Scaler.Scale },
            FeatureThresholds = spec.Thresholds ? detector.FeatureThresholds : null,
            AggregateThreshold = spec.Thresholds && double.IsFinite(detector.AggregateThreshold) ? detector.AggregateThreshold : null,
            Window = spec.Window,
            SmoothingMethod = spec.Window is null ? null : spec.Smoothing ?? "smm",
            SmoothFeatureThresholds = spec.Thresholds ? detector.SmoothFeatureThresholds : null,
            SmoothAggregateThreshold = spec.Thresholds && detector.SmoothAggregateThreshold is { } s && double.IsFinite(s) ? s : null,
            RequireThresholds = spec.RequireThresholds,
        };
        return JsonSerializer.Serialize(anomaly, AnomalySpecJsonContext.Default.AnomalyDetectorSpec);
    }

    private static void Validate(ModelBuildSpec spec)
    {
        if (!ModelStore.IsValidTargetName(spec.Name))
        {
            throw new ArgumentException($"Model name '{spec.Name}' must match ^[A-Za-z0-9-]+$.");
        }

        if (!PandasOffset.TryParse(spec.Resolution, out _))
        {
            throw new ArgumentException($"Resolution '{spec.Resolution}' is not a fixed pandas offset (10T, 10min, 1H, 30S, ...).");
        }

        if (spec.Smoothing is not (null or "smm" or "sma" or "ewma"))
        {
            throw new ArgumentException($"Smoothing '{spec.Smoothing}' must be smm, sma or ewma.");
        }

        if (spec.Window is < 1)
        {
            throw new ArgumentException("Window must be at least 1.");
        }

        if (spec.ModelOffset < 0 || spec.Rows < 64 || spec.Tags < 1)
        {
            throw new ArgumentException("Model offset must be >= 0, rows >= 64 and tags >= 1.");
        }
    }

    private static SensorDataset LoadData(ModelBuildSpec spec)
    {
        if (spec.Csv is { } csv)
        {
            return CsvSensorData.Read(csv, spec.TagNames);
        }

        PandasOffset.TryParse(spec.Resolution, out var resolution);
        var tags = spec.TagNames ?? SyntheticSensorData.TagNames(spec.Tags);
        return SyntheticSensorData.Generate(spec.Seed, tags, spec.Rows, DateTime.SpecifyKind(spec.Start, DateTimeKind.Utc), resolution,
            Math.Min(spec.Factors, tags.Length), spec.Noise);
    }

    /// <summary>Runs the exported graph in ONNX Runtime on training rows and returns the largest relative deviation.</summary>
    private static double CheckWithOnnxRuntime(byte[] onnx, PcaAutoencoder model, Matrix x, ModelBuildSpec spec)
    {
        var rows = Math.Min(x.Rows, 256);
        var sample = x.SliceRows(0, rows);
        var expected = model.Predict(sample);
        using var session = OnnxSession.Create(OnnxEnvironment.GetOrCreate(new OnnxRuntimeOptions()), onnx);
        long[] shape = [rows, x.Columns];
        using var tensor = spec.ElementType == OnnxDataType.Double
            ? session.Run<double>(sample.Data, shape)
            : session.Run<float>(sample.Data.Select(v => (float)v).ToArray(), shape);
        if (tensor.Shape.Length != 2 || tensor.Shape[0] != expected.Rows || tensor.Shape[1] != expected.Columns)
        {
            throw new InvalidOperationException($"The exported graph gives shape [{string.Join(", ", tensor.Shape)}]; expected [{expected.Rows}, {expected.Columns}].");
        }

        var actual = new double[tensor.ElementCount];
        tensor.CopyTo(actual);
        var tolerance = spec.ElementType == OnnxDataType.Double ? 1e-9 : 1e-3;
        double worst = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var deviation = Math.Abs(actual[i] - expected.Data[i]) / Math.Max(1, Math.Abs(expected.Data[i]));
            worst = Math.Max(worst, deviation);
        }

        return worst <= tolerance
            ? worst
            : throw new InvalidOperationException($"The exported graph deviates from the trained model by {worst:G3} (tolerance {tolerance:G1}).");
    }
}
