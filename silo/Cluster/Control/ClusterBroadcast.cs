using System.Diagnostics;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Sends a control operation to every active silo of Orleans' membership at once, each through its own
/// <see cref="ISiloControlGrain"/> call with its own deadline, and answers one <see cref="SiloReply"/> per
/// silo: ok with its payload, error with its message, or timeout. A silo that does not answer is named,
/// never silently missing.
/// </summary>
public sealed class ClusterBroadcast(ClusterMembers members, IGrainFactory grains, BroadcastInstruments instruments)
{
    public async Task<IReadOnlyList<SiloReply>> BroadcastAsync(string operation, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var silos = await members.GetAsync(onlyActive: true, timeout, cancellationToken).ConfigureAwait(false);
        var bytes = payload.ToArray();
        var replies = await Task.WhenAll(silos.Select(m => AskAsync(m, operation, bytes, timeout, cancellationToken))).ConfigureAwait(false);
        foreach (var reply in replies)
        {
            instruments.Reply(operation, reply.Status);
        }

        return replies;
    }

    private async Task<SiloReply> AskAsync(ClusterMember member, string operation, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var control = grains.GetGrain<ISiloControlGrain>(member.Address.ToParsableString());
            var answer = await control.HandleAsync(operation, payload, deadline.Token).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return new SiloReply(member.Address, member.Name, SiloReplyStatus.Ok, answer, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SiloReply(member.Address, member.Name, SiloReplyStatus.Timeout, null, $"no answer within {timeout.TotalSeconds:0.###} s", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new SiloReply(member.Address, member.Name, SiloReplyStatus.Error, null, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }
}
