namespace Gordo.Frames;

/// <summary>Python's <c>int(str)</c> on UTF-8 text: surrounding whitespace, a sign, digits with single
/// underscores between them, leading zeros allowed. gordo maps index keys through it when they are
/// not timestamps. Values outside the 64-bit range are refused.</summary>
public static class PythonInt
{
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var s = text.Trim(" \t\n\r\f\v"u8);
        if (s.IsEmpty)
        {
            return false;
        }

        var negative = false;
        if (s[0] is (byte)'+' or (byte)'-')
        {
            negative = s[0] == (byte)'-';
            s = s[1..];
        }

        if (s.IsEmpty || s[0] == (byte)'_' || s[^1] == (byte)'_')
        {
            return false;
        }

        ulong magnitude = 0;
        var previousUnderscore = false;
        foreach (var c in s)
        {
            if (c == (byte)'_')
            {
                if (previousUnderscore)
                {
                    return false;
                }

                previousUnderscore = true;
                continue;
            }

            previousUnderscore = false;
            var digit = (uint)(c - (byte)'0');
            if (digit > 9 || magnitude > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = unchecked(-(long)magnitude);
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }
}
