namespace Gordo.Frames;

/// <summary>The kind of a frame's row index, as pandas would have it after gordo's parsing.</summary>
public enum FrameIndexKind
{
    /// <summary>Positions (pandas RangeIndex): list-shaped JSON input.</summary>
    Range,

    /// <summary>Integer labels (JSON keys that are not ISO timestamps but parse as integers).</summary>
    Integer,

    /// <summary>Timestamps (JSON keys parsed as ISO 8601), time-zone aware or naive.</summary>
    Timestamp,
}
