namespace Gordo.Silo;

/// <summary>One label set of one metric: a counter or gauge value, or histogram buckets with sum and count.</summary>
internal sealed class MetricSeries
{
    private readonly double[]? _bounds;
    private readonly long[]? _buckets;
    private readonly KeyValuePair<string, object?>[] _tags;
    private double _value;
    private long _count;

    public MetricSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags, double[]? bounds)
    {
        _bounds = bounds;
        _buckets = bounds is null ? null : new long[bounds.Length + 1];
        _tags = tags.ToArray();
        Labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            Labels[i] = new(PrometheusText.LabelName(tags[i].Key), Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }
    }

    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary>True when the measurement's tags are this series' (same names and values, in order).</summary>
    public bool HasTags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!string.Equals(tags[i].Key, _tags[i].Key, StringComparison.Ordinal) || !Equals(tags[i].Value, _tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }

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
        var bucket = _bounds!.Length;
        for (var i = 0; i < _bounds.Length; i++)
        {
            if (value <= _bounds[i])
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
