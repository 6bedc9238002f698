using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gordo.Silo.Cluster;

/// <summary>
/// A TCP port free on an interface now (Orleans needs its ports before it listens: 0 is not accepted).
/// It is taken from 10 000 - 19 999, below the kernel's range for outgoing connections: a port from that
/// range, free when checked, can be taken by any process's next outgoing connection before the silo
/// binds it (seen in the test suite, which runs many servers and thousands of connections at once).
/// </summary>
internal static class FreePort
{
    private const int Lowest = 10000;
    private const int Highest = 19999;
    private static readonly HashSet<int> s_handedOut = [];

    public static int On(IPAddress address)
    {
        if (OutgoingRangeStart() is { } outgoing && outgoing > Highest)
        {
            lock (s_handedOut)
            {
                for (var attempt = 0; attempt < 100; attempt++)
                {
                    var port = Random.Shared.Next(Lowest, Highest + 1);
                    if (!s_handedOut.Contains(port) && IsFree(address, port))
                    {
                        s_handedOut.Add(port);
                        return port;
                    }
                }
            }
        }

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range, or null where there is none to read.</summary>
    private static int? OutgoingRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return range.Length > 0 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
