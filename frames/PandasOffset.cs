using System.Globalization;

namespace Gordo.Frames;

/// <summary>
/// Fixed-length pandas offset aliases (<c>to_offset</c>) as used in <c>dataset.resolution</c>:
/// an optional multiplier and a unit, possibly repeated (<c>10T</c>, <c>10min</c>, <c>1H</c>,
/// <c>1h30min</c>, <c>30S</c>, <c>500ms</c>, <c>1D</c>). Calendar offsets (weeks anchored on a weekday,
/// months, business days) do not add a fixed duration and are refused.
/// </summary>
public static class PandasOffset
{
    public static bool TryParse(string? alias, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(alias))
        {
            return false;
        }

        var s = alias.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        decimal totalTicks = 0;
        var sawComponent = false;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }

            decimal multiplier = 1;
            if (numberLength > 0 && !decimal.TryParse(s[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out multiplier))
            {
                return false;
            }

            s = s[numberLength..];
            var unitLength = 0;
            while (unitLength < s.Length && char.IsAsciiLetter(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0 || !TryUnitTicks(s[..unitLength], out var unitTicks))
            {
                return false;
            }

            s = s[unitLength..];
            totalTicks += multiplier * unitTicks;
            sawComponent = true;
        }

        if (!sawComponent || totalTicks <= 0 || totalTicks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)decimal.Round(totalTicks) * (negative ? -1 : 1));
        return true;
    }

    private static bool TryUnitTicks(ReadOnlySpan<char> unit, out long ticks)
    {
        // pandas 1.5 aliases plus the lower-case spellings pandas 2.2 prefers.
        ticks = unit switch
        {
            "D" or "d" => TimeSpan.TicksPerDay,
            "H" or "h" => TimeSpan.TicksPerHour,
            "T" or "min" => TimeSpan.TicksPerMinute,
            "S" or "s" => TimeSpan.TicksPerSecond,
            "L" or "ms" => TimeSpan.TicksPerMillisecond,
            "U" or "us" => TimeSpan.TicksPerMicrosecond,
            "N" or "ns" => 0,
            _ => -1,
        };
        return ticks >= 0;
    }
}
