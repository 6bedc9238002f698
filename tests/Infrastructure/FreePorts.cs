using System.Net;
using System.Net.Sockets;

namespace Gordo.Tests.Infrastructure;

/// <summary>Loopback ports nobody listens on right now (for servers that must be told their port up front).</summary>
public static class FreePorts
{
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>A base port such that base+1 .. base+count are all free.</summary>
    public static int NextRange(int count)
    {
        lock (s_handedOut)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var start = Random.Shared.Next(20000, 30000);
                if (Enumerable.Range(start + 1, count).All(p => !s_handedOut.Contains(p) && IsFree(p)))
                {
                    foreach (var port in Enumerable.Range(start + 1, count))
                    {
                        s_handedOut.Add(port);
                    }

                    return start;
                }
            }

            throw new InvalidOperationException($"No {count} consecutive free ports were found.");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int Next()
    {
        lock (s_handedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
