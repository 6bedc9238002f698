namespace Gordo.GrainInterfaces;

/// <summary>A <c>/prediction</c> request: X, and an optional y that is validated but not used.
/// Disposing returns the frames' pooled storage (the caller that decoded them owns them). Between
/// silos it travels as <see cref="FrameWire"/> bytes (<see cref="FrameSurrogates"/>).</summary>
[Immutable]
public sealed record PredictionRequest(DataFrame X, DataFrame? Y) : IDisposable
{
    public void Dispose()
    {
        X.Dispose();
        Y?.Dispose();
    }
}
