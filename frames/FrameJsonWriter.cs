using System.Buffers;
using System.Globalization;
using Gordo.Frames.Json;

namespace Gordo.Frames;

/// <summary>
/// Encodes a <see cref="ResultFrame"/> as gordo's <c>dataframe_to_dict</c> + <c>jsonify</c> output:
/// <c>{group: {sub-column: {index key: value}}}</c> with groups and sub-columns sorted, a single
/// unnamed sub-column named after its group (<c>"start": {"start": {...}}</c>), index keys as pandas
/// <c>str(Timestamp)</c> (<c>2020-01-01 00:00:00+00:00</c>) or integers, <c>start</c>/<c>end</c> as ISO
/// strings, numbers as Python's <c>repr(float)</c> (<see cref="PythonFloat"/>) and NaN/±inf as null.
/// </summary>
/// <remarks>
/// A 100-row anomaly response is 5 500 cells, each a key and a number, written straight into the output
/// (<see cref="FramePlan"/>). A large one may be formatted on two cores: given an <see cref="ISpareCore"/>,
/// a helper formats sections ahead of the writer while a core is idle (<see cref="SectionsAhead"/>).
/// </remarks>
public static class FrameJsonWriter
{
    /// <summary>Below this many numbers a helper costs about what it saves.</summary>
    internal const long HelpFromCells = 20_000;

    /// <summary>Writes <c>{"data": ..., ["time-seconds": ...,] "revision": ...}</c>.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, ResultFrame frame, string? timeSeconds, string revision) =>
        WriteResponse(output, frame, timeSeconds, revision, spareCore: null);

    /// <summary>
    /// As <see cref="WriteResponse(IBufferWriter{byte}, ResultFrame, string?, string)"/>; a frame of at least
    /// <see cref="HelpFromCells"/> numbers is also formatted on a core <paramref name="spareCore"/> lends.
    /// </summary>
    public static void WriteResponse(IBufferWriter<byte> output, ResultFrame frame, string? timeSeconds, string revision, ISpareCore? spareCore)
    {
        var emitter = new JsonEmitter(output);
        emitter.Raw("{\"data\":{"u8);
        using (var plan = new FramePlan(frame))
        {
            if (spareCore is not null && plan.CellCount >= HelpFromCells && plan.Count > 1)
            {
                SectionsAhead.Write(plan, spareCore, ref emitter);
            }
            else
            {
                for (var section = 0; section < plan.Count; section++)
                {
                    plan.Write(section, ref emitter);
                }
            }
        }

        emitter.Raw("}"u8);
        if (timeSeconds is not null)
        {
            emitter.Raw(",\"time-seconds\":"u8);
            emitter.String(timeSeconds);
        }

        emitter.Raw(",\"revision\":"u8);
        emitter.String(revision);
        emitter.Raw("}"u8);
        emitter.Commit();
    }

    /// <summary>gordo's <c>time-seconds</c>: elapsed seconds with four decimals, as a string.</summary>
    public static string FormatTimeSeconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F4", CultureInfo.InvariantCulture);
}
