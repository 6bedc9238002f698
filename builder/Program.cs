using System.Globalization;
using Gordo.ModelBuilder.Cli;
using Gordo.ModelBuilder.Onnx;
using Gordo.ModelBuilder.Output;

namespace Gordo.ModelBuilder;

/// <summary><c>gordo-build</c>: trains gordo-compatible ONNX anomaly models and writes model collections.</summary>
public static class Program
{
    private const string Usage = """
        gordo-build: train gordo-compatible anomaly models (MinMax + PCA autoencoder, diff detector) as ONNX.

          gordo-build synthetic --output <revision-dir> --name <target> [options]
          gordo-build csv --csv <file> --output <revision-dir> --name <target> [options]
          gordo-build collection --spec <collection.yaml> --output <collections-root>

        Options (synthetic and csv):
          --project <name>          project name in metadata (gordo-example)
          --tags <n | a,b,c>        synthetic: tag count (6); csv: columns to use (all)
          --targets <a,b>           target tags, a subset of the tags (all)
          --rows <n>                synthetic rows (2000)       --seed <n>         synthetic seed (1)
          --factors <n>             latent factors (3)          --noise <x>        noise level (0.05)
          --start <iso>             first timestamp (2023-01-01T00:00:00Z)
          --resolution <alias>      pandas offset alias (10T)
          --components <k>          PCA components (3)          --model-offset <n> rows the model drops (0)
          --dtype float32|float64   tensor type (float32)
          --window <n>              smoothing window            --smoothing smm|sma|ewma
          --no-detector             plain model (no gordo.anomaly: the anomaly route answers 422)
          --no-thresholds           detector without thresholds
          --no-require-thresholds   detector that does not require thresholds
          --string-tags             write tag_list as strings, not {name, asset} objects
        """;

    private static readonly HashSet<string> s_flags = ["no-detector", "no-thresholds", "no-require-thresholds", "string-tags", "help"];

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var command = args[0];
            var options = new CommandLine(args.Skip(1), s_flags);
            switch (command)
            {
                case "synthetic":
                case "csv":
                    {
                        var spec = ReadSpec(options, command == "csv");
                        var output = options.Required("output");
                        options.RejectUnknown();
                        Report(ModelTrainer.Build(spec, output));
                        return 0;
                    }

                case "collection":
                    {
                        var collection = CollectionSpec.Load(options.Required("spec"));
                        var root = options.Required("output");
                        options.RejectUnknown();
                        foreach (var (revision, models) in collection.Revisions)
                        {
                            foreach (var model in models)
                            {
                                Report(ModelTrainer.Build(model, Path.Combine(root, revision)));
                            }
                        }

                        Console.WriteLine($"MODEL_COLLECTION_DIR={Path.GetFullPath(Path.Combine(root, collection.CurrentRevision))}");
                        return 0;
                    }

                default:
                    throw new UsageException($"Unknown command '{command}'.");
            }
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"gordo-build: {ex.Message}");
            Console.Error.WriteLine("Run 'gordo-build --help' for usage.");
            return 2;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"gordo-build: {ex.Message}");
            return 1;
        }
    }

    private static ModelBuildSpec ReadSpec(CommandLine options, bool csv)
    {
        var spec = new ModelBuildSpec { Name = options.Required("name") };
        spec.Project = options.String("project") ?? spec.Project;
        if (csv)
        {
            spec.Csv = options.Required("csv");
            spec.TagNames = options.List("tags");
        }
        else if (options.String("tags") is { } tags)
        {
            if (int.TryParse(tags, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                spec.Tags = count;
            }
            else
            {
                spec.TagNames = options.List("tags");
                spec.Tags = spec.TagNames!.Length;
            }
        }

        spec.Targets = options.List("targets");
        spec.Rows = options.Int("rows") ?? spec.Rows;
        spec.Seed = (ulong)(options.Int("seed") ?? (int)spec.Seed);
        spec.Factors = options.Int("factors") ?? spec.Factors;
        spec.Noise = options.Double("noise") ?? spec.Noise;
        if (options.String("start") is { } start)
        {
            spec.Start = DateTime.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        spec.Resolution = options.String("resolution") ?? spec.Resolution;
        spec.Components = options.Int("components") ?? spec.Components;
        spec.ModelOffset = options.Int("model-offset") ?? spec.ModelOffset;
        spec.ElementType = options.String("dtype") switch
        {
            null or "float32" or "float" => OnnxDataType.Float,
            "float64" or "double" => OnnxDataType.Double,
            var other => throw new UsageException($"--dtype must be float32 or float64, not '{other}'."),
        };
        spec.Window = options.Int("window");
        spec.Smoothing = options.String("smoothing");
        spec.Detector = !options.Flag("no-detector");
        spec.Thresholds = !options.Flag("no-thresholds");
        spec.RequireThresholds = !options.Flag("no-require-thresholds");
        spec.TagObjects = !options.Flag("string-tags");
        return spec;
    }

    private static void Report(BuildResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"built {result.Directory}: {result.Tags.Length} tags -> {result.Targets.Length} targets, model_offset {result.ModelOffset}, ONNX Runtime check max deviation {result.MaxOnnxDeviation:G3}, {result.Duration.TotalMilliseconds:F0} ms"));
}
