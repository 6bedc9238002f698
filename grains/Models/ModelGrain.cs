using System.Diagnostics;
using System.Globalization;
using Gordo.GrainInterfaces;
using Gordo.Grains.Activations;
using Gordo.Grains.Anomaly;
using Gordo.Grains.Onnx;
using Gordo.Grains.Store;
using Orleans.Concurrency;
using Orleans.Placement;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Grains.Models;

/// <summary>
/// One model target of one revision. Activation reads metadata.json (enough for <c>/metadata</c>);
/// the ONNX session is created on the first prediction, once, however many calls arrive together.
/// Calls interleave (<see cref="ReentrantAttribute"/>): after loading, the grain only reads its state,
/// and ONNX Runtime sessions take concurrent runs. Deactivation releases the session.
/// Placement hashes the key over the compatible silos: a burst of new models spreads evenly at once
/// (Orleans' default, resource-optimised placement, put a burst of 20 on one silo), and a silo that
/// joins takes its share of the activations that follow.
/// Orleans calls <see cref="OnDeactivateAsync"/> only for an activation that was valid when its deactivation
/// began (ActivationData.FinishDeactivating); one deactivated while still activating is only disposed,
/// so disposal retires the grain too (once, whichever comes first).
/// </summary>
[Reentrant]
[GrainType(ModelGrainType)]
[HashBasedPlacement]
public sealed partial class ModelGrain(
    ModelStore store,
    OnnxEnvironment environment,
    IOptions<OnnxRuntimeOptions> onnxOptions,
    IOptions<ModelBatchingOptions> batchingOptions,
    ModelGrainInstruments instruments,
    ModelActivations activations,
    ILogger<ModelGrain> logger) : Grain, IModelGrain, IDisposable
{
    /// <summary>The grain type of model grains (their Orleans grain ids read <c>model/&lt;revision&gt;/&lt;target&gt;</c>).</summary>
    public const string ModelGrainType = "model";

    /// <summary>Native memory a session holds beyond its weights (graph, kernels, buffers); an estimate.</summary>
    private const long SessionOverheadBytes = 256 * 1024;

    private static readonly string[] s_single = [string.Empty];

    private static readonly DeactivationReason s_droppedWhileActivating = new(DeactivationReasonCode.None, "dropped before its activation completed");

    private readonly Lock _loadLock = new();
    private ModelDefinition? _definition;
    private Task<LoadedModel>? _loading;
    private volatile LoadedModel? _model;
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GordoException? _activationError;
    private bool _deactivated;
    private int _retired;
    private DeactivationReason? _requestedReason;
    private long _predictions;
    private long _calls;
    private int _inFlight;
    private long _lastUsedTicks = Environment.TickCount64;
    private DateTimeOffset? _loadedAt;

    /// <summary>This grain's key, <c>revision/target</c>.</summary>
    public string Key => this.GetPrimaryKeyString();

    public DateTimeOffset ActivatedAt { get; } = DateTimeOffset.UtcNow;

    public int InFlightCalls => Volatile.Read(ref _inFlight);

    public long Calls => Volatile.Read(ref _calls);

    public long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

    public TimeSpan IdleFor => TimeSpan.FromMilliseconds(Math.Max(0, Environment.TickCount64 - LastUsedTicks));

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

    /// <summary>The model's definition; for a key with no usable model, the call's error (and the grain
    /// deactivates after the call, so that a model deployed later is found by the next one).</summary>
    private ModelDefinition Definition
    {
        get
        {
            if (_definition is { } definition)
            {
                return definition;
            }

            DeactivateOnIdle();
            throw (Exception?)_activationError ?? new InvalidOperationException("The model grain is not activated.");
        }
    }

    /// <summary>
    /// Reads metadata.json. A key that names no model, or a model whose files are broken, is not an
    /// activation failure in Orleans' sense: every call gets the model's own error (404, 500) and the
    /// grain deactivates after that call, so a model deployed later is found by the next call.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        activations.Add(this);
        instruments.ActivationCreated();
        try
        {
            var key = Key;
            if (!ModelKey.TryParse(key, out var modelKey) || !store.IsKnownRevisionName(modelKey.Revision) || !ModelStore.IsValidTargetName(modelKey.Target))
            {
                throw new ModelNotFoundException($"'{key}' does not name a model.");
            }

            _definition = ModelDefinition.Load(store.GetModelFiles(modelKey.Revision, modelKey.Target), store.ConfiguredDirectory);
        }
        catch (GordoException ex)
        {
            _activationError = ex;
            instruments.ActivationFailed();
        }

        return Task.CompletedTask;
    }

    /// <summary>Asks Orleans to deactivate this grain (calls in flight finish first) and waits until it is gone.</summary>
    internal async Task<bool> DeactivateAsync(DeactivationReason reason, TimeSpan wait)
    {
        _requestedReason ??= reason;
        GrainContext.Deactivate(reason);
        try
        {
            await _gone.Task.WaitAsync(wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Retire(reason);
        return Task.CompletedTask;
    }

    /// <summary>Orleans disposes every activation it drops, including one that never finished activating.</summary>
    public void Dispose() => Retire(_requestedReason ?? s_droppedWhileActivating);

    /// <summary>Leaves the silo's listing and budget, releases the session and wakes whoever waits for the grain to go.</summary>
    private void Retire(DeactivationReason reason)
    {
        if (Interlocked.Exchange(ref _retired, 1) != 0)
        {
            return;
        }

        activations.Remove(this);
        instruments.ActivationDeactivated(reason);
        try
        {
            Release(reason);
        }
        finally
        {
            _gone.TrySetResult();
        }
    }

    private void Release(DeactivationReason reason)
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
            LogUnloaded(logger, Definition.Files.Target, Definition.Files.Revision, reason.ToLabel());
        }
    }

    public ValueTask<ModelMetadataDocument> GetMetadataAsync(CancellationToken cancellationToken)
    {
        Touch();
        return ValueTask.FromResult(Definition.Metadata);
    }

    public async ValueTask<ResultFrame> PredictAsync(PredictionRequest request, CancellationToken cancellationToken)
    {
        using var call = Enter();
        var model = await GetModelAsync(cancellationToken);
        var definition = Definition;
        Interlocked.Increment(ref _predictions);

        // A grain's turns run one at a time on its scheduler: the computation goes to the thread pool so
        // that concurrent requests for one model use every core (the session takes concurrent runs).
        return await Task.Run(() => ModelInference.PredictAsync(definition, model, request).AsTask(), cancellationToken);
    }

    public async ValueTask<ResultFrame> AnomalyAsync(AnomalyRequest request, CancellationToken cancellationToken)
    {
        using var call = Enter();
        var model = await GetModelAsync(cancellationToken);
        var definition = Definition;
        Interlocked.Increment(ref _predictions);
        return await Task.Run(() => ModelInference.AnomalyAsync(definition, model, request).AsTask(), cancellationToken);
    }

    public async ValueTask<ModelSignature> GetSignatureAsync(CancellationToken cancellationToken)
    {
        using var call = Enter();
        var model = await GetModelAsync(cancellationToken);
        return model.Signature ??= ModelSignatures.Describe(Definition, model);
    }

    public async ValueTask<long> LoadAsync(CancellationToken cancellationToken)
    {
        using var call = Enter();
        await GetModelAsync(cancellationToken);
        return MemoryBytes;
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
                using (await activations.ReserveAsync(this, EstimatedBytes(Definition.Files.ModelPath), cancellationToken))
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

        return await task.WaitAsync(cancellationToken);
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


    private void Touch()
    {
        Interlocked.Increment(ref _calls);
        Volatile.Write(ref _lastUsedTicks, Environment.TickCount64);
    }

    /// <summary>Counts a call in flight (idle grains are the ones the budget may evict) until disposed.</summary>
    private CallScope Enter()
    {
        Touch();
        Interlocked.Increment(ref _inFlight);
        return new CallScope(this);
    }

    private readonly struct CallScope(ModelGrain grain) : IDisposable
    {
        public void Dispose()
        {
            Volatile.Write(ref grain._lastUsedTicks, Environment.TickCount64);
            Interlocked.Decrement(ref grain._inFlight);
        }
    }

    private MalformedModelException Malformed(string reason) => Definition.Malformed(reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loaded model {Target} of revision {Revision} in {Milliseconds:F1} ms ({Bytes} bytes of ONNX)")]
    private static partial void LogLoaded(ILogger logger, string target, string revision, double milliseconds, long bytes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "ONNX Runtime cannot load model {Target} of revision {Revision}: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string target, string revision, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Unloaded model {Target} of revision {Revision} ({Reason})")]
    private static partial void LogUnloaded(ILogger logger, string target, string revision, string reason);
}
