namespace Gordo.Api.Gordo;

/// <summary>Endpoint metadata: the route as gordo writes it (<c>/gordo/v0/&lt;gordo_project&gt;/...</c>),
/// the <c>path</c> label of gordo's request metrics.</summary>
public sealed record GordoRoute(string Template);
