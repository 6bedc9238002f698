namespace Gordo.ModelBuilder.Training;

/// <summary>
/// The model pipeline: MinMax scaling of the input tags, a PCA encoder to k components and its
/// decoder back to the target tags (a subset of the inputs), un-scaled into target units. Optionally
/// the first <see cref="ModelOffset"/> rows of the output are dropped, as a lookback model's are.
/// </summary>
public sealed class PcaAutoencoder
{
    private PcaAutoencoder(MinMaxScaler scaler, double[] mean, Matrix components, int[] targetColumns, int modelOffset, double[] explainedVariance)
    {
        Scaler = scaler;
        Mean = mean;
        Components = components;
        TargetColumns = targetColumns;
        ModelOffset = modelOffset;
        ExplainedVariance = explainedVariance;
    }

    public MinMaxScaler Scaler { get; }

    /// <summary>Column means of the scaled training input.</summary>
    public double[] Mean { get; }

    /// <summary>Principal axes as columns (inputs × k).</summary>
    public Matrix Components { get; }

    /// <summary>The input column of each target.</summary>
    public int[] TargetColumns { get; }

    public int ModelOffset { get; }

    public double[] ExplainedVariance { get; }

    public static PcaAutoencoder Fit(Matrix x, int components, int[] targetColumns, int modelOffset)
    {
        var p = x.Columns;
        if (components < 1 || components > p)
        {
            throw new ArgumentOutOfRangeException(nameof(components), $"components must be between 1 and the tag count ({p}).");
        }

        var scaler = MinMaxScaler.Fit(x);
        var scaled = scaler.Transform(x);
        var mean = new double[p];
        for (var r = 0; r < scaled.Rows; r++)
        {
            for (var c = 0; c < p; c++)
            {
                mean[c] += scaled[r, c];
            }
        }

        for (var c = 0; c < p; c++)
        {
            mean[c] /= scaled.Rows;
        }

        var covariance = new Matrix(p, p);
        for (var r = 0; r < scaled.Rows; r++)
        {
            for (var i = 0; i < p; i++)
            {
                var di = scaled[r, i] - mean[i];
                for (var j = i; j < p; j++)
                {
                    covariance[i, j] += di * (scaled[r, j] - mean[j]);
                }
            }
        }

        for (var i = 0; i < p; i++)
        {
            for (var j = i; j < p; j++)
            {
                covariance[i, j] /= Math.Max(1, scaled.Rows - 1);
                covariance[j, i] = covariance[i, j];
            }
        }

        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        var w = new Matrix(p, components);
        for (var i = 0; i < p; i++)
        {
            for (var k = 0; k < components; k++)
            {
                w[i, k] = vectors[i, k];
            }
        }

        return new PcaAutoencoder(scaler, mean, w, targetColumns, modelOffset, values[..components]);
    }

    /// <summary>The model's output for <paramref name="x"/>, in target units (what the ONNX graph computes).</summary>
    public Matrix Predict(Matrix x)
    {
        var p = x.Columns;
        var k = Components.Columns;
        var q = TargetColumns.Length;
        var rows = x.Rows - ModelOffset;
        var output = new Matrix(Math.Max(0, rows), q);
        Span<double> centered = stackalloc double[p];
        Span<double> code = stackalloc double[k];
        for (var r = ModelOffset; r < x.Rows; r++)
        {
            for (var c = 0; c < p; c++)
            {
                centered[c] = (x[r, c] * Scaler.Scale[c]) + Scaler.Min[c] - Mean[c];
            }

            for (var j = 0; j < k; j++)
            {
                double sum = 0;
                for (var c = 0; c < p; c++)
                {
                    sum += centered[c] * Components[c, j];
                }

                code[j] = sum;
            }

            for (var t = 0; t < q; t++)
            {
                var column = TargetColumns[t];
                double sum = 0;
                for (var j = 0; j < k; j++)
                {
                    sum += code[j] * Components[column, j];
                }

                var scaled = sum + Mean[column];
                output[r - ModelOffset, t] = (scaled - Scaler.Min[column]) / Scaler.Scale[column];
            }
        }

        return output;
    }
}
