namespace Gordo.Silo;

/// <summary>
/// gordo's series come from Python's prometheus_client, which writes histogram bounds as Python floats
/// (<c>le="1.0"</c>, <c>le="10.0"</c>); prometheus-net's text format writes <c>le="1"</c>. Dashboards
/// and recording rules that select a bucket by its <c>le</c> text would miss it, so whole-number bounds
/// get their <c>.0</c> back on the way out. Nothing else in the exposition is touched.
/// </summary>
public static class PythonBucketLabels
{
    private static ReadOnlySpan<byte> Label => "le=\""u8;

    public static void Rewrite(ReadOnlySpan<byte> exposition, System.Buffers.IBufferWriter<byte> output)
    {
        while (true)
        {
            var at = exposition.IndexOf(Label);
            if (at < 0 || (at > 0 && exposition[at - 1] is not ((byte)'{' or (byte)',')))
            {
                if (at < 0)
                {
                    Write(output, exposition);
                    return;
                }

                // "le=" inside another label's name or value: copy past it.
                Write(output, exposition[..(at + Label.Length)]);
                exposition = exposition[(at + Label.Length)..];
                continue;
            }

            var start = at + Label.Length;
            var end = exposition[start..].IndexOf((byte)'"');
            if (end < 0)
            {
                Write(output, exposition);
                return;
            }

            var value = exposition.Slice(start, end);
            Write(output, exposition[..(start + end)]);
            if (value.Length > 0 && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                Write(output, ".0"u8);
            }

            exposition = exposition[(start + end)..];
        }
    }

    /// <summary>Copies in pieces of whatever size the writer offers: asking a response pipe for one
    /// span the size of a whole write makes it rent a buffer that size.</summary>
    private static void Write(System.Buffers.IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var span = output.GetSpan();
            var length = Math.Min(span.Length, bytes.Length);
            bytes[..length].CopyTo(span);
            output.Advance(length);
            bytes = bytes[length..];
        }
    }
}
