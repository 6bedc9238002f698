namespace Gordo.Runtime;

/// <summary>
/// A grain's identity: its grain type (e.g. "model") and key (e.g. "1700000000000/pump-1"). A grain
/// exists once per identity in the whole cluster; the identity is all a caller needs to reach it.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";

    /// <summary>Parses the <c>type/key</c> form of <see cref="ToString"/>.</summary>
    public static bool TryParse(string? value, out GrainId id)
    {
        id = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1)
        {
            return false;
        }

        id = new GrainId(value[..slash], value[(slash + 1)..]);
        return true;
    }
}
