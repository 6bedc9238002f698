namespace Gordo.Api.V2;

/// <summary>An output the request names, with its <c>binary_data</c> parameter if it gave one.</summary>
internal readonly record struct RequestedOutput(string Name, bool? Binary);
