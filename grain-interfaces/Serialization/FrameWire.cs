
namespace Gordo.GrainInterfaces;

/// <summary>Binary encodings of frame indexes, request frames and result frames for silo-to-silo calls.
/// Values travel as raw float64 bytes; decoded frames use pooled arrays (dispose them).</summary>
public static class FrameWire
{
    public static void WriteIndex(WireWriter writer, FrameIndex index)
    {
        writer.WriteByte((byte)index.Kind);
        writer.WriteInt32(index.Count);
        switch (index.Kind)
        {
            case FrameIndexKind.Range:
                writer.WriteInt64(index.RangeStart);
                break;
            case FrameIndexKind.Integer:
                writer.WriteArray(index.Values);
                break;
            default:
                writer.WriteArray(index.Values);
                writer.WriteBoolean(index.IsTimezoneAware);
                if (index.IsTimezoneAware)
                {
                    writer.WriteArray(index.OffsetMinutes);
                }

                break;
        }
    }

    public static FrameIndex ReadIndex(ref WireReader reader)
    {
        var kind = (FrameIndexKind)reader.ReadByte();
        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw new WireFormatException($"A frame index of {count} rows.");
        }

        switch (kind)
        {
            case FrameIndexKind.Range:
                return FrameIndex.Range(count, reader.ReadInt64());
            case FrameIndexKind.Integer:
                return FrameIndex.Integers(ReadPooled<long>(ref reader, count), count);
            case FrameIndexKind.Timestamp:
                {
                    var ticks = ReadPooled<long>(ref reader, count);
                    try
                    {
                        var offsets = reader.ReadBoolean() ? ReadPooled<short>(ref reader, count) : null;
                        return FrameIndex.Timestamps(ticks, offsets, count);
                    }
                    catch
                    {
                        PooledArrays.Return(ticks);
                        throw;
                    }
                }

            default:
                throw new WireFormatException($"Unknown frame index kind {(byte)kind}.");
        }
    }

    public static void WriteDataFrame(WireWriter writer, DataFrame frame)
    {
        WriteStrings(writer, frame.ColumnNames);
        writer.WriteBoolean(frame.HasPositionalColumns);
        WriteIndex(writer, frame.Index);
        writer.WriteArray(frame.Values);
    }

    public static DataFrame ReadDataFrame(ref WireReader reader)
    {
        var names = ReadStrings(ref reader);
        var positional = reader.ReadBoolean();
        var index = ReadIndex(ref reader);
        try
        {
            var values = ReadPooled<double>(ref reader, checked(index.Count * names.Length));
            return new DataFrame(names, positional, index, values);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    public static void WriteResultFrame(WireWriter writer, ResultFrame frame)
    {
        WriteIndex(writer, frame.Index);
        writer.WriteBoolean(frame.Resolution is not null);
        writer.WriteInt64(frame.Resolution?.Ticks ?? 0);
        writer.WriteInt32(frame.Groups.Count);
        foreach (var group in frame.Groups)
        {
            writer.WriteString(group.Name);
            WriteStrings(writer, group.SubNames);
            writer.WriteArray<double>(group.Values);
        }
    }

    public static ResultFrame ReadResultFrame(ref WireReader reader)
    {
        var index = ReadIndex(ref reader);
        var groups = new List<ResultColumnGroup>();
        try
        {
            var hasResolution = reader.ReadBoolean();
            var ticks = reader.ReadInt64();
            var count = reader.ReadInt32();
            if (count < 0 || count > reader.Remaining)
            {
                throw new WireFormatException($"A result frame of {count} groups.");
            }

            for (var g = 0; g < count; g++)
            {
                var name = reader.ReadRequiredString();
                var subNames = ReadStrings(ref reader);
                var length = reader.ReadArrayLength<double>();
                if (length != subNames.Length * index.Count)
                {
                    throw new WireFormatException($"Group '{name}' holds {length} values for {subNames.Length} columns of {index.Count} rows.");
                }

                var group = ResultColumnGroup.Create(name, subNames, index.Count);
                groups.Add(group);
                reader.ReadArrayInto(group.Values);
            }

            return new ResultFrame(index, hasResolution ? TimeSpan.FromTicks(ticks) : null, groups);
        }
        catch
        {
            index.Dispose();
            groups.ForEach(g => g.Dispose());
            throw;
        }
    }

    private static T[] ReadPooled<T>(ref WireReader reader, int expected) where T : unmanaged
    {
        var length = reader.ReadArrayLength<T>();
        if (length != expected)
        {
            throw new WireFormatException($"An array of {length} values where {expected} were expected.");
        }

        var array = PooledArrays.Rent<T>(Math.Max(1, length));
        reader.ReadArrayInto(array.AsSpan(0, length));
        return array;
    }

    private static void WriteStrings(WireWriter writer, string[] values)
    {
        writer.WriteInt32(values.Length);
        foreach (var value in values)
        {
            writer.WriteString(value);
        }
    }

    private static string[] ReadStrings(ref WireReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.Remaining / 4)
        {
            throw new WireFormatException($"A list of {count} names.");
        }

        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadRequiredString();
        }

        return values;
    }
}
