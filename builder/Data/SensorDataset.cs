using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Data;

/// <summary>Training data: tag columns over a UTC time index at a fixed resolution.</summary>
public sealed record SensorDataset(string[] Tags, DateTime[] TimestampsUtc, Matrix Values, string Source)
{
    public int Rows => Values.Rows;
}
