using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Parquet;

/// <summary>
/// Seeded truncations, bit flips and byte overwrites of valid files from three writers (Gordo's,
/// DuckDB's, arrow-rs'): each one decodes or is a 400 <see cref="FrameFormatException"/>, with bounded
/// time and allocations, in process and over HTTP.
/// </summary>
public sealed class ParquetFuzzTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>The most a single case may allocate: the frame cell limit in float64 plus one page.</summary>
    private const long MaxAllocatedBytes = (FrameJsonReader.MaxCells * 8L) + (64L << 20);

    [Fact(Timeout = 300_000)]
    public async Task Thousands_of_damaged_files_are_400s_never_crashes_or_hangs()
    {
        var seeds = await SeedFilesAsync();
        var random = new Random(20261122);
        var cases = 0;
        var refused = 0;
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        foreach (var (name, seed) in seeds)
        {
            for (var i = 0; i < 800; i++)
            {
                var damaged = Damage(seed, random);
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                try
                {
                    using var frame = FrameParquetReader.Read(damaged, "X");
                }
                catch (FrameFormatException ex)
                {
                    Assert.Equal(400, ex.StatusCode);
                    Assert.True(ex.Message.StartsWith("Cannot read the Parquet file 'X': ", StringComparison.Ordinal)
                        || ex.Message.StartsWith("Server does not support multi-level dataframes", StringComparison.Ordinal), ex.Message);
                    refused++;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name} case {i} ({damaged.Length} bytes) threw {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }

                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                cases++;
            }
        }

        Assert.True(cases >= 3000, $"{cases} cases");
        Assert.True(refused > cases / 2, $"Only {refused} of {cases} damaged files were refused; the damage is too mild to test anything.");
        Assert.True(mostAllocated <= MaxAllocatedBytes, $"A case allocated {mostAllocated} bytes.");
        Assert.True(slowest < TimeSpan.FromSeconds(10), $"A case took {slowest} (a hang guard, not a speed target).");
    }

    [Fact(Timeout = 300_000)]
    public async Task Damaged_files_sent_to_the_server_are_400_json_answers()
    {
        var seeds = await SeedFilesAsync();
        var build = fixture.Collection.Current("pump-1");
        var y = PandasParquet.FromDataset(build.Data, 0, 10, build.Targets);
        var random = new Random(42);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 600; i++)
        {
            var (_, seed) = seeds[i % seeds.Count];
            using var content = PandasParquet.Multipart(Damage(seed, random), y);
            var response = await fixture.Server.Client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", content, TestContext.Current.CancellationToken);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Anything not answered is a client error with a JSON body; a 500 fails here.
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"case {i}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 300, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        // The server is still well.
        using var valid = PandasParquet.Multipart(PandasParquet.FromDataset(build.Data, 0, 10, build.Data.Tags), y);
        await (await fixture.Server.Client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", valid, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Truncation, 1–8 flipped bits, a run of random bytes (often in the footer), or a spliced length field.</summary>
    private static byte[] Damage(byte[] seed, Random random)
    {
        var file = (byte[])seed.Clone();
        switch (random.Next(5))
        {
            case 0:
                return file[..random.Next(0, file.Length)];
            case 1:
                for (var flips = random.Next(1, 9); flips > 0; flips--)
                {
                    var at = random.Next(file.Length);
                    file[at] ^= (byte)(1 << random.Next(8));
                }

                return file;
            case 2:
                {
                    // The footer and page headers are where sizes live: aim at the last quarter half the time.
                    var from = random.Next(2) == 0 ? random.Next(file.Length * 3 / 4, file.Length) : random.Next(file.Length);
                    var length = Math.Min(random.Next(1, 16), file.Length - from);
                    random.NextBytes(file.AsSpan(from, length));
                    return file;
                }

            case 3:
                {
                    // A varint-looking run of 0xFF (huge sizes and counts) somewhere in the metadata.
                    var from = random.Next(file.Length * 3 / 4, Math.Max(file.Length * 3 / 4 + 1, file.Length - 8));
                    var length = Math.Min(random.Next(1, 6), file.Length - from);
                    file.AsSpan(from, length).Fill(0xFF);
                    return file;
                }

            default:
                {
                    // Keep the magic and the footer length, damage one byte of the footer.
                    var footerLength = BitConverter.ToInt32(file, file.Length - 8);
                    var at = file.Length - 8 - random.Next(1, Math.Max(2, footerLength));
                    file[Math.Max(4, at)] = (byte)random.Next(256);
                    return file;
                }
        }
    }

    /// <summary>Valid files: a response from Gordo's writer, and request frames from DuckDB and arrow-rs in several layouts.</summary>
    private static async Task<List<(string Name, byte[] File)>> SeedFilesAsync()
    {
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-fuzz-").FullName;
        var tags = new[] { "tag-0", "tag-1", "tag-2" };
        JsonObject Spec(string name, string writer, string compression, int version, bool dictionary) => new()
        {
            ["path"] = Path.Combine(directory, name),
            ["writer"] = writer,
            ["rows"] = 200,
            ["compression"] = compression,
            ["pageVersion"] = version,
            ["dictionary"] = dictionary,
            ["pageSize"] = 600,
            ["columns"] = new JsonArray(
                ParquetInterop.Column("tag-0", "double", 0, 7),
                ParquetInterop.Column("tag-1", "int32", 1, 0),
                ParquetInterop.Column("tag-2", "double", 2, 0),
                ParquetInterop.Column("__index_level_0__", "timestamp_ns", start: 1_577_836_800_000_000_000, step: 600_000_000_000, tz: "UTC")),
            ["kv"] = new JsonObject { ["pandas"] = PandasMetadata.ForFrame(tags, "datetimetz") },
        };
        var specs = new[]
        {
            Spec("duckdb-snappy-v1.parquet", "duckdb", "snappy", 1, true),
            Spec("duckdb-gzip-v2.parquet", "duckdb", "gzip", 2, true),
            Spec("arrow-plain-v1.parquet", "arrow", "uncompressed", 1, false),
            Spec("arrow-dict-v2.parquet", "arrow", "lz4_raw", 2, true),
            Spec("arrow-brotli-v2.parquet", "arrow", "brotli", 2, false),
        };
        await ParquetInterop.WriteAsync(specs);
        var seeds = specs.Select(s => (Path.GetFileName((string)s["path"]!), File.ReadAllBytes((string)s["path"]!))).ToList();

        using var frame = ParquetWriterInteropTests.Frame(50, FrameIndexKind.Timestamp, aware: true, tags: 3);
        var output = new ArrayBufferWriter<byte>();
        FrameParquetWriter.Write(output, frame);
        seeds.Add(("gordo-response.parquet", output.WrittenSpan.ToArray()));

        // A request frame with nulls (single-level columns, so its pages get decoded too).
        var columns = tags.Select((t, c) => (TestColumn)new DoubleColumn(t, [.. Enumerable.Range(0, 100).Select(r => ParquetInterop.Number(r, c, 9))])).ToList();
        seeds.Add(("request.parquet", ParquetFiles.Write(columns, PandasMetadata.ForFrame(tags, "range", rows: 100))));
        return seeds;
    }
}
