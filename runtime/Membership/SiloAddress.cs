namespace Gordo.Runtime;

/// <summary>
/// A silo's address: the host and port its silo-to-silo transport listens on, and a generation (its
/// start time) that tells a restarted silo on the same endpoint apart from its predecessor.
/// </summary>
public sealed record SiloAddress(string Host, int Port, long Generation)
{
    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => $"S{Host}:{Port}:{Generation}";

    public static bool TryParse(string? value, out SiloAddress? address)
    {
        address = null;
        if (value is null || value.Length < 2 || value[0] != 'S')
        {
            return false;
        }

        var lastColon = value.LastIndexOf(':');
        var portColon = lastColon > 0 ? value.LastIndexOf(':', lastColon - 1) : -1;
        if (portColon <= 1
            || !int.TryParse(value.AsSpan(portColon + 1, lastColon - portColon - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || !long.TryParse(value.AsSpan(lastColon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        address = new SiloAddress(value[1..portColon], port, generation);
        return true;
    }
}
