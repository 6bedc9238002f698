namespace Gordo.Runtime;

/// <summary>Lets callers wait for the next membership view without polling.</summary>
internal sealed class ViewChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Publish()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    public async Task<bool> WaitAsync(Func<long> currentVersion, long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (currentVersion() <= version)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            var next = Volatile.Read(ref _next).Task;
            if (currentVersion() > version)
            {
                break;
            }

            try
            {
                await next.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        return true;
    }
}
