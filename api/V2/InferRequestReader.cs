using System.Text.Json;

namespace Gordo.Api.V2;

/// <summary>
/// Reads the REST inference request: the JSON object (<c>id</c>, <c>parameters</c>, <c>inputs</c>,
/// <c>outputs</c>), with each input's <c>data</c> flat or nested, and with the binary tensor data
/// extension the bytes after the JSON header (<c>Inference-Header-Content-Length</c>): the inputs whose
/// <c>binary_data_size</c> is set, in order, little-endian. Anything it cannot use is a 400 that says why.
/// </summary>
internal static class InferRequestReader
{
    public static InferRequest Read(ReadOnlySpan<byte> body, int? headerLength, long maxCells)
    {
        if (headerLength is { } length && (length < 0 || length > body.Length))
        {
            throw Invalid($"Inference-Header-Content-Length is {length} but the body has {body.Length} bytes.");
        }

        var json = headerLength is { } h ? body[..h] : body;
        var binary = headerLength is { } b ? body[b..] : [];
        var inputs = new List<PendingInput>();
        List<RequestedOutput>? outputs = null;
        string? id = null;
        var binaryOutputs = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            Expect(ref reader, JsonTokenType.StartObject, "The request body must be a JSON object.");
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"))
                {
                    id = ReadString(ref reader, "id");
                }
                else if (reader.ValueTextEquals("parameters"))
                {
                    binaryOutputs = ReadParameters(ref reader, "binary_data_output") is JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("inputs"))
                {
                    Expect(ref reader, JsonTokenType.StartArray, "'inputs' must be an array.");
                    while (Next(ref reader) != JsonTokenType.EndArray)
                    {
                        inputs.Add(ReadInput(ref reader, maxCells));
                    }
                }
                else if (reader.ValueTextEquals("outputs"))
                {
                    outputs = ReadOutputs(ref reader);
                }
                else
                {
                    Skip(ref reader);
                }
            }

            if (Next(ref reader) != JsonTokenType.None)
            {
                throw Invalid("The request body has more after its JSON object; binary tensor data needs Inference-Header-Content-Length.");
            }

            return new InferRequest(id, BinaryTensorData.Complete(inputs, binary, maxCells), outputs, binaryOutputs);
        }
        catch (JsonException ex)
        {
            inputs.ForEach(i => i.Dispose());
            throw Invalid($"The request body is not valid JSON: {ex.Message}");
        }
        catch
        {
            inputs.ForEach(i => i.Dispose());
            throw;
        }
    }

    private static PendingInput ReadInput(ref Utf8JsonReader reader, long maxCells)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid("Every input must be a JSON object.");
        }

        var input = new PendingInput();
        try
        {
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"))
                {
                    input.Name = ReadString(ref reader, "An input's name");
                }
                else if (reader.ValueTextEquals("datatype"))
                {
                    input.Datatype = ParseDatatype(ReadString(ref reader, "An input's datatype"), input.Name);
                }
                else if (reader.ValueTextEquals("shape"))
                {
                    input.Shape = ReadShape(ref reader, input.Name);
                }
                else if (reader.ValueTextEquals("parameters"))
                {
                    input.BinarySize = ReadBinarySize(ref reader, input.Name);
                }
                else if (reader.ValueTextEquals("data"))
                {
                    ReadData(ref reader, input, maxCells);
                }
                else
                {
                    Skip(ref reader);
                }
            }

            return input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Numbers, flat or nested to any depth, in row-major order.</summary>
    private static void ReadData(ref Utf8JsonReader reader, PendingInput input, long maxCells)
    {
        var name = input.Name ?? "(unnamed)";
        Expect(ref reader, JsonTokenType.StartArray, $"Input '{name}': 'data' must be an array of numbers.");
        input.Values ??= PooledArrays.Rent<double>(256);
        var depth = 1;
        while (depth > 0)
        {
            switch (Next(ref reader))
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.Number:
                    if (!reader.TryGetDouble(out var value))
                    {
                        throw Invalid($"Input '{name}' has a number out of range.");
                    }

                    if (input.Count >= maxCells)
                    {
                        throw Invalid($"Input '{name}' has more than {maxCells} values.");
                    }

                    input.Add(value);
                    break;
                default:
                    throw Invalid($"Input '{name}': 'data' holds a {Describe(reader.TokenType)}; FP32 and FP64 tensors hold numbers.");
            }
        }
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string? name)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"Input '{name}': 'shape' must be an array of integers.");
        var shape = new List<long>(2);
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var dimension) || dimension < 0)
            {
                throw Invalid($"Input '{name}': 'shape' must be an array of non-negative integers.");
            }

            if (shape.Count == 8)
            {
                throw Invalid($"Input '{name}' has more than 8 dimensions.");
            }

            shape.Add(dimension);
        }

        return [.. shape];
    }

    private static long? ReadBinarySize(ref Utf8JsonReader reader, string? name)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"Input '{name}': 'parameters' must be an object.");
        long? size = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("binary_data_size"))
            {
                Next(ref reader);
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value) || value < 0)
                {
                    throw Invalid($"Input '{name}': 'binary_data_size' must be a non-negative integer.");
                }

                size = value;
            }
            else
            {
                Skip(ref reader);
            }
        }

        return size;
    }

    private static List<RequestedOutput> ReadOutputs(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'outputs' must be an array.");
        var outputs = new List<RequestedOutput>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("Every requested output must be a JSON object with a 'name'.");
            }

            string? name = null;
            bool? binary = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"))
                {
                    name = ReadString(ref reader, "An output's name");
                }
                else if (reader.ValueTextEquals("parameters"))
                {
                    binary = ReadParameters(ref reader, "binary_data") switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => null,
                    };
                }
                else
                {
                    Skip(ref reader);
                }
            }

            outputs.Add(new RequestedOutput(name ?? throw Invalid("Every requested output needs a 'name'."), binary));
        }

        return outputs;
    }

    /// <summary>Reads a parameters object; returns the token of the boolean parameter <paramref name="flag"/> if present.</summary>
    private static JsonTokenType ReadParameters(ref Utf8JsonReader reader, string flag)
    {
        Expect(ref reader, JsonTokenType.StartObject, "'parameters' must be a JSON object.");
        var found = JsonTokenType.None;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(flag))
            {
                found = Next(ref reader);
                if (found is not (JsonTokenType.True or JsonTokenType.False))
                {
                    throw Invalid($"The '{flag}' parameter must be true or false.");
                }
            }
            else
            {
                Skip(ref reader);
            }
        }

        return found;
    }

    private static TensorDatatype ParseDatatype(string datatype, string? name) => datatype switch
    {
        "FP32" => TensorDatatype.FP32,
        "FP64" => TensorDatatype.FP64,
        _ => throw Invalid($"Input '{name}' has datatype '{datatype}'; Gordo's models take FP32 or FP64."),
    };

    private static string ReadString(ref Utf8JsonReader reader, string what)
    {
        if (Next(ref reader) != JsonTokenType.String)
        {
            throw Invalid($"{what} must be a string.");
        }

        return reader.GetString()!;
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) => reader.Read() ? reader.TokenType : JsonTokenType.None;

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string message)
    {
        if (Next(ref reader) != expected)
        {
            throw Invalid(message);
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "object",
        _ => token.ToString(),
    };

    private static InvalidFrameException Invalid(string message) => new(message, "error");
}
