namespace Gordo.GrainInterfaces;

/// <summary>A <c>/prediction</c> request: X, and an optional y that is validated but not used.</summary>
public sealed record PredictionRequest(DataFrame X, DataFrame? Y);
