using System.Diagnostics;
using System.Globalization;
using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;
using Gordo.Grains.Onnx;
using Gordo.Grains.Store;
using Gordo.Runtime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Grains.Models;

/// <summary>
/// One model target of one revision. Activation reads metadata.json (enough for <c>/metadata</c>);
/// the ONNX session is created on the first prediction, once, however many calls arrive together.
/// Calls interleave (<see cref="ReentrantAttribute"/>): after loading, the grain only reads its state,
/// and ONNX Runtime sessions take concurrent runs. Deactivation releases the session.
/// </summary>
[Reentrant]
public sealed partial class ModelGrain(
    ModelStore store,
    OnnxEnvironment environment,
    IOptions<OnnxRuntimeOptions> onnxOptions,
    IOptions<ModelBatchingOptions> batchingOptions,
    ModelGrainInstruments instruments,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, IGrainMemoryFootprint, IGrainDetails
{
    /// <summary>Native memory a session holds beyond its weights (graph, kernels, buffers); an estimate.</summary>
    private const long SessionOverheadBytes = 256 * 1024;

    private static readonly string[] s_single = [string.Empty];

    private readonly Lock _loadLock = new();
    private ModelDefinition? _definition;
    private Task<LoadedModel>? _loading;
    private volatile LoadedModel? _model;
    private bool _deactivated;
    private long _predictions;
    private DateTimeOffset? _loadedAt;

    public long MemoryBytes => (_definition?.MemoryBytes ?? 0) + (_model?.MemoryBytes ?? 0);

    public IReadOnlyDictionary<string, string> Details
    {
        get
        {
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["predictions"] = Volatile.Read(ref _predictions).ToString(CultureInfo.InvariantCulture),
                ["loaded"] = (_model is not null).ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
            };
            if (_model is { } model)
            {
                details["loadMilliseconds"] = model.LoadTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
                details["modelBytes"] = model.MemoryBytes.ToString(CultureInfo.InvariantCulture);
                details["anomalyDetector"] = model.Detector is null ? "none" : model.Detector.Smoothing?.ToString() ?? "diff";
                if (model.Batcher is { } batcher)
                {
                    details["batchedRuns"] = batcher.Runs.ToString(CultureInfo.InvariantCulture);
                    details["onnxCalls"] = batcher.Calls.ToString(CultureInfo.InvariantCulture);
                    details["rowWise"] = batcher.IsRowWise ? "true" : "false";
                }
            }

            if (_loadedAt is { } loadedAt)
            {
                details["loadedAt"] = loadedAt.ToString("O", CultureInfo.InvariantCulture);
            }

            return details;
        }
    }

    private ModelDefinition Definition => _definition ?? throw new InvalidOperationException("The model grain is not activated.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ModelKey.TryParse(GrainKey, out var key) || !store.IsKnownRevisionName(key.Revision) || !ModelStore.IsValidTargetName(key.Target))
        {
            throw new ModelNotFoundException($"'{GrainKey}' does not name a model.");
        }

        _definition = ModelDefinition.Load(store.GetModelFiles(key.Revision, key.Target), store.ConfiguredDirectory);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LoadedModel? model;
        lock (_loadLock)
        {
            _deactivated = true;
            model = _model;
            _model = null;
            _loading = null;
        }

        if (model is not null)
        {
            model.Dispose();
            instruments.Unloaded(model.MemoryBytes, reason);
            LogUnloaded(logger, Definition.Files.Target, Definition.Files.Revision, reason);
        }

        return Task.CompletedTask;
    }

    public ValueTask<ModelMetadataDocument> GetMetadataAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Definition.Metadata);

    public async ValueTask<long> LoadAsync(CancellationToken cancellationToken)
    {
        await GetModelAsync(cancellationToken).ConfigureAwait(false);
        return MemoryBytes;
    }

    public async ValueTask<ResultFrame> PredictAsync(PredictionRequest request, CancellationToken cancellationToken)
    {
        var definition = Definition;
        var model = await GetModelAsync(cancellationToken).ConfigureAwait(false);
        definition.RequireTags();
        var xColumns = ResolveColumns(request.X, definition.Tags, "X");
        if (request.Y is { } y)
        {
            ResolveColumns(y, definition.Targets, "y");
        }

        var x = request.X;
        Interlocked.Increment(ref _predictions);
        var (output, rows, width, _) = await RunAsync(model, x, xColumns).ConfigureAwait(false);
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

    public async ValueTask<ResultFrame> AnomalyAsync(AnomalyRequest request, CancellationToken cancellationToken)
    {
        var definition = Definition;
        var model = await GetModelAsync(cancellationToken).ConfigureAwait(false);
        definition.RequireTags();
        var xColumns = ResolveColumns(request.X, definition.Tags, "X");
        int[]? yColumns = null;
        if (request.Y is { } yFrame)
        {
            yColumns = ResolveColumns(yFrame, definition.Targets, "y");
        }

        var y = request.Y ?? throw new InvalidFrameException("Cannot perform anomaly without 'y' to compare against.");
        var detector = RequireDetector(model);
        var resolution = definition.RequireResolution();
        var targets = definition.Targets;
        if (model.OutputWidth is { } staticWidth && staticWidth != targets.Length)
        {
            throw Malformed($"its output has {staticWidth} columns but it has {targets.Length} target tags");
        }

        var x = request.X;
        Interlocked.Increment(ref _predictions);
        var (output, rows, width, _) = await RunAsync(model, x, xColumns).ConfigureAwait(false);
        double[]? yTail = null;
        try
        {
            if (width != targets.Length)
            {
                throw Malformed($"its output has {width} columns but it has {targets.Length} target tags");
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

    private async ValueTask<LoadedModel> GetModelAsync(CancellationToken cancellationToken)
    {
        if (_model is { } loaded)
        {
            return loaded;
        }

        Task<LoadedModel> task;
        TaskCompletionSource<LoadedModel>? mine = null;
        lock (_loadLock)
        {
            if (_model is { } model)
            {
                return model;
            }

            // One load at a time; a failed load is tried again by the next call.
            if (_loading is null || _loading.IsFaulted)
            {
                mine = new TaskCompletionSource<LoadedModel>(TaskCreationOptions.RunContinuationsAsynchronously);
                _loading = mine.Task;
            }

            task = _loading;
        }

        if (mine is not null)
        {
            try
            {
                LoadedModel model;
                // Make room under the silo's memory budget first: loading may evict idle models.
                using (await ReserveMemoryAsync(EstimatedBytes(Definition.Files.ModelPath)).ConfigureAwait(false))
                {
                    model = Load();
                    lock (_loadLock)
                    {
                        if (_deactivated)
                        {
                            model.Dispose();
                            throw new InvalidOperationException("The model grain was deactivated while its model loaded.");
                        }

                        _model = model;
                        _loadedAt = DateTimeOffset.UtcNow;
                    }
                }

                instruments.Loaded(model.LoadTime, model.MemoryBytes);
                mine.SetResult(model);
            }
            catch (Exception ex)
            {
                instruments.LoadFailed();
                mine.SetException(ex);
            }
        }

        return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private LoadedModel Load()
    {
        var definition = Definition;
        var files = definition.Files;
        var started = Stopwatch.GetTimestamp();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(files.ModelPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelNotFoundException($"No model found for '{files.Target}' in revision '{files.Revision}': it has no model.onnx.");
        }

        OnnxSession session;
        try
        {
            session = OnnxSession.Create(environment, bytes, OnnxSessionOptions.From(onnxOptions.Value) with { LogId = $"{files.Revision}/{files.Target}" });
        }
        catch (OnnxRuntimeException ex)
        {
            LogLoadFailed(logger, files.Target, files.Revision, ex.Message);
            throw Malformed($"ONNX Runtime cannot load model.onnx: {ex.Message}");
        }

        try
        {
            var (inputType, outputWidth) = CheckSignature(session, definition);
            DiffAnomalyDetector? detector = null;
            string? detectorError = null;
            if (session.GetCustomMetadata(AnomalyDetectorSpec.MetadataKey) is { } spec)
            {
                DiffAnomalyDetector.TryParse(spec, definition.Targets.Length, out detector, out detectorError);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var batching = batchingOptions.Value;
            var batcher = batching.Enabled
                ? new ModelBatcher(session, inputType, batching.MaxBatchRows, TimeSpan.FromMilliseconds(batching.MaxWaitMilliseconds))
                : null;
            var model = new LoadedModel(session, inputType, outputWidth, detector, detectorError, EstimatedBytes(bytes.Length), elapsed, batcher);
            LogLoaded(logger, files.Target, files.Revision, elapsed.TotalMilliseconds, bytes.Length);
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Memory a loaded model holds: its weights twice (the bytes ONNX Runtime parsed and the
    /// initialisers it keeps) plus the session's own structures.</summary>
    private static long EstimatedBytes(long modelFileBytes) => (2L * modelFileBytes) + SessionOverheadBytes;

    private static long EstimatedBytes(string modelPath)
    {
        var file = new FileInfo(modelPath);
        return file.Exists ? EstimatedBytes(file.Length) : 0;
    }

    /// <summary>The model must take one float32/float64 matrix of the tag count and give a matrix.</summary>
    private (TensorElementType Input, int? OutputWidth) CheckSignature(OnnxSession session, ModelDefinition definition)
    {
        if (session.Inputs.Count != 1)
        {
            throw Malformed($"model.onnx has {session.Inputs.Count} inputs; Gordo needs exactly one");
        }

        var input = session.Inputs[0];
        if (!input.IsTensor || input.ElementType is not (TensorElementType.Float or TensorElementType.Double) || input.Shape.Length != 2)
        {
            throw Malformed($"model.onnx input {input} is not a float32 or float64 matrix");
        }

        definition.RequireTags();
        if (input.Shape[1] >= 0 && input.Shape[1] != definition.Tags.Length)
        {
            throw Malformed($"model.onnx takes {input.Shape[1]} columns but metadata.json lists {definition.Tags.Length} tags");
        }

        var output = session.Outputs.Count > 0 ? session.Outputs[0] : null;
        if (output is null || !output.IsTensor || output.ElementType is not (TensorElementType.Float or TensorElementType.Double) || output.Shape.Length is not (1 or 2))
        {
            throw Malformed($"model.onnx's first output {(object?)output ?? "(none)"} is not a float32 or float64 matrix");
        }

        int? width = output.Shape.Length == 1 ? 1 : output.Shape[1] >= 0 ? (int)output.Shape[1] : null;
        return (input.ElementType, width);
    }

    private DiffAnomalyDetector RequireDetector(LoadedModel model)
    {
        if (model.DetectorError is { } error)
        {
            throw Malformed(error);
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
    private async ValueTask<RunOutput> RunAsync(LoadedModel model, DataFrame x, int[]? columns)
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
            throw Malformed($"its output has {run.Rank} dimensions ({run.Rows} rows) for {n} input rows");
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

    private MalformedModelException Malformed(string reason) => new(Definition.Files.Revision, Definition.Files.Target, reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loaded model {Target} of revision {Revision} in {Milliseconds:F1} ms ({Bytes} bytes of ONNX)")]
    private static partial void LogLoaded(ILogger logger, string target, string revision, double milliseconds, long bytes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "ONNX Runtime cannot load model {Target} of revision {Revision}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string target, string revision, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Unloaded model {Target} of revision {Revision} ({Reason})")]
    private static partial void LogUnloaded(ILogger logger, string target, string revision, DeactivationReason reason);
}
