namespace Gordo.Grains.Anomaly;

/// <summary>gordo's smoothing of anomaly scores over a window of rows.</summary>
public enum SmoothingMethod
{
    /// <summary><c>rolling(window).median()</c>: the first window-1 rows are NaN.</summary>
    Smm,

    /// <summary><c>rolling(window).mean()</c>: the first window-1 rows are NaN.</summary>
    Sma,

    /// <summary><c>ewm(span=window).mean()</c> with adjust=True: no NaN prefix.</summary>
    Ewma,
}
