namespace Gordo.ModelBuilder.Training;

/// <summary>Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.</summary>
public static class SymmetricEigen
{
    /// <summary>Returns eigenvalues (descending) and the matching unit eigenvectors as columns.</summary>
    public static (double[] Values, Matrix Vectors) Decompose(Matrix symmetric)
    {
        var n = symmetric.Rows;
        var a = new Matrix(n, n, (double[])symmetric.Data.Clone());
        var v = new Matrix(n, n);
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double offDiagonal = 0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p, q] * a[p, q];
                }
            }

            if (offDiagonal < 1e-22)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new Matrix(n, n);
        for (var j = 0; j < n; j++)
        {
            // Fix the sign so the largest component is positive: the same data gives the same model.
            var column = order[j];
            var largest = 0;
            for (var i = 1; i < n; i++)
            {
                if (Math.Abs(v[i, column]) > Math.Abs(v[largest, column]))
                {
                    largest = i;
                }
            }

            var sign = v[largest, column] < 0 ? -1 : 1;
            for (var i = 0; i < n; i++)
            {
                vectors[i, j] = sign * v[i, column];
            }
        }

        return (values, vectors);
    }
}
