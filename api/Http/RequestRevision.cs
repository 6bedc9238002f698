namespace Gordo.Api.Http;

/// <summary>The revision a request is served from (gordo's <c>g.revision</c>): the one asked for with
/// the <c>revision</c> query argument or header, else the current one.</summary>
public sealed record RequestRevision(string Revision);
