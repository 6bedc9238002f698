namespace Gordo.Runtime;

/// <summary>The membership of a single-silo deployment: this silo is the whole cluster.</summary>
public sealed class InProcessMembership : IClusterMembership
{
    private readonly ViewChangeSignal _signal = new();
    private MembershipView _view = MembershipView.Empty;

    public InProcessMembership(string name = "silo", string? httpEndpoint = null)
    {
        LocalSilo = new SiloAddress("127.0.0.1", 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Name = name;
        HttpEndpoint = httpEndpoint;
    }

    public SiloAddress? LocalSilo { get; }

    public string Name { get; }

    public string? HttpEndpoint { get; }

    public MembershipView CurrentView => _view;

    public event Action<MembershipView>? ViewChanged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Publish(SiloStatus.Active);
        return Task.CompletedTask;
    }

    public Task LeaveAsync(CancellationToken cancellationToken)
    {
        Publish(SiloStatus.ShuttingDown);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _view = new MembershipView(_view.Version + 1, []);
        _signal.Publish();
        ViewChanged?.Invoke(_view);
        return Task.CompletedTask;
    }

    public void RequestRefresh()
    {
    }

    public Task<bool> WaitForViewChangeAsync(long version, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(() => _view.Version, version, timeout, cancellationToken);

    private void Publish(SiloStatus status)
    {
        _view = new MembershipView(_view.Version + 1, [new ClusterMember(LocalSilo!, status, DateTimeOffset.UtcNow, Name, HttpEndpoint)]);
        _signal.Publish();
        ViewChanged?.Invoke(_view);
    }
}
