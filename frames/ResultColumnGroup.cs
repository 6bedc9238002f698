
namespace Gordo.Frames;

/// <summary>
/// One top-level column group of a response frame, e.g. <c>model-output</c> with one sub-column per
/// tag, or <c>total-anomaly-scaled</c> with a single sub-column named "" (pandas' two-level columns).
/// Values are column-major: sub-column <c>j</c> is <c>Values[j*rows .. (j+1)*rows)</c>, pooled.
/// </summary>
public sealed class ResultColumnGroup : IDisposable
{
    private double[]? _values;

    public ResultColumnGroup(string name, string[] subNames, double[] pooledValues, int rowCount)
    {
        Name = name;
        SubNames = subNames;
        RowCount = rowCount;
        _values = pooledValues;
    }

    public string Name { get; }

    /// <summary>Sub-column names; <c>[""]</c> for a single unnamed column.</summary>
    public string[] SubNames { get; }

    public int RowCount { get; }

    /// <summary>True for a single column whose sub-name is "" (JSON repeats the group name for it).</summary>
    public bool IsSingleColumn => SubNames.Length == 1 && SubNames[0].Length == 0;

    public static ResultColumnGroup Create(string name, string[] subNames, int rowCount) =>
        new(name, subNames, PooledArrays.Rent<double>(Math.Max(1, subNames.Length * rowCount)), rowCount);

    public Span<double> Column(int subColumn) =>
        (_values ?? throw new ObjectDisposedException(nameof(ResultColumnGroup))).AsSpan(subColumn * RowCount, RowCount);

    public Span<double> Values => (_values ?? throw new ObjectDisposedException(nameof(ResultColumnGroup))).AsSpan(0, SubNames.Length * RowCount);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _values, null) is { } values)
        {
            PooledArrays.Return(values);
        }
    }
}
