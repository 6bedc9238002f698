namespace Gordo.Api.Metrics;

/// <summary>The <c>path</c> label of a non-gordo route (admin routes) in the request metrics.</summary>
public sealed record MetricsRoute(string Template);
