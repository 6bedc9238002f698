using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gordo.Frames.Json;

/// <summary>
/// JSON writer settings for everything Gordo serves: only what JSON requires is escaped (quotes,
/// backslashes, control characters), so <c>'</c>, <c>+</c> and <c>&lt;</c> stay as they are, as in
/// gordo's responses. The bodies are <c>application/json</c>, never embedded in HTML.
/// </summary>
public static class GordoJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>As <see cref="WriterOptions"/>, for writers whose structure is correct by construction.</summary>
    public static JsonWriterOptions UncheckedWriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
}
