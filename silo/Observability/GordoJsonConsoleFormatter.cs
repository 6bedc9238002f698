using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Gordo.Silo;

/// <summary>
/// One JSON object per line: <c>timestamp</c> (UTC), <c>level</c>, <c>category</c>, <c>eventId</c>,
/// <c>message</c>, <c>requestId</c> (from the request's scope), <c>silo</c>, the message's named values
/// under <c>fields</c>, and <c>exception</c>. Made for log shippers.
/// </summary>
public sealed class GordoJsonConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "gordo-json";

    private static readonly JsonWriterOptions s_writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One buffer and writer per thread: the access log writes a line per request.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;
    [ThreadStatic]
    private static bool t_busy;
    private readonly IOptionsMonitor<GordoConsoleFormatterOptions> _options;

    public GordoJsonConsoleFormatter(IOptionsMonitor<GordoConsoleFormatterOptions> options)
        : base(FormatterName) => _options = options;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        // A log call made while formatting (from a ToString, say) gets its own buffer.
        var reuse = !t_busy;
        var buffer = reuse ? t_buffer ??= new ArrayBufferWriter<byte>(512) : new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = reuse ? t_writer ??= new Utf8JsonWriter(buffer, s_writer) : new Utf8JsonWriter(buffer, s_writer);
        writer.Reset(buffer);
        t_busy = true;
        try
        {
            writer.WriteStartObject();
            Span<char> timestamp = stackalloc char[32];
            DateTime.UtcNow.TryFormat(timestamp, out var timestampLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            writer.WriteString("timestamp", timestamp[..timestampLength]);
            writer.WriteString("level", logEntry.LogLevel.ToString());
            writer.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                writer.WriteNumber("eventId", logEntry.EventId.Id);
            }

            writer.WriteString("message", message);
            string? requestId = null;
            scopeProvider?.ForEachScope((scope, _) =>
            {
                if (scope is RequestIdScope request)
                {
                    requestId = request.RequestId;
                }
            }, (object?)null);
            if (requestId is not null)
            {
                writer.WriteString("requestId", requestId);
            }

            if (_options.CurrentValue.Silo is { } silo)
            {
                writer.WriteString("silo", silo);
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Count > 1)
            {
                writer.WriteStartObject("fields");
                foreach (var (key, value) in fields)
                {
                    if (key != "{OriginalFormat}")
                    {
                        WriteValue(writer, key, value);
                    }
                }

                writer.WriteEndObject();
            }

            if (logEntry.Exception is { } exception)
            {
                writer.WriteString("exception", exception.ToString());
            }

            writer.WriteEndObject();
            writer.Flush();
            var bytes = buffer.WrittenSpan;
            var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
            var count = Encoding.UTF8.GetChars(bytes, chars);
            chars[count] = '\n';
            textWriter.Write(chars, 0, count + 1);
            ArrayPool<char>.Shared.Return(chars);
        }
        finally
        {
            if (reuse)
            {
                t_busy = false;
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(key);
                break;
            case bool b:
                writer.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong:
                writer.WriteNumber(key, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumber(key, d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumber(key, f);
                break;
            case TimeSpan t:
                writer.WriteNumber(key, t.TotalSeconds);
                break;
            default:
                writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
