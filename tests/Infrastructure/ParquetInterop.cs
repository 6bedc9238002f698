using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// Drives <c>tests/interop/parquet-tool.mjs</c>: DuckDB and arrow-rs (parquet-wasm) write fixture files,
/// and DuckDB, arrow-rs and hyparquet read files back and report a digest of every column. The value
/// formulas and the digest are the same as the tool's, so neither side ships value lists.
/// </summary>
public static class ParquetInterop
{
    public static readonly string ToolDirectory = FindToolDirectory();

    /// <summary>The generated value of <paramref name="type"/> at a row (null at every <c>nullEvery</c>-th row).</summary>
    public static double? Number(int row, int column, int nullEvery, string type = "double")
    {
        if (nullEvery > 0 && row % nullEvery == nullEvery - 1)
        {
            return null;
        }

        var grid = ((row * 7919L) + (column * 104729L)) % 100003;
        return type is "int32" or "int64" ? grid - 50000 : (grid / 64.0) - 500;
    }

    public static string? Text(int row, int column, int nullEvery) =>
        nullEvery > 0 && row % nullEvery == nullEvery - 1 ? null : "s" + (((row * 7919L) + (column * 104729L)) % 100003).ToString(CultureInfo.InvariantCulture);

    /// <summary>A column of a fixture: a name, a type (double, float, int32, int64, string, timestamp_ms/us/ns) and its generator.</summary>
    public static JsonObject Column(string name, string type, int column = 0, int nullEvery = 0, long start = 0, long step = 0, string? tz = null, string? encoding = null)
    {
        var spec = new JsonObject
        {
            ["name"] = name,
            ["type"] = type,
            ["generator"] = new JsonObject
            {
                ["column"] = column,
                ["nullEvery"] = nullEvery,
                ["start"] = start.ToString(CultureInfo.InvariantCulture),
                ["step"] = step.ToString(CultureInfo.InvariantCulture),
            },
        };
        if (tz is not null)
        {
            spec["tz"] = tz;
        }

        if (encoding is not null)
        {
            spec["encoding"] = encoding;
        }

        return spec;
    }

    /// <summary>Writes the files that <paramref name="specs"/> describe (each has a path, a writer and options).</summary>
    public static async Task WriteAsync(IEnumerable<JsonObject> specs)
    {
        var input = new JsonObject { ["files"] = new JsonArray([.. specs]) };
        await RunAsync("write", input);
    }

    /// <summary>Reads files with every reader: file → reader → (error | kv + columns with kind, count, nulls, hash[, values]).</summary>
    public static async Task<JsonElement> ReadAsync(IEnumerable<string> paths, bool values = false)
    {
        var input = new JsonObject { ["files"] = new JsonArray([.. paths.Select(p => (JsonNode)p)]), ["values"] = values };
        using var document = JsonDocument.Parse(await RunAsync("read", input));
        return document.RootElement.Clone();
    }

    /// <summary>The tool's digest over values in row order (see parquet-tool.mjs).</summary>
    public sealed class Digest
    {
        private uint _a = 0x811c9dc5, _b = 0x9747b28c;

        public int Count { get; private set; }

        public int Nulls { get; private set; }

        public string Hash => _a.ToString("x8", CultureInfo.InvariantCulture) + _b.ToString("x8", CultureInfo.InvariantCulture);

        public void AddNull()
        {
            Count++;
            Nulls++;
            Byte(0);
        }

        public void AddNumber(double value)
        {
            Count++;
            Byte(1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            foreach (var b in bytes)
            {
                Byte(b);
            }
        }

        public void AddTime(long nanoseconds)
        {
            Count++;
            Byte(1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(bytes, nanoseconds);
            foreach (var b in bytes)
            {
                Byte(b);
            }
        }

        public void AddText(string value)
        {
            Count++;
            Byte(1);
            var utf8 = Encoding.UTF8.GetBytes(value);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)utf8.Length);
            foreach (var b in length)
            {
                Byte(b);
            }

            foreach (var b in utf8)
            {
                Byte(b);
            }
        }

        private void Byte(byte x)
        {
            _a = unchecked((_a ^ x) * 16777619);
            _b = unchecked((_b ^ x) * 16777619);
        }
    }

    private static async Task<string> RunAsync(string command, JsonObject input)
    {
        Assert.True(Directory.Exists(Path.Combine(ToolDirectory, "node_modules")), $"The Parquet interop tools are not installed: run 'npm install' in {ToolDirectory} (test.sh does).");
        return await InteropNode.RunAsync("parquet-tool.mjs", [command], input.ToJsonString());
    }

    private static string FindToolDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "parquet-tool.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/interop/parquet-tool.mjs was not found above " + AppContext.BaseDirectory);
    }
}
