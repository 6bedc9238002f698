using Gordo.GrainInterfaces;

namespace Gordo.Api.Http;

/// <summary>503: the request's frames did not fit in the bytes-in-flight budget within the admission
/// timeout. The answer carries <c>Retry-After</c>.</summary>
public sealed class FrameAdmissionException(long bytes, TimeSpan waited)
    : GordoException(503, $"The server is busy with other large requests: {bytes} bytes of frames did not fit in its budget within {waited.TotalSeconds:0.#} s. Retry later or send smaller batches.")
{
    /// <summary>Seconds the client should wait before trying again.</summary>
    public int RetryAfterSeconds => 5;
}
