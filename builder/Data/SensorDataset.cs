using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Data;

/// <summary>Training data: tag columns over a UTC time index at a fixed resolution.</summary>
/// <param name="Source">Where the data came from, in words (kept in the build metadata).</param>
/// <param name="Provider">The gordo-core data provider that stands for this source in metadata.json.</param>
public sealed record SensorDataset(string[] Tags, DateTime[] TimestampsUtc, Matrix Values, string Source, DataProviderDescription Provider)
{
    public int Rows => Values.Rows;
}
