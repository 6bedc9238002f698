using System.Diagnostics;

namespace Gordo.Tests.Infrastructure;

/// <summary>Debian's <c>/usr/bin/python3</c> (standard library only), for checks that need CPython itself.</summary>
public static class SystemPython
{
    public const string Path = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> on stdin; returns stdout (fails the test on a non-zero exit).</summary>
    public static async Task<string> RunAsync(string script, byte[] input)
    {
        Assert.True(File.Exists(Path), $"{Path} is needed (Debian's python3; test.sh installs it).");
        var start = new ProcessStartInfo(Path, ["-I", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.BaseStream.WriteAsync(input, TestContext.Current.CancellationToken);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"python3 exited with {process.ExitCode}: {await error}");
        return (await output).Trim();
    }
}
