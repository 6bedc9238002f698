namespace Gordo.Frames.Parquet;

/// <summary>A Parquet file that cannot be read: corrupt, truncated, or using a feature outside what Gordo reads.</summary>
public sealed class ParquetFormatException(string message) : Exception(message);
