namespace Gordo.Api.Http;

/// <summary>The CPU-bound stages of a request that <see cref="FrameWorkGate"/> lets through a few at a time.</summary>
public enum FrameWork
{
    /// <summary>Decoding a request's frames: a new request starting.</summary>
    Decode,

    /// <summary>Encoding an answer: a request that has been decoded and answered finishing; goes first.</summary>
    Encode,
}
