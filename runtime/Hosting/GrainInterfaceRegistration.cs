namespace Gordo.Runtime;

/// <summary>A grain interface, the grain type behind it, and how to build a reference to one of its grains.</summary>
public sealed record GrainInterfaceRegistration(Type InterfaceType, string GrainType, Func<GrainId, IGrainCallInvoker, object> CreateReference);
