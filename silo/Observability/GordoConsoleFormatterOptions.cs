using Microsoft.Extensions.Logging.Console;

namespace Gordo.Silo;

public sealed class GordoConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The silo (or gateway) name written on every line.</summary>
    public string? Silo { get; set; }
}
