
namespace Gordo.Frames;

/// <summary>
/// A request frame (X or y): float64 columns over a row index, values row-major
/// (<c>RowCount × ColumnCount</c>, the layout ONNX Runtime takes). Missing values are NaN.
/// The values array is pooled and returned on <see cref="Dispose"/>.
/// </summary>
public sealed class DataFrame : IDisposable
{
    private double[]? _values;

    /// <param name="columnNames">Column labels, in order.</param>
    /// <param name="positionalColumns">True when the labels are pandas integer positions (list-shaped
    /// JSON), which never match tag names and can only be renamed positionally.</param>
    /// <param name="index">Row index; the frame takes ownership.</param>
    /// <param name="pooledValues">Row-major values; the frame takes ownership.</param>
    public DataFrame(string[] columnNames, bool positionalColumns, FrameIndex index, double[] pooledValues)
    {
        if (pooledValues.Length < (long)index.Count * columnNames.Length)
        {
            throw new ArgumentException("The values array is smaller than rows × columns.", nameof(pooledValues));
        }

        ColumnNames = columnNames;
        HasPositionalColumns = positionalColumns;
        Index = index;
        _values = pooledValues;
    }

    public string[] ColumnNames { get; }

    public bool HasPositionalColumns { get; }

    public FrameIndex Index { get; }

    public int RowCount => Index.Count;

    public int ColumnCount => ColumnNames.Length;

    public ReadOnlySpan<double> Values => (_values ?? throw new ObjectDisposedException(nameof(DataFrame))).AsSpan(0, RowCount * ColumnCount);

    /// <summary>The values as memory (for tensors over them, e.g. ONNX Runtime's <c>OrtValue</c>).</summary>
    public ReadOnlyMemory<double> ValuesMemory => (_values ?? throw new ObjectDisposedException(nameof(DataFrame))).AsMemory(0, RowCount * ColumnCount);

    public double this[int row, int column] => Values[(row * ColumnCount) + column];

    /// <summary>A frame with pooled storage for the given shape, for codecs to fill.</summary>
    public static double[] RentValues(int rows, int columns) => PooledArrays.Rent<double>(Math.Max(1, rows * columns));

    public void Dispose()
    {
        Index.Dispose();
        if (Interlocked.Exchange(ref _values, null) is { } values)
        {
            PooledArrays.Return(values);
        }
    }
}
