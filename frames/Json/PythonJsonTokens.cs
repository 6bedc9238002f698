namespace Gordo.Frames.Json;

/// <summary>
/// Python's <c>json.dumps</c> writes NaN and infinities as the bare tokens <c>NaN</c>, <c>Infinity</c>
/// and <c>-Infinity</c>, which are not JSON. gordo clients send them for missing sensor values and
/// gordo's builder writes them into metadata.json. This rewrites such tokens outside strings:
/// <c>NaN</c> becomes <c>null</c> (Gordo reads null as NaN) and the infinities become the strings
/// <c>"Infinity"</c>/<c>"-Infinity"</c> (which the frame reader accepts). It is only called after a
/// strict parse failed, so valid JSON never pays for it.
/// </summary>
public static class PythonJsonTokens
{
    /// <summary>True when <paramref name="json"/> has a bare NaN/Infinity token outside strings.</summary>
    public static bool Contains(ReadOnlySpan<byte> json) => Rewrite(json, null) >= 0;

    /// <summary>Returns a rewritten copy, or null when there is nothing to rewrite.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> json)
    {
        var length = Rewrite(json, null);
        if (length < 0)
        {
            return null;
        }

        var output = new byte[length];
        Rewrite(json, output);
        return output;
    }

    /// <summary>Computes (destination null) or writes the rewritten text; -1 when no token was found.</summary>
    private static int Rewrite(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        var inString = false;
        var found = false;
        var o = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == (byte)'\\')
                {
                    Put(destination, ref o, c);
                    if (i + 1 < json.Length)
                    {
                        Put(destination, ref o, json[++i]);
                    }

                    continue;
                }

                if (c == (byte)'"')
                {
                    inString = false;
                }

                Put(destination, ref o, c);
                continue;
            }

            if (c == (byte)'"')
            {
                inString = true;
                Put(destination, ref o, c);
                continue;
            }

            if (c == (byte)'N' && json[i..].StartsWith("NaN"u8))
            {
                found = true;
                PutAll(destination, ref o, "null"u8);
                i += 2;
                continue;
            }

            if (c == (byte)'I' && json[i..].StartsWith("Infinity"u8))
            {
                found = true;
                PutAll(destination, ref o, "\"Infinity\""u8);
                i += 7;
                continue;
            }

            if (c == (byte)'-' && json[(i + 1)..].StartsWith("Infinity"u8))
            {
                found = true;
                PutAll(destination, ref o, "\"-Infinity\""u8);
                i += 8;
                continue;
            }

            Put(destination, ref o, c);
        }

        return found ? o : -1;
    }

    private static void Put(Span<byte> destination, ref int o, byte value)
    {
        if (!destination.IsEmpty)
        {
            destination[o] = value;
        }

        o++;
    }

    private static void PutAll(Span<byte> destination, ref int o, ReadOnlySpan<byte> value)
    {
        if (!destination.IsEmpty)
        {
            value.CopyTo(destination[o..]);
        }

        o += value.Length;
    }
}
