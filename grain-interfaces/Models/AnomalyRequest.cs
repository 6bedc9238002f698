namespace Gordo.GrainInterfaces;

/// <summary>An <c>/anomaly/prediction</c> request. <see cref="AllColumns"/> keeps the <c>smooth-*</c> groups.</summary>
public sealed record AnomalyRequest(DataFrame X, DataFrame? Y, bool AllColumns);
