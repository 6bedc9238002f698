using System.Globalization;
using System.Text;

namespace Gordo.Frames.Json;

/// <summary>Python's <c>repr()</c> of strings and string tuples, as pandas and pyarrow print column labels.</summary>
public static class PythonRepr
{
    /// <summary><c>repr(str)</c>: single quotes unless the text has a single quote and no double quote; escapes as CPython.</summary>
    public static string String(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                default:
                    if (rune.Value == quote)
                    {
                        builder.Append('\\').Append(quote);
                    }
                    else if (IsPrintable(rune))
                    {
                        builder.Append(rune.ToString());
                    }
                    else
                    {
                        builder.Append(rune.Value switch
                        {
                            < 0x100 => "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture),
                            < 0x10000 => "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
                            _ => "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture),
                        });
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    /// <summary><c>str(tuple)</c> of strings: <c>('a', 'b')</c>, or <c>('a',)</c> for one.</summary>
    public static string Tuple(params string[] items) =>
        items.Length == 1 ? "(" + String(items[0]) + ",)" : "(" + string.Join(", ", items.Select(String)) + ")";

    // CPython's str.isprintable: everything but controls, formats, surrogates, private use,
    // unassigned and separators other than the ASCII space.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
