namespace Gordo.GrainInterfaces;

/// <summary>An <c>/anomaly/prediction</c> request. <see cref="AllColumns"/> keeps the <c>smooth-*</c> groups.
/// Disposing returns the frames' pooled storage (the caller that decoded them owns them). Between
/// silos it travels as <see cref="FrameWire"/> bytes (<see cref="FrameSurrogates"/>).</summary>
[Immutable]
public sealed record AnomalyRequest(DataFrame X, DataFrame? Y, bool AllColumns) : IDisposable
{
    public void Dispose()
    {
        X.Dispose();
        Y?.Dispose();
    }
}
