namespace Gordo.GrainInterfaces;

/// <summary>
/// An error with the HTTP status and JSON body key that gordo answers it with. Grains throw these;
/// the HTTP front end turns them into <c>{"&lt;ErrorKey&gt;": "&lt;message&gt;"}</c> with
/// <see cref="StatusCode"/>. Orleans carries the type, message and both fields between silos, so a
/// model's error keeps its status wherever the grain lives.
/// </summary>
[GenerateSerializer]
public class GordoException(int statusCode, string message, string errorKey = "error") : Exception(message)
{
    [Id(0)]
    public int StatusCode { get; private set; } = statusCode;

    /// <summary>"error" or "message": gordo used both, route by route.</summary>
    [Id(1)]
    public string ErrorKey { get; private set; } = errorKey;
}
