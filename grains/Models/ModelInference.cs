using System.Globalization;
using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;
using Gordo.Grains.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Models;

/// <summary>
/// What a model grain computes for a request, off the grain's scheduler: gordo's column checks, the
/// ONNX run (alone or micro-batched), the model-input / model-output groups and the anomaly groups.
/// </summary>
internal static class ModelInference
{
    public static async ValueTask<ResultFrame> PredictAsync(ModelDefinition definition, LoadedModel model, PredictionRequest request)
    {
        definition.RequireTags();
        var xColumns = ResolveColumns(request.X, definition.Tags, "X");
        if (request.Y is { } y)
        {
            ResolveColumns(y, definition.Targets, "y");
        }

        var x = request.X;
        var (output, rows, width, _) = await RunAsync(definition, model, x, xColumns).ConfigureAwait(false);
        try
        {
            var outputNames = width == definition.Targets.Length ? definition.Targets : PositionalNames(width);
            var groups = new List<ResultColumnGroup>(2);
            try
            {
                groups.Add(InputGroup(x, xColumns, definition.Tags, rows));
                groups.Add(OutputGroup(output, rows, outputNames));
                return new ResultFrame(x.Index.Tail(rows), resolution: null, groups);
            }
            catch
            {
                groups.ForEach(g => g.Dispose());
                throw;
            }
        }
        finally
        {
            PooledArrays.Return(output);
        }
    }

    public static async ValueTask<ResultFrame> AnomalyAsync(ModelDefinition definition, LoadedModel model, AnomalyRequest request)
    {
        definition.RequireTags();
        var xColumns = ResolveColumns(request.X, definition.Tags, "X");
        int[]? yColumns = null;
        if (request.Y is { } yFrame)
        {
            yColumns = ResolveColumns(yFrame, definition.Targets, "y");
        }

        var y = request.Y ?? throw new InvalidFrameException("Cannot perform anomaly without 'y' to compare against.");
        var detector = RequireDetector(definition, model);
        var resolution = definition.RequireResolution();
        var targets = definition.Targets;
        if (model.OutputWidth is { } staticWidth && staticWidth != targets.Length)
        {
            throw definition.Malformed($"its output has {staticWidth} columns but it has {targets.Length} target tags");
        }

        var x = request.X;
        var (output, rows, width, _) = await RunAsync(definition, model, x, xColumns).ConfigureAwait(false);
        double[]? yTail = null;
        try
        {
            if (width != targets.Length)
            {
                throw definition.Malformed($"its output has {width} columns but it has {targets.Length} target tags");
            }

            if (y.RowCount < rows)
            {
                throw new InvalidFrameException($"y has {y.RowCount} rows but the model output has {rows}; y must cover the rows of X.", "error");
            }

            // gordo compares the output with the last m rows of y.
            yTail = PooledArrays.Rent<double>(Math.Max(1, rows * targets.Length));
            CopyRows(y, yColumns, y.RowCount - rows, rows, yTail);
            var groups = new List<ResultColumnGroup>(12);
            try
            {
                groups.Add(InputGroup(x, xColumns, definition.Tags, rows));
                groups.Add(OutputGroup(output, rows, targets));
                AnomalyFrameBuilder.AddAnomalyGroups(detector, output.AsSpan(0, rows * width), yTail.AsSpan(0, rows * width), rows, targets,
                    request.AllColumns, groups);
                return new ResultFrame(x.Index.Tail(rows), resolution, groups);
            }
            catch
            {
                groups.ForEach(g => g.Dispose());
                throw;
            }
        }
        finally
        {
            PooledArrays.Return(output);
            if (yTail is not null)
            {
                PooledArrays.Return(yTail);
            }
        }
    }

    /// <summary>
    /// gordo's <c>_verify_dataframe</c>: when every expected column is present they are taken in the
    /// expected order (extras dropped); otherwise, with the right count, columns are renamed by
    /// position; otherwise 400. Returns the source column of each expected column, or null when the
    /// frame is already in the expected layout.
    /// </summary>
    internal static int[]? ResolveColumns(DataFrame frame, string[] expected, string frameName)
    {
        var names = frame.ColumnNames;
        if (!frame.HasPositionalColumns)
        {
            if (names.AsSpan().SequenceEqual(expected))
            {
                return null;
            }

            var positions = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                positions.TryAdd(names[i], i);
            }

            var selection = new int[expected.Length];
            var all = true;
            for (var i = 0; i < expected.Length && all; i++)
            {
                all = positions.TryGetValue(expected[i], out selection[i]);
            }

            if (all)
            {
                return selection;
            }
        }

        if (names.Length == expected.Length)
        {
            return null;
        }

        throw new InvalidFrameException(
            $"Unexpected features: was expecting {PythonList(expected)} length of {expected.Length}, but got {PythonList(names)} length of {names.Length}",
            "message");
    }

    private static DiffAnomalyDetector RequireDetector(ModelDefinition definition, LoadedModel model)
    {
        if (model.DetectorError is { } error)
        {
            throw definition.Malformed(error);
        }

        var detector = model.Detector
            ?? throw new NotAnomalyModelException($"Model is not an AnomalyDetector, it is of type: ONNX model without {AnomalyDetectorSpec.MetadataKey} metadata");
        if (detector.RequireThresholds && !detector.HasThresholds)
        {
            throw new NotAnomalyModelException("Model is not an AnomalyDetector, it is of type: DiffBasedAnomalyDetector without thresholds (require_thresholds is set)");
        }

        return detector;
    }

    /// <summary>Runs the model on X (selected columns) and returns its output as pooled float64, row-major.</summary>
    private static async ValueTask<RunOutput> RunAsync(ModelDefinition definition, LoadedModel model, DataFrame x, int[]? columns)
    {
        var n = x.RowCount;
        var p = columns?.Length ?? x.ColumnCount;
        if (n == 0)
        {
            throw new InvalidFrameException("X has no rows.", "error");
        }

        RunOutput run;
        try
        {
            if (model.Batcher is { } batcher)
            {
                var input = PooledArrays.Rent<double>(n * p);
                try
                {
                    CopyRows(x, columns, 0, n, input);
                    run = await batcher.RunAsync(input, n, p).ConfigureAwait(false);
                }
                finally
                {
                    PooledArrays.Return(input);
                }
            }
            else
            {
                run = Run(model, x, columns, n, p);
            }
        }
        catch (OnnxRuntimeException ex)
        {
            // gordo answers a model that raises on the input with 400 "ValueError: ...".
            throw new InvalidFrameException($"ValueError: {ex.Message}", "error");
        }

        if (run.Rank is not (1 or 2) || run.Rows > n || run.Rows < 0 || run.Width < 0)
        {
            PooledArrays.Return(run.Output);
            throw definition.Malformed($"its output has {run.Rank} dimensions ({run.Rows} rows) for {n} input rows");
        }

        return run;
    }

    /// <summary>One ONNX Runtime call reading X in place when it can (float64 model, columns in order).</summary>
    private static RunOutput Run(LoadedModel model, DataFrame x, int[]? columns, int n, int p)
    {
        Span<long> shape = [n, p];
        OnnxTensor tensor;
        if (model.InputType == TensorElementType.Double && columns is null)
        {
            tensor = model.Session.Run<double>(x.ValuesMemory, shape);
        }
        else if (model.InputType == TensorElementType.Double)
        {
            var input = PooledArrays.Rent<double>(n * p);
            try
            {
                CopyRows(x, columns, 0, n, input);
                tensor = model.Session.Run<double>(input.AsMemory(0, n * p), shape);
            }
            finally
            {
                PooledArrays.Return(input);
            }
        }
        else
        {
            var input = PooledArrays.Rent<float>(n * p);
            try
            {
                var values = x.Values;
                var width = x.ColumnCount;
                for (var r = 0; r < n; r++)
                {
                    for (var c = 0; c < p; c++)
                    {
                        input[(r * p) + c] = (float)values[(r * width) + (columns is null ? c : columns[c])];
                    }
                }

                tensor = model.Session.Run<float>(input.AsMemory(0, n * p), shape);
            }
            finally
            {
                PooledArrays.Return(input);
            }
        }

        using (tensor)
        {
            return RunOutput.From(tensor);
        }
    }

    /// <summary>Copies rows [start, start+count) of the selected columns, row-major, into <paramref name="destination"/>.</summary>
    private static void CopyRows(DataFrame frame, int[]? columns, int start, int count, double[] destination)
    {
        var values = frame.Values;
        var width = frame.ColumnCount;
        if (columns is null)
        {
            values.Slice(start * width, count * width).CopyTo(destination);
            return;
        }

        var p = columns.Length;
        for (var r = 0; r < count; r++)
        {
            var source = (start + r) * width;
            for (var c = 0; c < p; c++)
            {
                destination[(r * p) + c] = values[source + columns[c]];
            }
        }
    }

    /// <summary>model-input: the last <paramref name="rows"/> rows of X, named by the input tags.</summary>
    private static ResultColumnGroup InputGroup(DataFrame x, int[]? columns, string[] tags, int rows)
    {
        var group = ResultColumnGroup.Create("model-input", tags, rows);
        var values = x.Values;
        var width = x.ColumnCount;
        var start = x.RowCount - rows;
        for (var c = 0; c < tags.Length; c++)
        {
            var source = columns is null ? c : columns[c];
            var column = group.Column(c);
            for (var r = 0; r < rows; r++)
            {
                column[r] = values[((start + r) * width) + source];
            }
        }

        return group;
    }

    private static ResultColumnGroup OutputGroup(double[] output, int rows, string[] names)
    {
        var group = ResultColumnGroup.Create("model-output", names, rows);
        var q = names.Length;
        for (var c = 0; c < q; c++)
        {
            var column = group.Column(c);
            for (var r = 0; r < rows; r++)
            {
                column[r] = output[(r * q) + c];
            }
        }

        return group;
    }

    private static string[] PositionalNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static string PythonList(string[] names)
    {
        const int shown = 50;
        var items = names.Take(shown).Select(n => "'" + n.Replace("'", "\\'", StringComparison.Ordinal) + "'");
        return "[" + string.Join(", ", items) + (names.Length > shown ? ", ..." : string.Empty) + "]";
    }
}
