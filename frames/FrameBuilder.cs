
namespace Gordo.Frames;

/// <summary>
/// Collects a frame's cells while its shape is still unknown (JSON gives neither the row nor the
/// column count up front): column-major storage that grows by doubling, NaN where nothing was set.
/// <see cref="ToRowMajor"/> lays the cells out row-major in the final row order.
/// </summary>
internal sealed class FrameBuilder : IDisposable
{
    private double[] _cells;
    private int _rowCapacity;
    private int _columnCapacity;

    private readonly long _maxCells;

    public FrameBuilder(long maxCells, int rowCapacity = 64, int columnCapacity = 8)
    {
        _maxCells = maxCells;
        _rowCapacity = Math.Max(1, rowCapacity);
        _columnCapacity = Math.Max(1, columnCapacity);
        _cells = PooledArrays.Rent<double>(_rowCapacity * _columnCapacity);
        _cells.AsSpan(0, _rowCapacity * _columnCapacity).Fill(double.NaN);
    }

    public int Rows { get; private set; }

    public int Columns { get; private set; }

    public void Set(int row, int column, double value)
    {
        if (row >= _rowCapacity || column >= _columnCapacity)
        {
            Grow(row + 1, column + 1);
        }

        _cells[(column * _rowCapacity) + row] = value;
        if (row >= Rows)
        {
            Rows = row + 1;
        }

        if (column >= Columns)
        {
            Columns = column + 1;
        }
    }

    /// <summary>Resets a column to NaN (a JSON object that names the same column twice keeps the last one).</summary>
    public void ClearColumn(int column)
    {
        if (column < _columnCapacity)
        {
            _cells.AsSpan(column * _rowCapacity, _rowCapacity).Fill(double.NaN);
        }
    }

    /// <summary>Makes the frame at least this many rows/columns (unset cells stay NaN).</summary>
    public void EnsureShape(int rows, int columns)
    {
        if (rows > _rowCapacity || columns > _columnCapacity)
        {
            Grow(rows, columns);
        }

        Rows = Math.Max(Rows, rows);
        Columns = Math.Max(Columns, columns);
    }

    /// <summary>Row-major copy into a pooled array; row <c>r</c> of the result is source row <c>order[r]</c>.</summary>
    public double[] ToRowMajor(ReadOnlySpan<int> order)
    {
        var rows = Rows;
        var columns = Columns;
        var result = PooledArrays.Rent<double>(Math.Max(1, rows * columns));
        for (var c = 0; c < columns; c++)
        {
            var column = _cells.AsSpan(c * _rowCapacity, rows);
            if (order.IsEmpty)
            {
                for (var r = 0; r < rows; r++)
                {
                    result[(r * columns) + c] = column[r];
                }
            }
            else
            {
                for (var r = 0; r < rows; r++)
                {
                    result[(r * columns) + c] = column[order[r]];
                }
            }
        }

        return result;
    }

    public void Dispose()
    {
        if (_cells.Length > 0)
        {
            PooledArrays.Return(_cells);
            _cells = [];
        }
    }

    private void Grow(int rows, int columns)
    {
        var newRows = _rowCapacity;
        while (newRows < rows)
        {
            newRows *= 2;
        }

        var newColumns = _columnCapacity;
        while (newColumns < columns)
        {
            newColumns *= 2;
        }

        // Doubling both extents could ask for far more than the frame holds; near the cap, grow to
        // exactly what is needed instead.
        if ((long)newRows * newColumns > _maxCells)
        {
            newRows = Math.Max(rows, Rows);
            newColumns = Math.Max(columns, Columns);
            if ((long)newRows * newColumns > _maxCells)
            {
                throw new InvalidOperationException($"A frame of {newRows} x {newColumns} exceeds {_maxCells} cells.");
            }
        }

        var cells = PooledArrays.Rent<double>(newRows * newColumns);
        cells.AsSpan(0, newRows * newColumns).Fill(double.NaN);
        for (var c = 0; c < Columns; c++)
        {
            _cells.AsSpan(c * _rowCapacity, Rows).CopyTo(cells.AsSpan(c * newRows));
        }

        PooledArrays.Return(_cells);
        _cells = cells;
        _rowCapacity = newRows;
        _columnCapacity = newColumns;
    }
}
