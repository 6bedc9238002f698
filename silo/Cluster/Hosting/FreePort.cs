using System.Net;
using System.Net.Sockets;

namespace Gordo.Silo.Cluster;

/// <summary>A TCP port free on an interface now (Orleans needs its ports before it listens: 0 is not accepted).</summary>
internal static class FreePort
{
    public static int On(IPAddress address)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
