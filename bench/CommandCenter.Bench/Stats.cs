using System.Diagnostics;

namespace CommandCenter.Bench;

/// <summary>Summary of a series of measurements (any unit): nearest-rank percentiles over the sorted values.</summary>
internal sealed record Summary(int Count, double Mean, double Min, double P50, double P95, double P99, double Max)
{
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        return new Summary(sorted.Length, sorted.Average(), sorted[0], Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    /// <summary>The median of a small sample (for start-up runs): the middle value, or the mean of the two middle ones.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double Rank(double[] sorted, double p)
    {
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

internal static class Time
{
    public static double Ms(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / Stopwatch.Frequency;

    public static double Us(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1_000_000.0 / Stopwatch.Frequency;
}
