namespace Gordo.Frames.Parquet;

/// <summary>
/// Parquet's RLE / bit-packed hybrid encoding (definition levels and dictionary indices): runs of one
/// repeated value, or groups of eight values bit-packed least significant bit first.
/// </summary>
internal static class RleBitPackedHybrid
{
    /// <summary>
    /// Decodes exactly <c>output.Length</c> values of <paramref name="bitWidth"/> bits from
    /// <paramref name="data"/>; returns the bytes consumed. A run longer than what is left is cut.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new ParquetFormatException($"Invalid bit width {bitWidth} in RLE/bit-packed data.");
        }

        var position = 0;
        var produced = 0;
        var valueBytes = (bitWidth + 7) / 8;
        while (produced < output.Length)
        {
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var count = header >> 1;
                if (valueBytes > data.Length - position)
                {
                    throw Truncated();
                }

                var value = 0;
                for (var i = 0; i < valueBytes; i++)
                {
                    value |= data[position + i] << (8 * i);
                }

                position += valueBytes;
                var take = (int)Math.Min(count, (ulong)(output.Length - produced));
                output.Slice(produced, take).Fill(value);
                produced += take;
            }
            else
            {
                var groups = header >> 1;
                var bytes = groups * (ulong)bitWidth; // groups of 8 values × bitWidth bits = bitWidth bytes per group
                if (bytes > (ulong)(data.Length - position))
                {
                    // Writers pad the last group; a short final run is tolerated only for the values still wanted.
                    var wanted = (ulong)(output.Length - produced);
                    if (wanted > groups * 8 || (((wanted * (ulong)bitWidth) + 7) / 8) > (ulong)(data.Length - position))
                    {
                        throw Truncated();
                    }

                    bytes = (ulong)(data.Length - position);
                }

                var values = (int)Math.Min(groups * 8, (ulong)(output.Length - produced));
                Unpack(data.Slice(position, (int)bytes), bitWidth, output.Slice(produced, values));
                position += (int)bytes;
                produced += values;
            }
        }

        return position;
    }

    /// <summary>Encodes values of <paramref name="bitWidth"/> bits: runs of 8 or more as RLE, the rest bit-packed in groups of 8.</summary>
    public static void Encode(ReadOnlySpan<int> values, int bitWidth, List<byte> output)
    {
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i);
            if (run >= 8)
            {
                WriteVarint(output, (ulong)run << 1);
                for (var b = 0; b < (bitWidth + 7) / 8; b++)
                {
                    output.Add((byte)(values[i] >> (8 * b)));
                }

                i += run;
                continue;
            }

            // Whole groups of eight (only the very last may be short, padded with zeros) until a long run starts.
            var start = i;
            var groups = 0;
            while (i < values.Length && (groups == 0 || RunLength(values, i) < 8))
            {
                i = Math.Min(i + 8, values.Length);
                groups++;
            }

            WriteVarint(output, ((ulong)groups << 1) | 1);
            ulong buffer = 0;
            var bits = 0;
            for (var v = start; v < start + (groups * 8); v++)
            {
                buffer |= (v < i ? (ulong)(uint)values[v] : 0) << bits;
                bits += bitWidth;
                while (bits >= 8)
                {
                    output.Add((byte)buffer);
                    buffer >>= 8;
                    bits -= 8;
                }
            }
        }
    }

    private static int RunLength(ReadOnlySpan<int> values, int start)
    {
        var run = 1;
        while (start + run < values.Length && values[start + run] == values[start])
        {
            run++;
        }

        return run;
    }

    /// <summary>Unpacks <c>output.Length</c> values of <paramref name="bitWidth"/> bits, LSB first.</summary>
    public static void Unpack(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }

        ulong buffer = 0;
        var bits = 0;
        var position = 0;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        for (var i = 0; i < output.Length; i++)
        {
            while (bits < bitWidth)
            {
                buffer |= (ulong)(position < data.Length ? data[position] : 0) << bits;
                position++;
                bits += 8;
            }

            output[i] = (int)((uint)buffer & mask);
            buffer >>= bitWidth;
            bits -= bitWidth;
        }
    }

    internal static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Truncated();
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ParquetFormatException("A variable-length integer in a page is too long.");
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }

        output.Add((byte)value);
    }

    private static ParquetFormatException Truncated() => new("RLE/bit-packed data ends too early.");
}
