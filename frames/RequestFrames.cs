
namespace Gordo.Frames;

/// <summary>The X and optional y of a prediction request. Disposing returns their pooled storage.</summary>
public sealed record RequestFrames(DataFrame X, DataFrame? Y) : IDisposable
{
    public void Dispose()
    {
        X.Dispose();
        Y?.Dispose();
    }
}
