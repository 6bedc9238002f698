namespace Gordo.Frames;

/// <summary>
/// A request frame that cannot be decoded (JSON or Parquet): always the client's error, a 400 whose
/// body key is gordo's for the case (<c>message</c> or <c>error</c>). The HTTP front end turns it into
/// its JSON answer.
/// </summary>
public sealed class FrameFormatException(string message, string errorKey = "message") : Exception(message)
{
    public int StatusCode => 400;

    /// <summary>"error" or "message": gordo used both, case by case.</summary>
    public string ErrorKey { get; } = errorKey;
}
