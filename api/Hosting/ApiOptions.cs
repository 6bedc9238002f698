namespace Gordo.Api.Hosting;

/// <summary>The HTTP front end's settings (section <c>Gordo:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Gordo:Api";

    /// <summary>Interface to listen on (env <c>GORDO_SERVER_HOST</c>), unless <c>--urls</c> / <c>ASPNETCORE_URLS</c> say otherwise.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Port (env <c>GORDO_SERVER_PORT</c>; gordo's default 5555).</summary>
    public int Port { get; set; } = 5555;

    /// <summary>Port of the Open Inference Protocol's gRPC service (env <c>GORDO_GRPC_PORT</c>; HTTP/2
    /// cleartext, on <see cref="Host"/>); unset, no gRPC port. That port answers gRPC calls and nothing else.</summary>
    public int? GrpcPort { get; set; }

    /// <summary>The raw YAML list served by <c>/expected-models</c> (env <c>EXPECTED_MODELS</c>).</summary>
    public string? ExpectedModels { get; set; }

    /// <summary><c>cohosted</c> (default): this process is also a silo. <c>gateway</c>: it hosts no grains
    /// and calls the cluster's silos (env <c>GORDO_API_MODE</c>).</summary>
    public string Mode { get; set; } = "cohosted";

    /// <summary>The key every <c>/admin/*</c> request must carry in <c>X-API-Key</c> (env
    /// <c>GORDO_ADMIN_SECRET</c>). Without one the admin routes are off (404).</summary>
    public string? AdminSecret { get; set; }

    public bool IsGateway => string.Equals(Mode, "gateway", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Frames decoded or encoded at once (the CPU-bound part of a prediction request); others wait their
    /// turn in order, answers to encode ahead of requests to decode (<see cref="Http.FrameWorkGate"/>).
    /// Default: one per core. With every request sharing the cores at once, a request
    /// ends only when all its neighbours do, and the slowest ones wait for the whole crowd; in turn,
    /// each takes about its own time. 0 lets every request through.
    /// </summary>
    public int MaxConcurrentFrameWork { get; set; } = Environment.ProcessorCount;

    /// <summary>Failed admin authentications (no key or a wrong one) a client address may make per minute;
    /// after that its admin requests get 429 with <c>Retry-After</c> until the minute ends.</summary>
    public int AdminFailuresPerMinute { get; set; } = 10;

    /// <summary>
    /// Bytes of frames decoded, run and encoded at once (<see cref="Http.FrameBudget"/>); a request that
    /// does not fit waits its turn. 0 (default): an eighth of the memory the process may use, at least 256 MiB.
    /// </summary>
    public long MaxFrameBytesInFlight { get; set; }

    /// <summary>How long a request waits for room under <see cref="MaxFrameBytesInFlight"/> before a 503.</summary>
    public TimeSpan FrameAdmissionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Answers estimated above this many bytes are streamed to the socket as they are encoded
    /// (chunked), not built whole first; a streamed JSON answer borrows a free frame-work slot's core to
    /// format sections ahead while one is free.</summary>
    public long StreamResponsesAboveBytes { get; set; } = 4L << 20;

    public long EffectiveMaxFrameBytesInFlight => MaxFrameBytesInFlight > 0
        ? MaxFrameBytesInFlight
        : Math.Max(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBytes { get; set; } = 256L * 1024 * 1024;
}
