using System.Diagnostics;

namespace Gordo.Tests.Infrastructure;

/// <summary>Runs one of the independent tools in <c>tests/interop</c> under node.</summary>
public static class InteropNode
{
    /// <summary>
    /// <c>node tests/interop/SCRIPT ARGUMENTS... INPUT-FILE</c>, with <paramref name="inputJson"/> in a
    /// temporary input file; returns what the tool wrote to standard output, or fails the test with
    /// what it wrote to standard error.
    /// </summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, string inputJson)
    {
        var tools = ParquetInterop.ToolDirectory;
        var inputFile = Path.Combine(Path.GetTempPath(), $"gordo-interop-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(inputFile, inputJson, TestContext.Current.CancellationToken);
        try
        {
            var start = new ProcessStartInfo("node", [Path.Combine(tools, script), .. arguments, inputFile])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = tools,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
            return await output;
        }
        finally
        {
            File.Delete(inputFile);
        }
    }
}
