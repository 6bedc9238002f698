namespace Gordo.Grains.Store;

/// <summary>Outcome of deleting one model from one revision.</summary>
public enum DeleteModelResult
{
    /// <summary>The model directory is gone (and the revision directory too, if it became empty).</summary>
    Deleted,

    /// <summary>The revision has no such model (no metadata.json).</summary>
    NotFound,
}
