namespace Gordo.Runtime;

/// <summary>An exception thrown by a grain on another silo, re-raised on the caller with its type name,
/// message and (when it had one) its status.</summary>
public sealed class RemoteGrainException(string exceptionType, string message, int statusCode, string errorKey)
    : Exception(message), IGrainErrorStatus
{
    /// <summary>The original exception's full type name.</summary>
    public string ExceptionType { get; } = exceptionType;

    public int StatusCode { get; } = statusCode;

    public string ErrorKey { get; } = errorKey;
}
