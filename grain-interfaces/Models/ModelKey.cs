namespace Gordo.GrainInterfaces;

/// <summary>The key of a model grain: a revision and a target, written <c>revision/target</c>.</summary>
public readonly record struct ModelKey(string Revision, string Target)
{
    public override string ToString() => $"{Revision}/{Target}";

    public static bool TryParse(string key, out ModelKey modelKey)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0)
        {
            modelKey = default;
            return false;
        }

        modelKey = new ModelKey(key[..slash], key[(slash + 1)..]);
        return true;
    }
}
