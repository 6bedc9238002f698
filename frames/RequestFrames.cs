
namespace Gordo.Frames;

/// <summary>The X and optional y of a prediction request. Disposing returns their pooled storage.</summary>
public sealed record RequestFrames(DataFrame X, DataFrame? Y) : IDisposable
{
    /// <summary>Bytes of the values and index (what a binary encoding of the request carries).</summary>
    public long ByteCount => Bytes(X) + (Y is null ? 0 : Bytes(Y));

    /// <summary>
    /// An upper bound of the answer's bytes: model-input (X's columns) plus, per target column, the output
    /// and the anomaly groups (at most eight groups of y's width, smoothed ones included), and totals.
    /// </summary>
    public long ResponseByteEstimate(bool anomaly)
    {
        var targets = (long)(Y?.ColumnCount ?? X.ColumnCount);
        var columns = X.ColumnCount + (anomaly ? (8 * targets) + 8 : targets);
        return (long)X.RowCount * (columns + 2) * sizeof(double);
    }

    public void Dispose()
    {
        X.Dispose();
        Y?.Dispose();
    }

    private static long Bytes(DataFrame frame) => (long)frame.RowCount * (frame.ColumnCount + 2) * sizeof(double);
}
