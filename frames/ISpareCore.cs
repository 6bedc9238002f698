namespace Gordo.Frames;

/// <summary>
/// Lends a core that nothing else is waiting for: the JSON encoder of a large answer asks before each
/// section it formats on a second thread, so a busy server spends no extra CPU on copying sections in.
/// </summary>
public interface ISpareCore
{
    /// <summary>Takes a core if one is idle; give it back with <see cref="Return"/>.</summary>
    bool TryTake();

    void Return();
}
