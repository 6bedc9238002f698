using System.Globalization;
using Gordo.GrainInterfaces;

namespace Gordo.Api.Admin;

/// <summary>The deadline of an admin broadcast: <c>?timeout=&lt;seconds&gt;</c>, 5 s by default, 0.05 to 60 s.</summary>
internal static class BroadcastDeadline
{
    public static TimeSpan From(HttpContext context)
    {
        var text = context.Request.Query["timeout"].ToString();
        if (text.Length == 0)
        {
            return TimeSpan.FromSeconds(5);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.05 and <= 60
            ? TimeSpan.FromSeconds(seconds)
            : throw new GordoException(StatusCodes.Status400BadRequest, $"timeout must be a number of seconds between 0.05 and 60 (got '{text}').");
    }
}
