using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Gordo.Tests.Infrastructure;

/// <summary>A real Debian <c>redis-server</c> on a loopback port, without persistence, that tests can stop and start again.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gordo-redis-" + Guid.NewGuid().ToString("N")[..10]);

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePorts.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server (again) on the same port, empty.</summary>
    public async Task StartAgainAsync()
    {
        Directory.CreateDirectory(_directory);
        var executable = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        using var process = Process.Start(new ProcessStartInfo(executable,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", _directory, "--pidfile", Path.Combine(_directory, "redis.pid"), "--logfile", Path.Combine(_directory, "redis.log")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install redis-server.");
        await process.WaitForExitAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port}: {await File.ReadAllTextAsync(Path.Combine(_directory, "redis.log"))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops redis-server abruptly (its data is lost: nothing is persisted).</summary>
    public async Task StopAsync()
    {
        var pidFile = Path.Combine(_directory, "redis.pid");
        if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
            }
        }

        while (await PingAsync())
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Runs one command over RESP and returns the raw reply (enough for HKEYS and PING in tests).</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        await Task.Delay(50);
        var buffer = new byte[65536];
        var read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
