using System.Text.Json.Serialization;

namespace Gordo.Api.V2;

[JsonSerializable(typeof(string[]))]
internal sealed partial class V2JsonContext : JsonSerializerContext;
