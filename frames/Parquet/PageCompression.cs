using System.IO.Compression;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Frames.Parquet;

/// <summary>
/// Page (de)compression: SNAPPY (IronSnappy), GZIP and BROTLI (.NET), LZ4_RAW (a block decoder here),
/// and none. A page always decompresses into a buffer of exactly the size its header declares; data
/// that would be larger or smaller is refused, so a small page cannot claim a huge allocation.
/// </summary>
internal static class PageCompression
{
    public static void Decompress(Codec codec, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        switch (codec)
        {
            case Codec.Uncompressed:
                if (source.Length != destination.Length)
                {
                    throw SizeMismatch();
                }

                source.CopyTo(destination);
                return;
            case Codec.Snappy:
                Snappy(source, destination);
                return;
            case Codec.Gzip:
                Gzip(source, destination);
                return;
            case Codec.Brotli:
                if (!BrotliDecoder.TryDecompress(source, destination, out var written) || written != destination.Length)
                {
                    throw Corrupt("BROTLI");
                }

                return;
            case Codec.Lz4Raw:
                Lz4Block(source, destination);
                return;
            default:
                throw new ParquetFormatException($"Compression {Name(codec)} is not supported (SNAPPY, GZIP, BROTLI, LZ4_RAW and UNCOMPRESSED are).");
        }
    }

    public static byte[] CompressSnappy(ReadOnlySpan<byte> source) => IronSnappy.Snappy.Encode(source);

    public static string Name(Codec codec) => codec switch
    {
        Codec.Uncompressed => "UNCOMPRESSED",
        Codec.Snappy => "SNAPPY",
        Codec.Gzip => "GZIP",
        Codec.Lzo => "LZO",
        Codec.Brotli => "BROTLI",
        Codec.Lz4 => "LZ4 (Hadoop framing)",
        Codec.Zstd => "ZSTD",
        Codec.Lz4Raw => "LZ4_RAW",
        _ => $"codec {(int)codec}",
    };

    private static void Snappy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // The block starts with its uncompressed length: check it before the decoder allocates for it.
        var position = 0;
        ulong declared;
        try
        {
            declared = RleBitPackedHybrid.ReadVarint(source, ref position);
        }
        catch (ParquetFormatException)
        {
            throw Corrupt("SNAPPY");
        }

        if (declared != (ulong)destination.Length)
        {
            throw SizeMismatch();
        }

        byte[] decoded;
        try
        {
            decoded = IronSnappy.Snappy.Decode(source);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Corrupt("SNAPPY");
        }

        if (decoded.Length != destination.Length)
        {
            throw SizeMismatch();
        }

        decoded.CopyTo(destination);
    }

    private static unsafe void Gzip(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        try
        {
            fixed (byte* pointer = source)
            {
                using var input = new UnmanagedMemoryStream(pointer, source.Length);
                using var gzip = new GZipStream(input, CompressionMode.Decompress);
                var filled = 0;
                while (filled < destination.Length)
                {
                    var read = gzip.Read(destination[filled..]);
                    if (read == 0)
                    {
                        throw SizeMismatch();
                    }

                    filled += read;
                }

                Span<byte> extra = stackalloc byte[1];
                if (gzip.Read(extra) != 0)
                {
                    throw SizeMismatch();
                }
            }
        }
        catch (InvalidDataException)
        {
            throw Corrupt("GZIP");
        }
    }

    /// <summary>An LZ4 block (no frame): sequences of literals and back-references.</summary>
    private static void Lz4Block(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var input = 0;
        var output = 0;
        while (input < source.Length)
        {
            var token = source[input++];
            var literals = token >> 4;
            if (literals == 15)
            {
                literals += ReadLz4Length(source, ref input);
            }

            if (literals > source.Length - input || literals > destination.Length - output)
            {
                throw Corrupt("LZ4_RAW");
            }

            source.Slice(input, literals).CopyTo(destination[output..]);
            input += literals;
            output += literals;
            if (input == source.Length)
            {
                break; // the last sequence has literals only
            }

            if (source.Length - input < 2)
            {
                throw Corrupt("LZ4_RAW");
            }

            var offset = source[input] | (source[input + 1] << 8);
            input += 2;
            var match = (token & 0x0F) + 4;
            if ((token & 0x0F) == 15)
            {
                match += ReadLz4Length(source, ref input);
            }

            if (offset == 0 || offset > output || match > destination.Length - output)
            {
                throw Corrupt("LZ4_RAW");
            }

            // Overlapping copies repeat the pattern: copy byte by byte.
            for (var i = 0; i < match; i++)
            {
                destination[output + i] = destination[output - offset + i];
            }

            output += match;
        }

        if (output != destination.Length)
        {
            throw SizeMismatch();
        }
    }

    private static int ReadLz4Length(ReadOnlySpan<byte> source, ref int input)
    {
        var length = 0;
        byte b;
        do
        {
            if (input >= source.Length || length > int.MaxValue / 2)
            {
                throw Corrupt("LZ4_RAW");
            }

            b = source[input++];
            length += b;
        }
        while (b == 255);
        return length;
    }

    private static ParquetFormatException Corrupt(string codec) => new($"A {codec}-compressed page is corrupt.");

    private static ParquetFormatException SizeMismatch() => new("A page does not decompress to the size its header declares.");
}
