namespace Gordo.Silo.Cluster;

/// <summary>How many of the cluster's gateways this Orleans client is connected to (readiness of a gateway process).</summary>
public sealed class GatewayConnections
{
    private int _connected = -1;

    /// <summary>Connected gateways; before the first change the client has connected at start (or is still starting).</summary>
    public int Connected => Volatile.Read(ref _connected) is var count and >= 0 ? count : Started ? 1 : 0;

    internal bool Started { get; set; }

    internal void Changed(int connected) => Volatile.Write(ref _connected, connected);
}
