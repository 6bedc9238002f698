using Gordo.Frames.Json;

namespace Gordo.Tests.Json;

/// <summary>
/// Column names in Parquet responses are <c>str(tuple)</c> of the two-level labels, which pyarrow turns
/// back into a MultiIndex with <c>ast.literal_eval</c>: they must be exactly what CPython prints. Every
/// expected string below was printed by Debian's python3 (3.11) for the same tuple.
/// </summary>
public sealed class PythonReprTests
{
    [Theory]
    [InlineData("model-input", "tag-0", "('model-input', 'tag-0')")]
    [InlineData("start", "", "('start', '')")]
    [InlineData("a'b", "c\"d", "(\"a'b\", 'c\"d')")]
    [InlineData("it's", "x", "(\"it's\", 'x')")]
    [InlineData("back\\slash", "tab\there", "('back\\\\slash', 'tab\\there')")]
    [InlineData("new\nline", "é ü 温度", "('new\\nline', 'é ü 温度')")]
    [InlineData("nul\0", "\u007f\u200b\U0001F600", "('nul\\x00', '\\x7f\\u200b\U0001F600')")]
    [InlineData("\u2028sep", "both'\"", "('\\u2028sep', 'both\\'\"')")]
    public void Tuples_print_as_cpython_prints_them(string a, string b, string expected) =>
        Assert.Equal(expected, PythonRepr.Tuple(a, b));

    [Fact]
    public void A_one_tuple_has_its_trailing_comma() => Assert.Equal("('only',)", PythonRepr.Tuple("only"));
}
