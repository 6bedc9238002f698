using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Gordo.Api.V2.Grpc.Protocol;

namespace Gordo.Bench;

/// <summary>
/// The closed loop of <see cref="LoadDriver"/> over the Open Inference Protocol's gRPC <c>ModelInfer</c>:
/// <c>connections</c> workers send the same request back to back, spread over <c>channels</c> HTTP/2
/// connections (a gRPC client multiplexes calls over few connections; one per worker by default).
/// As the HTTP driver drains answers without parsing them, the request is sent as its serialized bytes
/// and the answer is only counted (protobuf parsing is the client's cost, not the server's).
/// Server figures (CPU, allocations, RSS) come from the HTTP port's /metrics as for HTTP loads.
/// </summary>
public sealed class GrpcLoadDriver(LoadOptions options, string grpcAddress, int channelCount)
{
    public async Task<LoadResult> RunAsync()
    {
        var request = await File.ReadAllBytesAsync(options.BodyFile);
        ModelInferRequest.Parser.ParseFrom(request); // a valid ModelInferRequest
        var channels = Enumerable.Range(0, Math.Clamp(channelCount, 1, options.Connections))
            .Select(_ => GrpcChannel.ForAddress($"http://{grpcAddress}", new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null }))
            .ToArray();
        using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var clients = Enumerable.Range(0, options.Connections).Select(w => channels[w % channels.Length].CreateCallInvoker()).ToArray();
            if (options.WarmupSeconds > 0)
            {
                await PhaseAsync(clients, request, TimeSpan.FromSeconds(options.WarmupSeconds));
            }

            var before = await ServerFigures.ReadAsync(http, options);
            var watch = Stopwatch.StartNew();
            var (latencies, errors) = await PhaseAsync(clients, request, TimeSpan.FromSeconds(options.DurationSeconds));
            var elapsed = watch.Elapsed;
            var after = await ServerFigures.ReadAsync(http, options);
            latencies.Sort();
            var count = latencies.Count;
            double Percentile(double p) => count == 0 ? double.NaN : latencies[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)] * 1000.0 / Stopwatch.Frequency;
            return new LoadResult(
                options.Label, options.Connections, count, errors, new Dictionary<int, int> { [200] = count - errors }, elapsed.TotalSeconds,
                count / elapsed.TotalSeconds, Percentile(0.5), Percentile(0.99), Percentile(0.999),
                count == 0 ? double.NaN : latencies.Average() * 1000.0 / Stopwatch.Frequency,
                after.CpuSeconds - before.CpuSeconds is var cpu && cpu >= 0 && count > 0 ? cpu / count * 1000 : null,
                after.AllocatedBytes is { } a && before.AllocatedBytes is { } b && count > 0 ? (a - b) / count : null,
                after.ResidentBytes, request.Length, after.Threads);
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary><c>ModelInfer</c> with the request as bytes and the answer's length as its result.</summary>
    private static readonly Method<byte[], AnswerSize> s_modelInfer = new(MethodType.Unary, "inference.GRPCInferenceService", "ModelInfer",
        new Marshaller<byte[]>(bytes => bytes, bytes => bytes),
        new Marshaller<AnswerSize>((_, _) => throw new NotSupportedException(), context => new AnswerSize(context.PayloadLength)));

    private static async Task<(List<long> Latencies, int Errors)> PhaseAsync(CallInvoker[] clients, byte[] request, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        var perWorker = new List<long>[clients.Length];
        await Task.WhenAll(clients.Select((client, w) => Task.Run(async () =>
        {
            var latencies = perWorker[w] = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if ((await client.AsyncUnaryCall(s_modelInfer, null, default, request)).Bytes == 0)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
        })));
        return ([.. perWorker.SelectMany(l => l)], errors);
    }

    private sealed record AnswerSize(int Bytes);
}
