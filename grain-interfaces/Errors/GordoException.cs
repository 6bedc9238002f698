using Gordo.Runtime;

namespace Gordo.GrainInterfaces;

/// <summary>
/// An error with the HTTP status and JSON body key that gordo answers it with. Grains throw these;
/// the HTTP front end turns them into <c>{"&lt;ErrorKey&gt;": "&lt;message&gt;"}</c> with
/// <see cref="StatusCode"/>, and silo-to-silo calls carry all three fields.
/// </summary>
public class GordoException(int statusCode, string message, string errorKey = "error") : Exception(message), IGrainErrorStatus
{
    public int StatusCode { get; } = statusCode;

    /// <summary>"error" or "message": gordo used both, route by route.</summary>
    public string ErrorKey { get; } = errorKey;
}
