using Gordo.Grains.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Models;

/// <summary>
/// Merges one model's concurrent runs into one ONNX Runtime call. A run that finds the model idle
/// leads: it waits up to the configured time, takes every queued run (up to the row limit), stacks
/// their rows, runs the model once and hands each caller its rows of the output. Runs that arrive
/// meanwhile queue for the next call, which the thread pool starts as soon as this one ends, so a
/// leader never serves other callers' batches after its own.
/// </summary>
/// <remarks>
/// Only models whose output row <c>i</c> depends on input row <c>i</c> alone can be merged. A merged
/// call whose output has fewer rows than its input (a model with a look-back window, gordo's
/// <c>model_offset</c>) stops batching for the model, and its runs are repeated one by one; so is a
/// merged call that ONNX Runtime refuses, so that one bad input fails only its own request.
/// </remarks>
internal sealed class ModelBatcher(OnnxSession session, TensorElementType inputType, int maxRows, TimeSpan maxWait)
{
    private readonly Lock _lock = new();
    private readonly Queue<Pending> _queue = new();
    private bool _running;
    private volatile bool _rowWise = true;
    private long _calls;
    private long _runs;

    /// <summary>ONNX Runtime calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Runs asked for (each request is one).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>False once a merged call showed that the model's rows depend on each other.</summary>
    public bool IsRowWise => _rowWise;

    /// <summary>
    /// Runs the model on <paramref name="rows"/> × <paramref name="width"/> row-major values. The caller
    /// owns <paramref name="input"/> until the task ends; the output is pooled and the caller's to return.
    /// </summary>
    public Task<RunOutput> RunAsync(double[] input, int rows, int width)
    {
        Interlocked.Increment(ref _runs);
        if (!_rowWise || rows >= maxRows)
        {
            return Task.FromResult(RunOne(input, rows, width));
        }

        var pending = new Pending(input, rows, width);
        bool lead;
        lock (_lock)
        {
            _queue.Enqueue(pending);
            lead = !_running;
            _running = true;
        }

        if (lead)
        {
            if (maxWait > TimeSpan.Zero)
            {
                _ = LeadAfterAsync();
            }
            else
            {
                RunNextBatch();
            }
        }

        return pending.Done.Task;
    }

    private async Task LeadAfterAsync()
    {
        await Task.Delay(maxWait).ConfigureAwait(false);
        RunNextBatch();
    }

    /// <summary>Runs the queued runs (up to the row limit) as one call, then schedules the next batch if any.</summary>
    private void RunNextBatch()
    {
        var batch = new List<Pending>();
        lock (_lock)
        {
            var rows = 0;
            while (_queue.TryPeek(out var next) && (batch.Count == 0 || rows + next.Rows <= maxRows))
            {
                batch.Add(_queue.Dequeue());
                rows += next.Rows;
            }
        }

        try
        {
            RunBatch(batch);
        }
        finally
        {
            bool more;
            lock (_lock)
            {
                more = _queue.Count > 0;
                _running = more;
            }

            if (more)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static batcher => batcher.RunNextBatch(), this, preferLocal: false);
            }
        }
    }

    private void RunBatch(List<Pending> batch)
    {
        if (batch.Count == 1 || !_rowWise)
        {
            foreach (var pending in batch)
            {
                Complete(pending);
            }

            return;
        }

        var width = batch[0].Width;
        var total = 0;
        foreach (var pending in batch)
        {
            total += pending.Rows;
        }

        var input = PooledArrays.Rent<double>(total * width);
        RunOutput merged;
        try
        {
            var offset = 0;
            foreach (var pending in batch)
            {
                pending.Input.AsSpan(0, pending.Rows * width).CopyTo(input.AsSpan(offset));
                offset += pending.Rows * width;
            }

            merged = RunOne(input, total, width);
        }
        catch (OnnxRuntimeException)
        {
            // Let each run fail or succeed on its own.
            foreach (var pending in batch)
            {
                Complete(pending);
            }

            return;
        }
        finally
        {
            PooledArrays.Return(input);
        }

        try
        {
            if (merged.Rows != total || merged.Rank is not (1 or 2))
            {
                _rowWise = false;
                foreach (var pending in batch)
                {
                    Complete(pending);
                }

                return;
            }

            var row = 0;
            foreach (var pending in batch)
            {
                var output = PooledArrays.Rent<double>(Math.Max(1, pending.Rows * merged.Width));
                merged.Output.AsSpan(row * merged.Width, pending.Rows * merged.Width).CopyTo(output);
                row += pending.Rows;
                pending.Done.SetResult(new RunOutput(output, pending.Rows, merged.Width, merged.Rank));
            }
        }
        finally
        {
            PooledArrays.Return(merged.Output);
        }
    }

    private void Complete(Pending pending)
    {
        try
        {
            pending.Done.SetResult(RunOne(pending.Input, pending.Rows, pending.Width));
        }
        catch (Exception ex)
        {
            pending.Done.SetException(ex);
        }
    }

    /// <summary>One ONNX Runtime call on row-major float64 input (converted for a float32 model).</summary>
    private RunOutput RunOne(double[] input, int rows, int width)
    {
        Interlocked.Increment(ref _calls);
        Span<long> shape = [rows, width];
        var count = rows * width;
        OnnxTensor tensor;
        if (inputType == TensorElementType.Double)
        {
            tensor = session.Run<double>(input.AsMemory(0, count), shape);
        }
        else
        {
            var floats = PooledArrays.Rent<float>(count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    floats[i] = (float)input[i];
                }

                tensor = session.Run<float>(floats.AsMemory(0, count), shape);
            }
            finally
            {
                PooledArrays.Return(floats);
            }
        }

        using (tensor)
        {
            return RunOutput.From(tensor);
        }
    }

    private sealed class Pending(double[] input, int rows, int width)
    {
        public double[] Input { get; } = input;

        public int Rows { get; } = rows;

        public int Width { get; } = width;

        public TaskCompletionSource<RunOutput> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
