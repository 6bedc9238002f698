namespace Gordo.Silo;

/// <summary>
/// Takes the public URLs out of the command line (<c>--urls</c>) and the environment
/// (<c>ASPNETCORE_URLS</c>, <c>URLS</c>) before the web host is built: Gordo binds every endpoint itself
/// (<see cref="SiloEndpoints"/>), and URLs left for the host would only make Kestrel warn that it
/// overrides them.
/// </summary>
public static class PublicUrls
{
    public static (string[] Arguments, string? Urls) Take(string[] args)
    {
        string? urls = null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (argument is "--urls" or "/urls" && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (argument.StartsWith("--urls=", StringComparison.Ordinal))
            {
                urls = argument["--urls=".Length..];
            }
            else
            {
                rest.Add(argument);
            }
        }

        foreach (var variable in new[] { "ASPNETCORE_URLS", "URLS" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                urls ??= value;
                Environment.SetEnvironmentVariable(variable, null);
            }
        }

        return ([.. rest], urls);
    }
}
