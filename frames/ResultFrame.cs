namespace Gordo.Frames;

/// <summary>
/// A response frame: gordo's two-level-column DataFrame. <c>start</c> and <c>end</c> are derived from
/// the index (ISO strings for a timestamp index, null otherwise; <c>end</c> = start + resolution, null
/// without one); the other groups are in pandas column order. Disposing returns pooled storage.
/// </summary>
public sealed class ResultFrame(FrameIndex index, TimeSpan? resolution, IReadOnlyList<ResultColumnGroup> groups) : IDisposable
{
    public FrameIndex Index { get; } = index;

    public int RowCount => Index.Count;

    /// <summary>The dataset resolution that gives <c>end</c>; null for routes without one (<c>/prediction</c>).</summary>
    public TimeSpan? Resolution { get; } = resolution;

    public IReadOnlyList<ResultColumnGroup> Groups { get; } = groups;

    public void Dispose()
    {
        Index.Dispose();
        foreach (var group in Groups)
        {
            group.Dispose();
        }
    }
}
