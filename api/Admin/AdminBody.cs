using System.Text.Json;
using Gordo.GrainInterfaces;

namespace Gordo.Api.Admin;

/// <summary>Reads an admin request's JSON object body strictly: valid JSON, an object, known keys, string values.</summary>
internal static class AdminBody
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>The body's string fields (an empty body is an empty object when <paramref name="optional"/>).</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(HttpContext context, IReadOnlyCollection<string> allowed, bool optional)
    {
        if (context.Request.ContentLength > MaxBytes)
        {
            throw Bad($"The body is larger than {MaxBytes} bytes.", 413);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBytes)
        {
            throw Bad($"The body is larger than {MaxBytes} bytes.", 413);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (buffer.Length == 0)
        {
            return optional ? fields : throw Bad($"A JSON object body with {string.Join(", ", allowed.Select(a => $"\"{a}\""))} is required.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException ex)
        {
            throw Bad($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Bad($"The body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            try
            {
                ReadFields(document.RootElement, allowed, fields);
            }
            catch (InvalidOperationException)
            {
                // JsonDocument checks a string's UTF-8 only when it converts it.
                throw Bad("The body holds a name or value that is not valid text: invalid UTF-8 or an escaped lone surrogate.");
            }
        }

        return fields;
    }

    private static void ReadFields(JsonElement root, IReadOnlyCollection<string> allowed, Dictionary<string, string> fields)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw Bad($"Unknown field \"{Shorten(property.Name)}\"; the fields are {string.Join(", ", allowed.Select(a => $"\"{a}\""))}.");
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw Bad($"Field \"{property.Name}\" must be a string.");
            }

            fields[property.Name] = property.Value.GetString()!;
        }
    }

    public static GordoException Bad(string message, int status = StatusCodes.Status400BadRequest) => new(status, message);

    public static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
