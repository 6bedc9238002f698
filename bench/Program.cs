using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Running;
using Gordo.Bench;
using Gordo.ModelBuilder.Output;

// gordo-bench: the measuring tools behind bench/run.sh.
//
//   models  --output <revision dir> [--copies N]        train bench-10 (10 tags) and bench-20 (20 tags), plus N copies of bench-10
//   payload --model <model dir> --rows N --format json|parquet --out <file>   a gordo-client request body; prints its Content-Type
//   load    --url U --path P [--targets a,b | --target-prefix p --target-count N] --body F --content-type T
//           [--connections C] [--duration S] [--warmup S] [--requests N] [--metrics /metrics] [--pid N,...] [--label L] [--json F]
//   table   --results <results.jsonl>                    the markdown table of the median run of each load
//   micro   [BenchmarkDotNet arguments]                  the per-stage micro-benchmarks
var command = args.Length > 0 ? args[0] : "help";
// micro passes its arguments to BenchmarkDotNet untouched.
var options = Arguments.Parse(command == "micro" ? [] : args.Skip(1).ToArray());
switch (command)
{
    case "models":
        {
            var output = options.Required("output");
            var copies = options.Int("copies", 0);
            ModelTrainer.Build(new ModelBuildSpec { Name = "bench-10", Project = "bench", Tags = 10, Seed = 101, Rows = 2000 }, output);
            ModelTrainer.Build(new ModelBuildSpec { Name = "bench-20", Project = "bench", Tags = 20, Seed = 102, Rows = 2000 }, output);
            // The Python reference server's target: its ten tag names, so the same request files go to both servers.
            ModelTrainer.Build(new ModelBuildSpec
            {
                Name = "pyref-anomaly", Project = "pyref", Tags = 10, Seed = 103, Rows = 2000,
                TagNames = [.. Enumerable.Range(0, 10).Select(i => $"TRA-40TT{100 + i:D4}.PV")],
            }, output);
            var source = Path.Combine(output, "bench-10");
            for (var i = 0; i < copies; i++)
            {
                var target = Path.Combine(output, $"bench-10-{i:D4}");
                Directory.CreateDirectory(target);
                foreach (var file in Directory.GetFiles(source))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
                }
            }

            Console.WriteLine($"bench-10, bench-20 and {copies} copies in {output}");
            return 0;
        }

    case "payload":
        {
            using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(options.Required("model"), "metadata.json")));
            var dataset = metadata.RootElement.GetProperty("dataset");
            var tags = dataset.GetProperty("tag_list").EnumerateArray().Select(Tag).ToArray();
            var targets = dataset.TryGetProperty("target_tag_list", out var t) && t.GetArrayLength() > 0 ? t.EnumerateArray().Select(Tag).ToArray() : tags;
            var rows = options.Int("rows", 100);
            var output = options.Required("out");
            var inputName = options.Value("input-name") ?? "X";
            var inputType = options.Value("input-type") ?? "FP32";
            if (options.Value("format") == "v2-json")
            {
                File.WriteAllBytes(output, V2Payloads.Json(inputName, inputType, tags, targets, rows));
                Console.WriteLine("application/json");
            }
            else if (options.Value("format") == "v2-binary")
            {
                var (body, headerLength) = V2Payloads.Binary(inputName, inputType, tags, targets, rows);
                File.WriteAllBytes(output, body);
                Console.WriteLine("application/octet-stream");
                Console.WriteLine($"Inference-Header-Content-Length: {headerLength}");
            }
            else if (options.Value("format") == "v2-grpc")
            {
                File.WriteAllBytes(output, V2Payloads.Grpc(options.Value("model-name") ?? Path.GetFileName(options.Required("model").TrimEnd('/')), inputName, inputType, tags, targets, rows));
                Console.WriteLine("application/grpc");
            }
            else if (options.Value("format") == "parquet")
            {
                var (body, contentType) = Payloads.Parquet(tags, targets, rows);
                File.WriteAllBytes(output, body);
                Console.WriteLine(contentType);
            }
            else
            {
                File.WriteAllBytes(output, Payloads.Json(tags, targets, rows));
                Console.WriteLine("application/json");
            }

            return 0;

            static string Tag(JsonElement tag) => tag.ValueKind == JsonValueKind.String ? tag.GetString()! : tag.GetProperty("name").GetString()!;
        }

    case "load":
        {
            var targets = options.Value("targets")?.Split(',') ?? Enumerable.Range(0, options.Int("target-count", 1))
                .Select(i => options.Required("target-prefix") + i.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
            var load = new LoadOptions(
                options.Value("label") ?? "load", options.Required("url"), options.Required("path"), targets, options.Required("body"),
                options.Value("content-type") ?? "application/json", options.Int("connections", 1), options.Double("duration", 10),
                options.Double("warmup", 2), options.Value("requests") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : null,
                options.Value("metrics"), options.Value("pid")?.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray() ?? [],
                options.Value("header") is { } header ? [header] : null);
            var result = options.Value("grpc") is { } grpc ? await new GrpcLoadDriver(load, grpc, options.Int("grpc-channels", load.Connections)).RunAsync() : await new LoadDriver(load).RunAsync();
            Console.WriteLine(result);
            if (options.Value("json") is { } json)
            {
                File.AppendAllText(json, result.ToJson() + "\n");
            }

            return result.Errors == 0 ? 0 : 1;
        }

    case "table":
        Console.Write(ResultsTable.Markdown(File.ReadAllLines(options.Required("results"))));
        return 0;

    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(Payloads).Assembly).Run(args.Skip(1).ToArray());
        return 0;

    default:
        Console.Error.WriteLine("usage: gordo-bench models|payload|load|micro [options] (see bench/Program.cs and bench/run.sh)");
        return 2;
}
