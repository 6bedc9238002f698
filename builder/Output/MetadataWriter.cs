using System.Globalization;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.ModelBuilder.Data;
using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Output;

/// <summary>Writes a gordo-shaped metadata.json (<c>Machine.to_dict()</c> plus build metadata).</summary>
internal static class MetadataWriter
{
    public static byte[] Write(ModelBuildSpec spec, SensorDataset data, string[] targets, PcaAutoencoder model, DetectorFit? detector, TimeSpan trainingTime)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var asset = $"{spec.Project}-asset";
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            w.WriteString("project_name", spec.Project);

            w.WriteStartObject("dataset");
            w.WriteString("type", "TimeSeriesDataset");
            w.WriteStartObject("data_provider");
            w.WriteString("type", data.Provider.Type);
            foreach (var (name, value) in data.Provider.Arguments)
            {
                switch (value)
                {
                    case int number:
                        w.WriteNumber(name, number);
                        break;
                    default:
                        w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            w.WriteEndObject();
            WriteTags(w, "tag_list", data.Tags, spec.TagObjects, asset);
            WriteTags(w, "target_tag_list", targets, spec.TagObjects, asset);
            w.WriteString("resolution", spec.Resolution);
            w.WriteString("train_start_date", Iso(data.TimestampsUtc[0]));
            w.WriteString("train_end_date", Iso(data.TimestampsUtc[^1]));
            w.WriteString("row_filter", string.Empty);
            w.WriteString("aggregation_methods", "mean");
            w.WriteString("asset", asset);
            w.WriteNumber("n_samples_threshold", 0);
            w.WriteEndObject();

            w.WriteStartObject("model");
            w.WriteStartObject(detector is null && !spec.Detector ? "sklearn.pipeline.Pipeline" : "gordo.machine.model.anomaly.diff.DiffBasedAnomalyDetector");
            w.WriteStartObject("base_estimator");
            w.WriteStartObject("sklearn.pipeline.Pipeline");
            w.WriteStartArray("steps");
            w.WriteStringValue("sklearn.preprocessing.MinMaxScaler");
            w.WriteStartObject();
            w.WriteStartObject("gordo.ModelBuilder.PcaAutoencoder");
            w.WriteNumber("n_components", spec.Components);
            w.WriteNumber("model_offset", spec.ModelOffset);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("scaler", "sklearn.preprocessing.MinMaxScaler");
            WriteNullable(w, "window", spec.Window);
            if (spec.Window is not null)
            {
                w.WriteString("smoothing_method", spec.Smoothing ?? "smm");
            }
            else
            {
                w.WriteNull("smoothing_method");
            }

            w.WriteBoolean("require_thresholds", spec.RequireThresholds);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("metadata");
            w.WriteStartObject("user_defined");
            w.WriteStartObject("global-metadata");
            w.WriteEndObject();
            w.WriteStartObject("machine-metadata");
            w.WriteString("built-by", "gordo-build");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("build_metadata");
            WriteModelMetadata(w, spec, model, detector, trainingTime);
            WriteDatasetMetadata(w, data, asset);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("runtime");
            w.WriteStartArray("reporters");
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("evaluation");
            w.WriteString("cv_mode", "full_build");
            w.WriteStartArray("metrics");
            foreach (var metric in new[] { "explained_variance_score", "r2_score", "mean_squared_error", "mean_absolute_error" })
            {
                w.WriteStringValue(metric);
            }

            w.WriteEndArray();
            w.WriteString("scoring_scaler", "sklearn.preprocessing.MinMaxScaler");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteModelMetadata(Utf8JsonWriter w, ModelBuildSpec spec, PcaAutoencoder model, DetectorFit? detector, TimeSpan trainingTime)
    {
        w.WriteStartObject("model");
        w.WriteNumber("model_offset", spec.ModelOffset);
        w.WriteString("model_creation_date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
        w.WriteString("model_builder_version", GordoVersion.Current);
        w.WriteNumber("model_training_duration_sec", Math.Round(trainingTime.TotalSeconds, 6));
        w.WriteStartObject("cross_validation");
        if (detector is not null)
        {
            w.WriteStartObject("scores");
            foreach (var (metric, folds) in detector.ScoresPerFold)
            {
                w.WriteStartObject(metric);
                w.WriteNumber("fold-mean", folds.Average());
                w.WriteNumber("fold-std", Std(folds));
                w.WriteNumber("fold-max", folds.Max());
                w.WriteNumber("fold-min", folds.Min());
                for (var i = 0; i < folds.Count; i++)
                {
                    w.WriteNumber($"fold-{i + 1}", folds[i]);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteNumber("cv_duration_sec", Math.Round(detector.Duration.TotalSeconds, 6));
            w.WriteStartObject("splits");
            for (var i = 0; i < detector.Splits.Count; i++)
            {
                var (trainEnd, testStart, testEnd) = detector.Splits[i];
                w.WriteNumber($"fold-{i + 1}-n-train", trainEnd);
                w.WriteNumber($"fold-{i + 1}-n-test", testEnd - testStart);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("model_meta");
        if (detector is not null && spec.Thresholds)
        {
            WriteArray(w, "feature-thresholds", detector.FeatureThresholds);
            WriteNumberOrNull(w, "aggregate-threshold", detector.AggregateThreshold);
            WriteFolds(w, "feature-thresholds-per-fold", detector.FeatureThresholdsPerFold);
            w.WriteStartObject("aggregate-thresholds-per-fold");
            for (var i = 0; i < detector.AggregateThresholdsPerFold.Count; i++)
            {
                WriteNumberOrNull(w, $"fold-{i}", detector.AggregateThresholdsPerFold[i]);
            }

            w.WriteEndObject();
            if (spec.Window is not null)
            {
                WriteArray(w, "smooth-feature-thresholds", detector.SmoothFeatureThresholds ?? []);
                WriteNumberOrNull(w, "smooth-aggregate-threshold", detector.SmoothAggregateThreshold ?? double.NaN);
                WriteFolds(w, "smooth-feature-thresholds-per-fold", detector.SmoothFeatureThresholdsPerFold);
                w.WriteStartObject("smooth-aggregate-thresholds-per-fold");
                for (var i = 0; i < detector.SmoothAggregateThresholdsPerFold.Count; i++)
                {
                    WriteNumberOrNull(w, $"fold-{i}", detector.SmoothAggregateThresholdsPerFold[i]);
                }

                w.WriteEndObject();
            }
        }

        WriteNullable(w, "window", spec.Window);
        if (spec.Window is not null)
        {
            w.WriteString("smoothing-method", spec.Smoothing ?? "smm");
        }

        w.WriteString("scaler", "MinMaxScaler()");
        w.WriteString("base_estimator", $"Pipeline(steps=[('step_0', MinMaxScaler()), ('step_1', PcaAutoencoder(n_components={spec.Components}))])");
        w.WriteStartArray("explained-variance");
        foreach (var value in model.ExplainedVariance)
        {
            w.WriteNumberValue(value);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteDatasetMetadata(Utf8JsonWriter w, SensorDataset data, string asset)
    {
        w.WriteStartObject("dataset");
        w.WriteNumber("query_duration_sec", 0.0);
        w.WriteStartObject("dataset_meta");
        // What data.Provider stands for: the real source of the training rows.
        w.WriteString("data_source", data.Source);
        w.WriteStartObject("tag_loading_metadata");
        w.WriteStartObject("tags");
        foreach (var tag in data.Tags)
        {
            w.WriteStartObject(tag);
            w.WriteString("name", tag);
            w.WriteString("asset", asset);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("aggregate_metadata");
        w.WriteNumber("rows", data.Rows);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("train_start_date_actual", Iso(data.TimestampsUtc[0]));
        w.WriteString("train_end_date_actual", Iso(data.TimestampsUtc[^1]));
        w.WriteStartObject("summary_statistics");
        for (var c = 0; c < data.Tags.Length; c++)
        {
            var column = data.Values.Column(c);
            w.WriteStartObject(data.Tags[c]);
            w.WriteNumber("mean", column.Average());
            w.WriteNumber("std", Std(column));
            w.WriteNumber("min", column.Min());
            w.WriteNumber("max", column.Max());
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter w, string name, string[] tags, bool asObjects, string asset)
    {
        w.WriteStartArray(name);
        foreach (var tag in tags)
        {
            if (asObjects)
            {
                w.WriteStartObject();
                w.WriteString("name", tag);
                w.WriteString("asset", asset);
                w.WriteEndObject();
            }
            else
            {
                w.WriteStringValue(tag);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteFolds(Utf8JsonWriter w, string name, List<double[]> folds)
    {
        w.WriteStartObject(name);
        for (var i = 0; i < folds.Count; i++)
        {
            WriteArray(w, $"fold-{i}", folds[i]);
        }

        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                w.WriteNumberValue(value);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00";

    private static double Std(IReadOnlyCollection<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
