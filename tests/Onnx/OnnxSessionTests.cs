using System.Diagnostics;
using Gordo.Grains.Anomaly;
using Gordo.Grains.Onnx;
using Gordo.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Tests.Onnx;

/// <summary>Gordo's ONNX Runtime sessions (Microsoft.ML.OnnxRuntime) on real models built by gordo-build.</summary>
public sealed class OnnxSessionTests(TestCollection collection)
{
    private static readonly OnnxEnvironment s_environment = OnnxEnvironment.GetOrCreate(new OnnxRuntimeOptions());

    private byte[] ModelBytes(string name) => File.ReadAllBytes(Path.Combine(collection.CurrentDirectory, name, "model.onnx"));

    [Fact]
    public void Reports_inputs_outputs_and_custom_metadata()
    {
        using var session = OnnxSession.Create(s_environment, ModelBytes("pump-1"));
        var input = Assert.Single(session.Inputs);
        Assert.Equal("X", input.Name);
        Assert.True(input.IsTensor);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 6], input.Shape);
        Assert.Equal("X: Float[?, 6]", input.ToString());
        var output = Assert.Single(session.Outputs);
        Assert.Equal("Y", output.Name);
        Assert.Equal([-1L, 6], output.Shape);
        Assert.Equal("gordo-build", session.ProducerName);
        Assert.Contains("\"kind\":\"diff\"", session.GetCustomMetadata(AnomalyDetectorSpec.MetadataKey), StringComparison.Ordinal);
        Assert.Null(session.GetCustomMetadata("no-such-key"));
        Assert.Equal("1.31.1", OnnxEnvironment.RuntimeVersion);
    }

    [Fact]
    public void Runs_float32_over_caller_memory_like_the_trained_model()
    {
        var build = collection.Current("pump-1");
        var rows = build.Data.Values.SliceRows(0, 50);
        var expected = build.Model.Predict(rows);
        using var session = OnnxSession.Create(s_environment, ModelBytes("pump-1"));
        var input = rows.Data.Select(v => (float)v).ToArray();
        using var tensor = session.Run<float>(input, [50, 6]);
        Assert.Equal(TensorElementType.Float, tensor.ElementType);
        Assert.Equal([50L, 6], tensor.Shape);
        var values = tensor.Floats.ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(expected.Data[i], values[i], 1e-3 * Math.Max(1, Math.Abs(expected.Data[i])));
        }

        // The same run with the output written into caller-owned memory.
        var into = new float[50 * 6];
        session.RunInto<float, float>(input, [50, 6], into, [50, 6]);
        Assert.Equal(values, into);
    }

    [Fact]
    public void Runs_float64_models()
    {
        var build = collection.Current("windowed-ewma");
        var rows = build.Data.Values.SliceRows(10, 7);
        using var session = OnnxSession.Create(s_environment, ModelBytes("windowed-ewma"));
        Assert.Equal(TensorElementType.Double, session.Inputs[0].ElementType);
        using var tensor = session.Run<double>(rows.Data, [7, rows.Columns]);
        var expected = build.Model.Predict(rows);
        var actual = new double[tensor.ElementCount];
        tensor.CopyTo(actual);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected.Data[i], actual[i], 1e-9);
        }
    }

    [Fact]
    public void Every_failure_carries_onnx_runtimes_message()
    {
        var corrupt = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Create(s_environment, "not a model"u8.ToArray()));
        Assert.Contains("protobuf", corrupt.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[ErrorCode", corrupt.Message, StringComparison.Ordinal);
        Assert.Throws<OnnxRuntimeException>(() => OnnxSession.Create(s_environment, []));

        using var session = OnnxSession.Create(s_environment, ModelBytes("pump-1"));
        var wrongType = Assert.Throws<OnnxRuntimeException>(() => session.Run<double>(new double[12], [2, 6]));
        Assert.Contains("double", wrongType.Message, StringComparison.OrdinalIgnoreCase);
        var wrongWidth = Assert.Throws<OnnxRuntimeException>(() => session.Run<float>(new float[10], [2, 5]));
        Assert.Contains("dimensions", wrongWidth.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => session.Run<float>(new float[10], [2, 6]));
    }

    [Fact]
    public void Disposal_is_deterministic_and_later_use_fails_cleanly()
    {
        var session = OnnxSession.Create(s_environment, ModelBytes("pump-1"));
        var tensor = session.Run<float>(new float[6], [1, 6]);
        session.Dispose();
        Assert.Equal(6, tensor.Floats.Length); // the output outlives the session
        tensor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tensor.Floats.Length);
        Assert.Throws<ObjectDisposedException>(() => session.Run<float>(new float[6], [1, 6]));
        session.Dispose();
    }

    [Fact]
    public async Task Concurrent_runs_on_one_session_agree()
    {
        using var session = OnnxSession.Create(s_environment, ModelBytes("pump-1"));
        var input = Enumerable.Range(0, 60).Select(i => (float)(100 + i)).ToArray();
        float[] Run()
        {
            using var t = session.Run<float>(input, [10, 6]);
            return t.Floats.ToArray();
        }

        var expected = Run();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Enumerable.Range(0, 50).Select(_ => Run()).ToList(), TestContext.Current.CancellationToken)));
        Assert.All(results.SelectMany(r => r), r => Assert.Equal(expected, r));
    }
}

/// <summary>Native handles are released deterministically: many create/run/dispose cycles leave the
/// process's memory where it was (a leak of these sessions grows it by about 95 KiB each).</summary>
[Collection(IsolatedCollection.Name)]
public sealed class OnnxSessionLeakTests(TestCollection collection)
{
    private static readonly OnnxEnvironment s_environment = OnnxEnvironment.GetOrCreate(new OnnxRuntimeOptions());

    [Fact]
    public void A_thousand_live_sessions_share_one_thread_pool()
    {
        var bytes = File.ReadAllBytes(Path.Combine(collection.CurrentDirectory, "windowed-smm", "model.onnx"));
        var input = new float[20 * 5];
        using (var warm = OnnxSession.Create(s_environment, bytes))
        using (warm.Run<float>(input, [20, 5]))
        {
        }

        var before = Process.GetCurrentProcess().Threads.Count;
        var sessions = new List<OnnxSession>();
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                var session = OnnxSession.Create(s_environment, bytes);
                sessions.Add(session);
                using var tensor = session.Run<float>(input, [20, 5]);
            }

            var growth = Process.GetCurrentProcess().Threads.Count - before;
            Assert.True(growth < 16, $"1000 sessions added {growth} threads: sessions must share the global intra-op pool.");
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Creating_and_disposing_many_sessions_does_not_grow_memory()
    {
        var bytes = File.ReadAllBytes(Path.Combine(collection.CurrentDirectory, "windowed-smm", "model.onnx"));
        var input = new float[20 * 5];
        void Cycle(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var session = OnnxSession.Create(s_environment, bytes);
                using var tensor = session.Run<float>(input, [20, 5]);
            }
        }

        Cycle(200); // warm up allocators
        GC.Collect();
        var before = Process.GetCurrentProcess().WorkingSet64;
        Cycle(2000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = Process.GetCurrentProcess().WorkingSet64 - before;
        Assert.True(growth < 64L * 1024 * 1024, $"RSS grew by {growth / 1024 / 1024} MiB over 2000 session create/run/dispose cycles");
    }
}
