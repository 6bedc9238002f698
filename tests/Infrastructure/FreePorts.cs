using System.Net;
using System.Net.Sockets;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// Loopback ports nobody listens on right now (for servers that must be told their port up front), from
/// 20 000 - 30 000: below Linux's range for outgoing connections (32 768 and up), where the suite's own
/// thousands of connections could take a port between this check and the server's bind, and apart from
/// the 10 000 - 19 999 that silos without a configured port pick from (<c>Gordo.Silo.Cluster.FreePort</c>).
/// </summary>
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

    /// <summary>A free port, below the kernel's range for outgoing connections (see <see cref="NextRange"/>).</summary>
    public static int Next() => NextRange(1) + 1;
}
