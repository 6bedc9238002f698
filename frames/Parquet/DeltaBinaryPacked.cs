namespace Gordo.Frames.Parquet;

/// <summary>
/// Parquet's DELTA_BINARY_PACKED encoding (integers and timestamps in v2 pages, and the lengths of the
/// DELTA_*_BYTE_ARRAY encodings): a header, then blocks of a minimum delta and bit-packed miniblocks.
/// </summary>
internal static class DeltaBinaryPacked
{
    /// <summary>Decodes exactly <c>output.Length</c> values; returns the bytes consumed.</summary>
    public static int Decode(ReadOnlySpan<byte> data, Span<long> output)
    {
        var position = 0;
        var blockSize = RleBitPackedHybrid.ReadVarint(data, ref position);
        var miniblocks = RleBitPackedHybrid.ReadVarint(data, ref position);
        var total = RleBitPackedHybrid.ReadVarint(data, ref position);
        var first = ZigZag(RleBitPackedHybrid.ReadVarint(data, ref position));
        if (blockSize == 0 || blockSize % 128 != 0 || blockSize > 1 << 20 || miniblocks == 0 || blockSize % miniblocks != 0 || (blockSize / miniblocks) % 32 != 0)
        {
            throw new ParquetFormatException($"Invalid DELTA_BINARY_PACKED header (block size {blockSize}, {miniblocks} miniblocks).");
        }

        if (total != (ulong)output.Length)
        {
            throw new ParquetFormatException($"DELTA_BINARY_PACKED data holds {total} values where {output.Length} were expected.");
        }

        if (output.Length == 0)
        {
            return position;
        }

        var perMiniblock = (int)(blockSize / miniblocks);
        output[0] = first;
        var produced = 1;
        var previous = first;
        Span<byte> widths = stackalloc byte[256];
        if (miniblocks > 256)
        {
            throw new ParquetFormatException($"DELTA_BINARY_PACKED blocks of {miniblocks} miniblocks are not supported.");
        }

        while (produced < output.Length)
        {
            var minDelta = ZigZag(RleBitPackedHybrid.ReadVarint(data, ref position));
            if ((int)miniblocks > data.Length - position)
            {
                throw Truncated();
            }

            data.Slice(position, (int)miniblocks).CopyTo(widths);
            position += (int)miniblocks;
            for (var m = 0; m < (int)miniblocks && produced < output.Length; m++)
            {
                var width = widths[m];
                if (width > 64)
                {
                    throw new ParquetFormatException($"Invalid miniblock bit width {width}.");
                }

                var bytes = perMiniblock * width / 8;
                if (bytes > data.Length - position)
                {
                    throw Truncated();
                }

                var packed = data.Slice(position, bytes);
                position += bytes;
                ulong buffer = 0;
                var bits = 0;
                var read = 0;
                for (var v = 0; v < perMiniblock && produced < output.Length; v++)
                {
                    ulong delta;
                    if (width == 0)
                    {
                        delta = 0;
                    }
                    else
                    {
                        // Up to 64 bits per value: gather them a byte at a time.
                        delta = 0;
                        var have = 0;
                        while (have < width)
                        {
                            if (bits == 0)
                            {
                                buffer = packed[read++];
                                bits = 8;
                            }

                            var take = Math.Min(bits, width - have);
                            delta |= (buffer & ((1UL << take) - 1)) << have;
                            buffer >>= take;
                            bits -= take;
                            have += take;
                        }
                    }

                    previous = unchecked(previous + minDelta + (long)delta);
                    output[produced++] = previous;
                }
            }
        }

        return position;
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static ParquetFormatException Truncated() => new("DELTA_BINARY_PACKED data ends too early.");
}
