namespace Gordo.Frames.Json;

/// <summary>
/// One piece of a response frame, in output order: rows <see cref="FirstRow"/> to <see cref="EndRow"/>
/// of one column, with the bytes that open its group and column (when it starts them) and close them
/// (when it ends them). Sections are written independently, so they can be formatted out of order.
/// </summary>
/// <param name="Entry">The group's place among the frame's sorted entries (<c>start</c> and <c>end</c> included).</param>
/// <param name="Group">The group's index in the frame; <see cref="Start"/> or <see cref="End"/> for the times.</param>
/// <param name="Column">The sub-column's index in its group.</param>
/// <param name="Ordinal">The sub-column's place among its group's sorted sub-columns.</param>
/// <param name="LastColumn">Whether the sub-column is its group's last.</param>
internal readonly record struct FrameSection(int Entry, int Group, int Column, int Ordinal, bool LastColumn, int FirstRow, int EndRow)
{
    public const int Start = -1;
    public const int End = -2;

    public bool OpensColumn => FirstRow == 0;
}
