namespace Gordo.Runtime;

/// <summary>
/// An exception that carries the status a caller should answer with. Such exceptions cross silo
/// boundaries with their status, key and message intact (as <see cref="RemoteGrainException"/>), so
/// a front end answers the same whether the grain ran locally or on another silo.
/// </summary>
public interface IGrainErrorStatus
{
    int StatusCode { get; }

    string ErrorKey { get; }
}
