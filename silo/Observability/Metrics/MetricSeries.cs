namespace Gordo.Silo;

/// <summary>One label set of one metric: a counter or gauge value, or histogram buckets with sum and count.</summary>
internal sealed class MetricSeries(KeyValuePair<string, string>[] labels, double[]? bounds)
{
    private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Length + 1];
    private double _value;
    private long _count;

    public KeyValuePair<string, string>[] Labels { get; } = labels;

    /// <summary>Set by the observation round that last reported the series (observable instruments only).</summary>
    public long Round { get; set; }

    public double Value => Volatile.Read(ref _value);

    public long Count => Volatile.Read(ref _count);

    public void Add(double delta)
    {
        double current, updated;
        do
        {
            current = Volatile.Read(ref _value);
            updated = current + delta;
        }
        while (BitConverter.DoubleToInt64Bits(Interlocked.CompareExchange(ref _value, updated, current)) != BitConverter.DoubleToInt64Bits(current));
    }

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Observe(double value)
    {
        var buckets = _buckets!;
        var bucket = bounds!.Length;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (value <= bounds[i])
            {
                bucket = i;
                break;
            }
        }

        Interlocked.Increment(ref buckets[bucket]);
        Interlocked.Increment(ref _count);
        Add(value);
    }

    /// <summary>Cumulative counts per upper bound, the last one for +Inf.</summary>
    public long[] CumulativeBuckets()
    {
        var buckets = _buckets!;
        var cumulative = new long[buckets.Length];
        long running = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            running += Volatile.Read(ref buckets[i]);
            cumulative[i] = running;
        }

        return cumulative;
    }
}
