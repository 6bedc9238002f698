using System.Globalization;
using System.Text;
using Gordo.Frames;
using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Data;

/// <summary>
/// Reads training data from CSV: a header row, the first column the timestamp (ISO 8601), the others
/// tag values. Rows with a missing or non-numeric value are skipped, as gordo's dataset drops NaN rows.
/// </summary>
public static class CsvSensorData
{
    public static SensorDataset Read(string path, string[]? tags = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine() ?? throw new FormatException($"{path} is empty.");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        if (columns.Length < 2)
        {
            throw new FormatException($"{path}: the header needs a timestamp column and at least one tag column.");
        }

        var available = columns[1..];
        var selected = tags ?? available;
        var positions = selected.Select(tag =>
        {
            var at = Array.IndexOf(available, tag);
            return at >= 0 ? at + 1 : throw new FormatException($"{path} has no column '{tag}' (it has {string.Join(", ", available)}).");
        }).ToArray();

        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var skipped = 0;
        string? line;
        var lineNumber = 1;
        var row = new double[positions.Length];
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new FormatException($"{path}:{lineNumber} has {cells.Length} cells; the header has {columns.Length}.");
            }

            if (!IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(cells[0].Trim().Trim('"')), out var clock, out var offset))
            {
                throw new FormatException($"{path}:{lineNumber}: '{cells[0]}' is not an ISO 8601 timestamp.");
            }

            var complete = true;
            for (var i = 0; i < positions.Length && complete; i++)
            {
                complete = double.TryParse(cells[positions[i]], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]) && double.IsFinite(row[i]);
            }

            if (!complete)
            {
                skipped++;
                continue;
            }

            timestamps.Add(offset is { } minutes ? clock.AddMinutes(-minutes) : clock);
            values.AddRange(row);
        }

        if (timestamps.Count == 0)
        {
            throw new FormatException($"{path} has no complete rows.");
        }

        return new SensorDataset(selected, [.. timestamps], new Matrix(timestamps.Count, positions.Length, [.. values]),
            $"csv {Path.GetFileName(path)} ({skipped} incomplete rows skipped)", DataProviderDescription.Csv(path, columns[0]));
    }
}
