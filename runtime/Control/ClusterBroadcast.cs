using System.Diagnostics;

namespace Gordo.Runtime;

/// <summary>
/// Sends a control operation to every silo of the membership view at once, with one deadline, and
/// answers one <see cref="SiloReply"/> per silo: ok with its payload, error with its message, or
/// timeout. A silo that does not answer is named, never silently missing. The local silo answers in
/// process.
/// </summary>
public sealed class ClusterBroadcast(IClusterMembership membership, SiloTransportClient transport, IEnumerable<ISiloControlHandler> handlers, RuntimeInstruments instruments)
{
    private readonly Dictionary<string, ISiloControlHandler> _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);

    public async Task<IReadOnlyList<SiloReply>> BroadcastAsync(string operation, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var members = membership.CurrentView.Members.Where(m => m.Status != SiloStatus.Dead).ToList();
        var replies = await Task.WhenAll(members.Select(m => AskAsync(m, operation, payload, timeout, cancellationToken))).ConfigureAwait(false);
        foreach (var reply in replies)
        {
            instruments.BroadcastReply(operation, reply.Status);
        }

        return replies;
    }

    /// <summary>Runs an operation on this process's own silo (or fails when there is none or no such operation).</summary>
    public async Task<byte[]> HandleLocallyAsync(string operation, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var handler = _handlers.GetValueOrDefault(operation) ?? throw new InvalidOperationException($"This silo has no control operation '{operation}'.");
        return await handler.HandleAsync(payload, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SiloReply> AskAsync(ClusterMember member, string operation, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            byte[] answer;
            if (member.Address == membership.LocalSilo)
            {
                answer = await HandleLocallyAsync(operation, payload, deadline.Token).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var response = await transport.ControlAsync(member.Address, operation, payload, timeout, RequestContext.RequestId, deadline.Token).ConfigureAwait(false);
                answer = response.WrittenMemory.ToArray();
            }

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

