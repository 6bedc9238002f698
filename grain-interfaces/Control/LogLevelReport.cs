using System.Text.Json.Serialization;

namespace Gordo.GrainInterfaces;

/// <summary>A logging category and its level, as the log level broadcasts carry and answer it.</summary>
public sealed record LogLevelReport([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("level")] string Level);
