namespace Gordo.ModelBuilder.Training;

/// <summary>A dense row-major matrix of float64, enough linear algebra for a PCA autoencoder.</summary>
public sealed class Matrix(int rows, int columns)
{
    public Matrix(int rows, int columns, double[] data)
        : this(rows, columns)
    {
        if (data.Length != rows * columns)
        {
            throw new ArgumentException("Data length does not match the shape.", nameof(data));
        }

        Data = data;
    }

    public int Rows { get; } = rows;

    public int Columns { get; } = columns;

    public double[] Data { get; } = new double[rows * columns];

    public double this[int row, int column]
    {
        get => Data[(row * Columns) + column];
        set => Data[(row * Columns) + column] = value;
    }

    public ReadOnlySpan<double> Row(int row) => Data.AsSpan(row * Columns, Columns);

    public Matrix SliceRows(int start, int count)
    {
        var result = new Matrix(count, Columns);
        Data.AsSpan(start * Columns, count * Columns).CopyTo(result.Data);
        return result;
    }

    public Matrix SelectColumns(int[] columns)
    {
        var result = new Matrix(Rows, columns.Length);
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                result[r, c] = this[r, columns[c]];
            }
        }

        return result;
    }

    public double[] Column(int column)
    {
        var result = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            result[r] = this[r, column];
        }

        return result;
    }
}
