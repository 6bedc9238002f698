namespace Gordo.ModelBuilder.Training;

/// <summary>scikit-learn's MinMaxScaler to [0, 1]: <c>x * Scale + Min</c>; a constant column gets scale 1.</summary>
public sealed class MinMaxScaler
{
    private MinMaxScaler(double[] min, double[] scale)
    {
        Min = min;
        Scale = scale;
    }

    public double[] Min { get; }

    public double[] Scale { get; }

    public static MinMaxScaler Fit(Matrix data)
    {
        var min = new double[data.Columns];
        var scale = new double[data.Columns];
        for (var c = 0; c < data.Columns; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (var r = 0; r < data.Rows; r++)
            {
                lo = Math.Min(lo, data[r, c]);
                hi = Math.Max(hi, data[r, c]);
            }

            var range = hi - lo;
            scale[c] = 1.0 / (range == 0 ? 1.0 : range);
            min[c] = -lo * scale[c];
        }

        return new MinMaxScaler(min, scale);
    }

    public Matrix Transform(Matrix data)
    {
        var result = new Matrix(data.Rows, data.Columns);
        for (var r = 0; r < data.Rows; r++)
        {
            for (var c = 0; c < data.Columns; c++)
            {
                result[r, c] = (data[r, c] * Scale[c]) + Min[c];
            }
        }

        return result;
    }
}
