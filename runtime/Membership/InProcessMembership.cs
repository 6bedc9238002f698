namespace Gordo.Runtime;

/// <summary>The membership of a single-silo deployment: this silo is the whole cluster.</summary>
public sealed class InProcessMembership : IClusterMembership
{
    private MembershipView _view = MembershipView.Empty;

    public InProcessMembership(string name = "silo")
    {
        LocalSilo = new SiloAddress("127.0.0.1", 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Name = name;
    }

    public SiloAddress? LocalSilo { get; }

    public string Name { get; }

    public MembershipView CurrentView => _view;

    public event Action<MembershipView>? ViewChanged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _view = new MembershipView(1, [new ClusterMember(LocalSilo!, SiloStatus.Active, DateTimeOffset.UtcNow, Name)]);
        ViewChanged?.Invoke(_view);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _view = new MembershipView(_view.Version + 1, []);
        ViewChanged?.Invoke(_view);
        return Task.CompletedTask;
    }
}
