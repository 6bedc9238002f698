namespace Gordo.ModelBuilder.Data;

/// <summary>
/// <c>dataset.data_provider</c> of metadata.json: a class gordo-core (0.3.x) can construct with
/// <c>GordoBaseDataProvider.from_dict</c>, and exactly the arguments its <c>__init__</c> takes, so
/// that a gordo client without <c>--data-provider</c> can rebuild the model's dataset.
/// </summary>
/// <param name="Type">The class: a name in <c>gordo_core.data_providers</c> or a full import path.</param>
/// <param name="Arguments">Constructor arguments: strings or integers.</param>
public sealed record DataProviderDescription(string Type, IReadOnlyList<KeyValuePair<string, object>> Arguments)
{
    /// <summary>gordo-core's <c>RandomDataProvider(min_size=100, max_size=300)</c>: random points per tag
    /// between the dates, the nearest gordo-core has to synthetic data.</summary>
    public static DataProviderDescription Random { get; } = new("RandomDataProvider", [new("min_size", 100), new("max_size", 300)]);

    /// <summary>gordo-core's <c>CSVDataProvider(file_path, timestamp_column, sep)</c>.</summary>
    public static DataProviderDescription Csv(string path, string timestampColumn) => new(
        "gordo_core.data_providers.contrib.csv_provider.CSVDataProvider",
        [new("file_path", Path.GetFullPath(path)), new("timestamp_column", timestampColumn), new("sep", ",")]);
}
