namespace Gordo.Api;

public static class ApiProgram
{
    public static async Task<int> Main(string[] args)
    {
        var app = GordoServer.Build(args);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
