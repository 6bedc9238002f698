namespace Gordo.Runtime;

/// <summary>A grain class this silo can activate, and the grain type it implements.</summary>
public sealed record GrainClassRegistration(string GrainType, Type GrainClass)
{
    public bool IsReentrant { get; } = GrainClass.IsDefined(typeof(ReentrantAttribute), inherit: false);
}
