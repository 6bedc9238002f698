namespace Gordo.Runtime;

/// <summary>How an exception crosses silos: its type, message and (when it has one) status and key.</summary>
internal static class ErrorEnvelope
{
    public static void Write(WireWriter writer, Exception exception)
    {
        writer.WriteString(exception is RemoteGrainException remote ? remote.ExceptionType : exception.GetType().FullName);
        writer.WriteString(exception.Message);
        var status = exception as IGrainErrorStatus;
        writer.WriteInt32(status?.StatusCode ?? 500);
        writer.WriteString(status?.ErrorKey ?? "error");
    }

    public static RemoteGrainException Read(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var type = reader.ReadString() ?? "Exception";
        var message = reader.ReadString() ?? string.Empty;
        var status = reader.ReadInt32();
        var key = reader.ReadString() ?? "error";
        return new RemoteGrainException(type, message, status, key);
    }
}
