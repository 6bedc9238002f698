using System.Text;
using Gordo.GrainInterfaces;
using Gordo.Frames;

namespace Gordo.Tests.Frames;

/// <summary>The request decoder on its own: shapes, index parsing and sorting, values, and refusals.</summary>
public sealed class FrameJsonReaderTests
{
    private static RequestFrames Read(string json) => FrameJsonReader.ReadRequest(Encoding.UTF8.GetBytes(json));

    private static double[][] Rows(DataFrame frame) =>
        [.. Enumerable.Range(0, frame.RowCount).Select(r => Enumerable.Range(0, frame.ColumnCount).Select(c => frame[r, c]).ToArray())];

    [Fact]
    public void List_of_rows_is_positional_and_pads_ragged_rows_with_nan()
    {
        using var frames = Read("{\"X\": [[1, 2, 3], [4, 5], [6, 7, 8, 9]]}");
        var x = frames.X;
        Assert.True(x.HasPositionalColumns);
        Assert.Equal(["0", "1", "2", "3"], x.ColumnNames);
        Assert.Equal(FrameIndexKind.Range, x.Index.Kind);
        Assert.Equal(new[] { 4.0, 5, double.NaN, double.NaN }, Rows(x)[1]);
        Assert.Equal(new[] { 6.0, 7, 8, 9 }, Rows(x)[2]);
        Assert.Null(frames.Y);
    }

    [Fact]
    public void List_of_records_unions_columns_in_first_seen_order()
    {
        using var frames = Read("{\"X\": [{\"a\": 1, \"b\": 2}, {\"b\": 3, \"c\": 4}]}");
        Assert.False(frames.X.HasPositionalColumns);
        Assert.Equal(["a", "b", "c"], frames.X.ColumnNames);
        Assert.Equal(new[] { 1.0, 2, double.NaN }, Rows(frames.X)[0]);
        Assert.Equal(new[] { double.NaN, 3.0, 4 }, Rows(frames.X)[1]);
    }

    [Fact]
    public void Column_to_list_needs_equal_lengths()
    {
        using (var frames = Read("{\"X\": {\"a\": [1, 2], \"b\": [3, 4]}, \"y\": {\"a\": [5, 6]}}"))
        {
            Assert.Equal(new[] { 1.0, 3 }, Rows(frames.X)[0]);
            Assert.Equal(new[] { 6.0 }, Rows(frames.Y!)[1]);
        }

        var error = Assert.Throws<FrameFormatException>(() => Read("{\"X\": {\"a\": [1, 2], \"b\": [3]}}"));
        Assert.Contains("same length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flat_list_is_one_column()
    {
        using var frames = Read("{\"X\": [1, null, \"2.5\"]}");
        Assert.Equal(["0"], frames.X.ColumnNames);
        Assert.Equal(3, frames.X.RowCount);
        Assert.True(double.IsNaN(frames.X[1, 0]));
        Assert.Equal(2.5, frames.X[2, 0]);
    }

    [Fact]
    public void Timestamp_index_is_parsed_union_of_keys_and_sorted()
    {
        using var frames = Read("""
            {"X": {"a": {"2020-01-01 00:20:00+00:00": 3, "2020-01-01 00:00:00+00:00": 1},
                   "b": {"2020-01-01 00:00:00+00:00": 10, "2020-01-01 00:10:00+00:00": 20}}}
            """);
        var x = frames.X;
        Assert.Equal(FrameIndexKind.Timestamp, x.Index.Kind);
        Assert.True(x.Index.IsTimezoneAware);
        Assert.Equal(["2020-01-01 00:00:00+00:00", "2020-01-01 00:10:00+00:00", "2020-01-01 00:20:00+00:00"],
            Enumerable.Range(0, 3).Select(r => IsoTimestamp.FormatKey(x.Index.GetClock(r), x.Index.OffsetMinutes[r])));
        Assert.Equal(new[] { 1.0, 10 }, Rows(x)[0]);
        Assert.Equal(new[] { double.NaN, 20.0 }, Rows(x)[1]);
        Assert.Equal(new[] { 3.0, double.NaN }, Rows(x)[2]);
    }

    [Fact]
    public void Timestamps_sort_by_instant_and_keep_their_offsets()
    {
        using var frames = Read("{\"X\": {\"a\": {\"2020-01-01T01:30:00+01:00\": 2, \"2020-01-01T00:00:00Z\": 1}}}");
        Assert.Equal(1.0, frames.X[0, 0]);
        Assert.Equal(60, frames.X.Index.OffsetMinutes[1]);
        Assert.Equal(0, frames.X.Index.OffsetMinutes[0]);
    }

    [Fact]
    public void Integer_index_sorts_numerically_and_ties_keep_order()
    {
        using var frames = Read("{\"X\": {\"a\": {\"10\": 3, \"2\": 2, \"1\": 1, \"007\": 7}}}");
        Assert.Equal(FrameIndexKind.Integer, frames.X.Index.Kind);
        Assert.Equal(new long[] { 1, 2, 7, 10 }, frames.X.Index.Values.ToArray());
        Assert.Equal(new[] { 1.0, 2, 7, 3 }, Rows(frames.X).Select(r => r[0]));
    }

    [Fact]
    public void Four_digit_integer_keys_are_years_as_isoparse_reads_them()
    {
        using var frames = Read("{\"X\": {\"a\": {\"2021\": 1, \"2020\": 0}}}");
        Assert.Equal(FrameIndexKind.Timestamp, frames.X.Index.Kind);
        Assert.Equal(new DateTime(2020, 1, 1), frames.X.Index.GetClock(0));
        Assert.False(frames.X.Index.IsTimezoneAware);
    }

    [Fact]
    public void Escaped_keys_and_duplicates_behave_like_python_dicts()
    {
        using var frames = Read("{\"X\": {\"a\": {\"\\u0031\": 1, \"1\": 5}, \"b\": {\"1\": 2}, \"b\": {\"1\": 3}}}");
        Assert.Equal(["a", "b"], frames.X.ColumnNames);
        Assert.Equal(1, frames.X.RowCount);
        Assert.Equal(new[] { 5.0, 3 }, Rows(frames.X)[0]);
    }

    [Fact]
    public void Python_nan_and_infinity_tokens_are_accepted()
    {
        using var frames = Read("{\"X\": [[NaN, Infinity, -Infinity, 1e999, \"-inf\"]], \"note\": \"NaN stays a string\"}");
        var row = Rows(frames.X)[0];
        Assert.True(double.IsNaN(row[0]));
        Assert.Equal(double.PositiveInfinity, row[1]);
        Assert.Equal(double.NegativeInfinity, row[2]);
        Assert.Equal(double.PositiveInfinity, row[3]);
        Assert.Equal(double.NegativeInfinity, row[4]);
    }

    [Theory]
    [InlineData("{\"X\": [[true]]}", "a boolean")]
    [InlineData("{\"X\": [[[1]]]}", "a list")]
    [InlineData("{\"X\": [{\"a\": {\"b\": 1}}]}", "an object")]
    [InlineData("{\"X\": [\"one\"]}", "the string \"one\"")]
    [InlineData("{\"X\": {\"a\": 1}}", "single value")]
    [InlineData("{\"X\": {\"a\": [1], \"b\": {\"0\": 1}}}", "mixes")]
    [InlineData("{\"X\": [[1], {\"a\": 1}]}", "not a list")]
    [InlineData("{\"X\": {\"a\": {\"2020-01-01T00:00:00\": 1, \"2020-01-01T00:00:00Z\": 2}}}", "naive")]
    [InlineData("{\"X\": {\"a\": {\"yesterday\": 1}}}", "neither an ISO 8601 timestamp nor an integer")]
    [InlineData("{\"X\": 5}", "must be a frame")]
    [InlineData("{\"X\": null}", "not null")]
    public void Bad_frames_are_refused_with_a_reason(string json, string reason)
    {
        var error = Assert.Throws<FrameFormatException>(() => Read(json));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void A_sparse_frame_too_large_to_allocate_is_refused()
    {
        var json = new StringBuilder("{\"X\": {");
        for (var c = 0; c < 6000; c++)
        {
            json.Append(c == 0 ? string.Empty : ",").Append("\"c").Append(c).Append("\": {\"").Append(c * 7000).Append("\": 1}");
        }

        json.Append("}}");
        var error = Assert.Throws<FrameFormatException>(() => Read(json.ToString()));
        Assert.Contains("cells", error.Message, StringComparison.Ordinal);
    }
}
