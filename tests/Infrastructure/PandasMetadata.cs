using System.Text.Json.Nodes;

namespace Gordo.Tests.Infrastructure;

/// <summary>The <c>pandas</c> key-value metadata pyarrow 14 writes for <c>pa.Table.from_pandas(df)</c> of a request frame.</summary>
public static class PandasMetadata
{
    /// <param name="columns">Float64 column labels.</param>
    /// <param name="index">"datetimetz", "datetime", "int64", "unicode" (an <c>__index_level_0__</c> column) or "range".</param>
    public static string ForFrame(IReadOnlyList<string> columns, string index, int rows = 0, bool multiLevel = false)
    {
        var entries = new JsonArray();
        foreach (var column in columns)
        {
            entries.Add(new JsonObject
            {
                ["name"] = column,
                ["field_name"] = column,
                ["pandas_type"] = "float64",
                ["numpy_type"] = "float64",
                ["metadata"] = null,
            });
        }

        JsonNode indexColumn;
        if (index == "range")
        {
            indexColumn = new JsonObject { ["kind"] = "range", ["name"] = null, ["start"] = 0, ["stop"] = rows, ["step"] = 1 };
        }
        else
        {
            indexColumn = "__index_level_0__";
            entries.Add(new JsonObject
            {
                ["name"] = null,
                ["field_name"] = "__index_level_0__",
                ["pandas_type"] = index,
                ["numpy_type"] = index switch { "datetimetz" or "datetime" => "datetime64[ns]", "int64" => "int64", _ => "object" },
                ["metadata"] = index == "datetimetz" ? new JsonObject { ["timezone"] = "UTC" } : null,
            });
        }

        var level = new JsonObject { ["name"] = null, ["field_name"] = null, ["pandas_type"] = "unicode", ["numpy_type"] = "object", ["metadata"] = new JsonObject { ["encoding"] = "UTF-8" } };
        var levels = new JsonArray(level);
        if (multiLevel)
        {
            levels.Add(level.DeepClone());
        }

        return new JsonObject
        {
            ["index_columns"] = new JsonArray(indexColumn),
            ["column_indexes"] = levels,
            ["columns"] = entries,
            ["creator"] = new JsonObject { ["library"] = "pyarrow", ["version"] = "14.0.2" },
            ["pandas_version"] = "1.5.3",
        }.ToJsonString();
    }
}
