using System.Text.Json.Serialization;

namespace Gordo.Grains.Models;

[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
