namespace Gordo.Frames;

/// <summary>
/// ISO 8601 timestamps as gordo reads and writes them. <see cref="TryParse"/> follows
/// <c>dateutil.parser.isoparse</c>, which gordo applies to every index key, including its lenient
/// corners: a bare year (<c>"2019"</c>), <c>YYYYMMDD</c>, ISO week and ordinal dates, any single
/// character between date and time, fractions truncated to microseconds, <c>24:00</c>, and offsets
/// <c>Z</c>, <c>±HH</c>, <c>±HHMM</c>, <c>±HH:MM</c> (a zero offset is UTC).
/// <see cref="FormatKey"/> and <see cref="FormatIso"/> write pandas' <c>str(Timestamp)</c> and
/// <c>Timestamp.isoformat()</c>.
/// </summary>
public static class IsoTimestamp
{
    /// <summary>Parses a UTF-8 timestamp. <paramref name="clock"/> is the wall-clock time as written;
    /// <paramref name="offsetMinutes"/> is null for a naive timestamp.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTime clock, out int? offsetMinutes)
    {
        clock = default;
        offsetMinutes = null;
        if (!TryParseDate(text, out var year, out var month, out var day, out var pos))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0, microsecond = 0;
        if (text.Length > pos)
        {
            // isoparse accepts any single character as the date/time separator.
            if (!TryParseTime(text[(pos + 1)..], out hour, out minute, out second, out microsecond, out offsetMinutes))
            {
                return false;
            }
        }

        var nextDay = false;
        if (hour == 24)
        {
            hour = 0;
            nextDay = true;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(microsecond * 10L);
        if (nextDay)
        {
            if (value.Date == DateTime.MaxValue.Date)
            {
                return false;
            }

            value = value.AddDays(1);
        }

        clock = value;
        return true;
    }

    /// <summary>pandas <c>str(Timestamp)</c>: <c>2020-01-01 00:00:00+00:00</c> (fraction only when non-zero).</summary>
    public static int FormatKey(DateTime clock, int? offsetMinutes, Span<byte> destination) => Format(clock, offsetMinutes, (byte)' ', destination);

    /// <summary>pandas <c>Timestamp.isoformat()</c>: <c>2020-01-01T00:00:00+00:00</c>.</summary>
    public static int FormatIso(DateTime clock, int? offsetMinutes, Span<byte> destination) => Format(clock, offsetMinutes, (byte)'T', destination);

    /// <summary>Longest output of the formatters.</summary>
    public const int MaxFormattedLength = 32;

    public static string FormatKey(DateTime clock, int? offsetMinutes)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..FormatKey(clock, offsetMinutes, buffer)]);
    }

    public static string FormatIso(DateTime clock, int? offsetMinutes)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..FormatIso(clock, offsetMinutes, buffer)]);
    }

    private static int Format(DateTime clock, int? offsetMinutes, byte separator, Span<byte> d)
    {
        Digits(d, 0, clock.Year, 4);
        d[4] = (byte)'-';
        Digits(d, 5, clock.Month, 2);
        d[7] = (byte)'-';
        Digits(d, 8, clock.Day, 2);
        d[10] = separator;
        Digits(d, 11, clock.Hour, 2);
        d[13] = (byte)':';
        Digits(d, 14, clock.Minute, 2);
        d[16] = (byte)':';
        Digits(d, 17, clock.Second, 2);
        var length = 19;
        var micro = (int)(clock.Ticks % TimeSpan.TicksPerSecond / 10);
        if (micro != 0)
        {
            d[19] = (byte)'.';
            Digits(d, 20, micro, 6);
            length = 26;
        }

        if (offsetMinutes is { } offset)
        {
            d[length] = offset < 0 ? (byte)'-' : (byte)'+';
            var abs = Math.Abs(offset);
            Digits(d, length + 1, abs / 60, 2);
            d[length + 3] = (byte)':';
            Digits(d, length + 4, abs % 60, 2);
            length += 6;
        }

        return length;
    }

    private static void Digits(Span<byte> destination, int at, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[at + i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool TryParseDate(ReadOnlySpan<byte> s, out int year, out int month, out int day, out int pos)
    {
        // isoparse tries the common forms first and falls back to week and ordinal dates.
        return TryParseCommonDate(s, out year, out month, out day, out pos)
            || TryParseUncommonDate(s, out year, out month, out day, out pos);
    }

    private static bool TryParseCommonDate(ReadOnlySpan<byte> s, out int year, out int month, out int day, out int pos)
    {
        month = day = 1;
        pos = 0;
        if (!TryDigits(s, 0, 4, out year))
        {
            return false;
        }

        pos = 4;
        if (pos >= s.Length)
        {
            return true;
        }

        var hasSeparator = s[pos] == (byte)'-';
        if (hasSeparator)
        {
            pos++;
        }

        if (s.Length - pos < 2 || !TryDigits(s, pos, 2, out month))
        {
            return false;
        }

        pos += 2;
        if (pos >= s.Length)
        {
            return hasSeparator;
        }

        if (hasSeparator)
        {
            if (s[pos] != (byte)'-')
            {
                return false;
            }

            pos++;
        }

        if (s.Length - pos < 2 || !TryDigits(s, pos, 2, out day))
        {
            return false;
        }

        pos += 2;
        return true;
    }

    private static bool TryParseUncommonDate(ReadOnlySpan<byte> s, out int year, out int month, out int day, out int pos)
    {
        month = day = 1;
        pos = 0;
        if (s.Length < 4 || !TryDigits(s, 0, 4, out year) || year < 1)
        {
            year = 0;
            return false;
        }

        var hasSeparator = s.Length > 4 && s[4] == (byte)'-';
        pos = hasSeparator ? 5 : 4;
        DateTime date;
        if (pos < s.Length && s[pos] == (byte)'W')
        {
            pos++;
            if (!TryDigits(s, pos, 2, out var week))
            {
                return false;
            }

            pos += 2;
            var weekday = 1;
            if (s.Length > pos)
            {
                if ((s[pos] == (byte)'-') != hasSeparator)
                {
                    return false;
                }

                pos += hasSeparator ? 1 : 0;
                if (!TryDigits(s, pos, 1, out weekday))
                {
                    return false;
                }

                pos++;
            }

            if (week is < 1 or > 53 || weekday is < 1 or > 7)
            {
                return false;
            }

            // Week 1 is the week that holds January 4th; weeks start on Monday.
            var jan4 = new DateTime(year, 1, 4);
            var isoWeekday = jan4.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)jan4.DayOfWeek;
            var week1 = jan4.AddDays(1 - isoWeekday);
            var offset = ((week - 1) * 7) + (weekday - 1);
            if (week1.Ticks + (offset * TimeSpan.TicksPerDay) > DateTime.MaxValue.Ticks || week1.Year < 1)
            {
                return false;
            }

            date = week1.AddDays(offset);
        }
        else
        {
            if (s.Length - pos < 3 || !TryDigits(s, pos, 3, out var ordinal))
            {
                return false;
            }

            pos += 3;
            if (ordinal < 1 || ordinal > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return false;
            }

            date = new DateTime(year, 1, 1).AddDays(ordinal - 1);
        }

        year = date.Year;
        month = date.Month;
        day = date.Day;
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<byte> t, out int hour, out int minute, out int second, out int microsecond, out int? offsetMinutes)
    {
        hour = minute = second = microsecond = 0;
        offsetMinutes = null;
        if (t.Length < 2)
        {
            return false;
        }

        Span<int> components = [0, 0, 0, 0];
        var pos = 0;
        var comp = -1;
        var hasSeparator = false;
        while (pos < t.Length && comp < 5)
        {
            comp++;
            var c = t[pos];
            if (c is (byte)'-' or (byte)'+' or (byte)'Z' or (byte)'z')
            {
                if (!TryParseOffset(t[pos..], out var offset))
                {
                    return false;
                }

                offsetMinutes = offset;
                pos = t.Length;
                break;
            }

            if (comp == 1 && c == (byte)':')
            {
                hasSeparator = true;
                pos++;
            }
            else if (comp == 2 && hasSeparator)
            {
                if (c != (byte)':')
                {
                    return false;
                }

                pos++;
            }

            if (comp < 3)
            {
                // Python's int() of up to two characters: one trailing digit is accepted too.
                var take = Math.Min(2, t.Length - pos);
                if (take <= 0 || !TryDigits(t, pos, take, out var value))
                {
                    return false;
                }

                components[comp] = value;
                pos += 2;
            }
            else if (comp == 3)
            {
                if (pos >= t.Length || t[pos] is not ((byte)'.' or (byte)','))
                {
                    continue;
                }

                var start = pos + 1;
                var end = start;
                while (end < t.Length && t[end] >= (byte)'0' && t[end] <= (byte)'9')
                {
                    end++;
                }

                if (end == start)
                {
                    continue;
                }

                var digits = Math.Min(6, end - start);
                TryDigits(t, start, digits, out var fraction);
                for (var i = digits; i < 6; i++)
                {
                    fraction *= 10;
                }

                components[3] = fraction;
                pos = end;
            }
        }

        if (pos < t.Length)
        {
            return false;
        }

        hour = components[0];
        minute = components[1];
        second = components[2];
        microsecond = components[3];
        return hour != 24 || (minute == 0 && second == 0 && microsecond == 0);
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> z, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (z.Length == 1 && z[0] is (byte)'Z' or (byte)'z')
        {
            return true;
        }

        if (z.Length is not (3 or 5 or 6))
        {
            return false;
        }

        int sign;
        if (z[0] == (byte)'-')
        {
            sign = -1;
        }
        else if (z[0] == (byte)'+')
        {
            sign = 1;
        }
        else
        {
            return false;
        }

        if (!TryDigits(z, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        if (z.Length > 3)
        {
            var from = z[3] == (byte)':' ? 4 : 3;
            if (!TryDigits(z, from, z.Length - from, out minutes))
            {
                return false;
            }
        }

        if (hours == 0 && minutes == 0)
        {
            return true;
        }

        if (minutes > 59 || hours > 23)
        {
            return false;
        }

        offsetMinutes = sign * ((hours * 60) + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        if (count <= 0 || at + count > s.Length)
        {
            return false;
        }

        for (var i = at; i < at + count; i++)
        {
            var d = s[i] - (byte)'0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
