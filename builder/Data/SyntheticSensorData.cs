using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Data;

/// <summary>
/// Seeded synthetic plant data: a few latent process factors (daily and shorter cycles plus slow AR(1)
/// drift) mixed linearly into every tag, each tag with its own offset, gain and measurement noise —
/// so the tags are correlated and a PCA autoencoder with fewer components than tags reconstructs them.
/// </summary>
public static class SyntheticSensorData
{
    private static readonly string[] s_instruments = ["PT", "TT", "FT", "VT", "LT", "ST", "DT", "AT"];

    public static string[] TagNames(int count, int first = 101)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = $"{s_instruments[i % s_instruments.Length]}-{first + i}";
        }

        return names;
    }

    public static SensorDataset Generate(ulong seed, string[] tags, int rows, DateTime startUtc, TimeSpan resolution, int factors = 3, double noise = 0.05)
    {
        var random = new SeededRandom(seed);
        var p = tags.Length;
        var loadings = new double[p, factors];
        var offsets = new double[p];
        var gains = new double[p];
        for (var i = 0; i < p; i++)
        {
            offsets[i] = random.NextDouble(10, 200);
            gains[i] = random.NextDouble(2, 30);
            for (var f = 0; f < factors; f++)
            {
                loadings[i, f] = random.NextGaussian();
            }
        }

        var periods = new double[factors];
        var phases = new double[factors];
        for (var f = 0; f < factors; f++)
        {
            // Periods in rows: about a day at 10-minute resolution, then shorter.
            periods[f] = 144.0 / (f + 1) * random.NextDouble(0.8, 1.25);
            phases[f] = random.NextDouble(0, 2 * Math.PI);
        }

        var drift = new double[factors];
        var values = new Matrix(rows, p);
        var timestamps = new DateTime[rows];
        var latent = new double[factors];
        for (var t = 0; t < rows; t++)
        {
            timestamps[t] = startUtc + (resolution * t);
            for (var f = 0; f < factors; f++)
            {
                drift[f] = (0.98 * drift[f]) + (0.05 * random.NextGaussian());
                latent[f] = Math.Sin((2 * Math.PI * t / periods[f]) + phases[f]) + drift[f];
            }

            for (var i = 0; i < p; i++)
            {
                double signal = 0;
                for (var f = 0; f < factors; f++)
                {
                    signal += loadings[i, f] * latent[f];
                }

                values[t, i] = offsets[i] + (gains[i] * (signal + (noise * random.NextGaussian())));
            }
        }

        return new SensorDataset(tags, timestamps, values, $"synthetic (seed {seed}, {factors} factors)", DataProviderDescription.Random);
    }
}
