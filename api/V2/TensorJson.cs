using System.Text.Json;

namespace Gordo.Api.V2;

/// <summary>What the protocol's JSON says of every tensor, in metadata and in answers alike.</summary>
internal static class TensorJson
{
    /// <summary>Writes <c>"name"</c>, <c>"datatype"</c> and <c>"shape"</c> into the open tensor object.</summary>
    public static void WriteHead(Utf8JsonWriter json, string name, TensorDatatype datatype, long[] shape)
    {
        json.WriteString("name", name);
        json.WriteString("datatype", datatype.ToString());
        json.WriteStartArray("shape");
        foreach (var dimension in shape)
        {
            json.WriteNumberValue(dimension);
        }

        json.WriteEndArray();
    }
}
