namespace Gordo.GrainInterfaces;

/// <summary>400: the request's X or y cannot be used (shape, columns, values, index).</summary>
[GenerateSerializer]
public sealed class InvalidFrameException(string message, string errorKey = "message") : GordoException(400, message, errorKey);
