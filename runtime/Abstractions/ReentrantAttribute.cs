namespace Gordo.Runtime;

/// <summary>
/// Lets calls to one activation interleave, as Orleans' <c>[Reentrant]</c> does. Without it an
/// activation runs one call at a time (turn-based). A grain whose state is read-only after activation,
/// such as a model grain, is reentrant so that requests for one model use every core.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReentrantAttribute : Attribute;
