namespace Gordo.Runtime;

/// <summary>The request of a grain method that takes no arguments.</summary>
public readonly record struct NoArguments
{
    public static NoArguments Value => default;
}
