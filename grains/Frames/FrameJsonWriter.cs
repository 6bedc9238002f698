using Gordo.Grains.Json;
using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Runtime;

namespace Gordo.Grains.Frames;

/// <summary>
/// Encodes a <see cref="ResultFrame"/> as gordo's <c>dataframe_to_dict</c> + <c>jsonify</c> output:
/// <c>{group: {sub-column: {index key: value}}}</c> with groups and sub-columns sorted, a single
/// unnamed sub-column named after its group (<c>"start": {"start": {...}}</c>), index keys as pandas
/// <c>str(Timestamp)</c> (<c>2020-01-01 00:00:00+00:00</c>) or integers, <c>start</c>/<c>end</c> as ISO
/// strings, and NaN/±inf as null. Index keys are encoded once and reused by every column.
/// </summary>
public static class FrameJsonWriter
{
    private static readonly JsonEncodedText s_data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText s_start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText s_end = JsonEncodedText.Encode("end");
    private static readonly JsonEncodedText s_timeSeconds = JsonEncodedText.Encode("time-seconds");
    private static readonly JsonEncodedText s_revision = JsonEncodedText.Encode("revision");

    /// <summary>Writes <c>{"data": ..., ["time-seconds": ...,] "revision": ...}</c>.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, ResultFrame frame, string? timeSeconds, string revision)
    {
        using var writer = new Utf8JsonWriter(output, GordoJson.UncheckedWriterOptions);
        writer.WriteStartObject();
        writer.WritePropertyName(s_data);
        WriteFrame(writer, frame);
        if (timeSeconds is not null)
        {
            writer.WriteString(s_timeSeconds, timeSeconds);
        }

        writer.WriteString(s_revision, revision);
        writer.WriteEndObject();
    }

    /// <summary>gordo's <c>time-seconds</c>: elapsed seconds with four decimals, as a string.</summary>
    public static string FormatTimeSeconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F4", CultureInfo.InvariantCulture);

    public static void WriteFrame(Utf8JsonWriter writer, ResultFrame frame)
    {
        var rows = frame.RowCount;
        var keys = PooledArrays.Rent<JsonEncodedText>(Math.Max(1, rows));
        try
        {
            EncodeKeys(frame.Index, keys.AsSpan(0, rows));
            var entries = new List<(string Name, int Group)>(frame.Groups.Count + 2)
            {
                ("start", -1),
                ("end", -2),
            };
            for (var g = 0; g < frame.Groups.Count; g++)
            {
                entries.Add((frame.Groups[g].Name, g));
            }

            entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            writer.WriteStartObject();
            foreach (var (name, g) in entries)
            {
                switch (g)
                {
                    case -1:
                        WriteTimes(writer, s_start, frame, keys.AsSpan(0, rows), end: false);
                        break;
                    case -2:
                        WriteTimes(writer, s_end, frame, keys.AsSpan(0, rows), end: true);
                        break;
                    default:
                        WriteGroup(writer, frame.Groups[g], keys.AsSpan(0, rows));
                        break;
                }
            }

            writer.WriteEndObject();
        }
        finally
        {
            PooledArrays.Return(keys, clearArray: true);
        }
    }

    private static void EncodeKeys(FrameIndex index, Span<JsonEncodedText> keys)
    {
        Span<byte> buffer = stackalloc byte[IsoTimestamp.MaxFormattedLength];
        for (var row = 0; row < keys.Length; row++)
        {
            int length;
            if (index.Kind == FrameIndexKind.Timestamp)
            {
                length = IsoTimestamp.FormatKey(index.GetClock(row), OffsetOf(index, row), buffer);
            }
            else
            {
                index.GetInteger(row).TryFormat(buffer, out length, default, CultureInfo.InvariantCulture);
            }

            keys[row] = JsonEncodedText.Encode(buffer[..length], JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }
    }

    private static int? OffsetOf(FrameIndex index, int row) => index.IsTimezoneAware ? index.OffsetMinutes[row] : null;

    private static void WriteTimes(Utf8JsonWriter writer, JsonEncodedText name, ResultFrame frame, ReadOnlySpan<JsonEncodedText> keys, bool end)
    {
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        writer.WritePropertyName(name);
        writer.WriteStartObject();
        var index = frame.Index;
        var timestamps = index.Kind == FrameIndexKind.Timestamp && (!end || frame.Resolution is not null);
        Span<byte> buffer = stackalloc byte[IsoTimestamp.MaxFormattedLength];
        for (var row = 0; row < keys.Length; row++)
        {
            writer.WritePropertyName(keys[row]);
            if (!timestamps)
            {
                writer.WriteNullValue();
                continue;
            }

            var clock = index.GetClock(row);
            if (end)
            {
                var ticks = clock.Ticks + frame.Resolution!.Value.Ticks;
                if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                {
                    writer.WriteNullValue();
                    continue;
                }

                clock = new DateTime(ticks);
            }

            writer.WriteStringValue(buffer[..IsoTimestamp.FormatIso(clock, OffsetOf(index, row), buffer)]);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter writer, ResultColumnGroup group, ReadOnlySpan<JsonEncodedText> keys)
    {
        writer.WritePropertyName(group.Name);
        writer.WriteStartObject();
        var subNames = group.SubNames;
        Span<int> order = subNames.Length <= 256 ? stackalloc int[subNames.Length] : new int[subNames.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length > 1)
        {
            order.Sort((a, b) => string.CompareOrdinal(subNames[a], subNames[b]));
        }

        foreach (var column in order)
        {
            writer.WritePropertyName(group.IsSingleColumn ? group.Name : subNames[column]);
            writer.WriteStartObject();
            var values = group.Column(column);
            for (var row = 0; row < keys.Length; row++)
            {
                writer.WritePropertyName(keys[row]);
                var value = values[row];
                if (double.IsFinite(value))
                {
                    writer.WriteNumberValue(value);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
