using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Devices;

public enum ReadingResolution
{
    Raw = 0,
    Minute = 1,
    Hour = 2,
}

/// <summary>One point of a reading series: a raw reading (min = max = avg = last, count 1) or a roll-up bucket.</summary>
public sealed record ReadingPoint(DateTimeOffset At, double MinCm, double MaxCm, double AvgCm, double LastCm, int Count);

/// <summary>A validated history request: a range no longer than the resolution allows, and a row cap.</summary>
public sealed record ReadingHistoryRange(DateTimeOffset From, DateTimeOffset To, ReadingResolution Resolution)
{
    public const int MaxRows = 20_000;

    /// <summary>The longest range per resolution: raw 2 days, minute 31 days, hour 400 days.</summary>
    public static TimeSpan MaxSpan(ReadingResolution r) => r switch
    {
        ReadingResolution.Raw => TimeSpan.FromDays(2),
        ReadingResolution.Minute => TimeSpan.FromDays(31),
        _ => TimeSpan.FromDays(400),
    };

    /// <summary>
    /// Defaults: <c>to</c> = now, <c>from</c> = <c>to</c> − 24 h, resolution <c>minute</c>. Refused (by field): an unknown
    /// resolution, <c>from</c> not before <c>to</c>, a range longer than the resolution allows.
    /// </summary>
    public static ReadingHistoryRange Validate(DateTimeOffset? from, DateTimeOffset? to, string? resolution, DateTimeOffset now)
    {
        var v = new Validator();
        var res = ReadingResolution.Minute;
        if (!string.IsNullOrWhiteSpace(resolution) &&
            !(Enum.TryParse(resolution.Trim(), ignoreCase: true, out res) && Enum.IsDefined(res) && !int.TryParse(resolution, out _)))
        {
            v.Add("resolution", $"'{Validator.Quote(resolution)}' is not a resolution; use raw, minute or hour.");
        }

        var end = (to ?? now).ToUniversalTime();
        var start = (from ?? end.AddDays(-1)).ToUniversalTime();
        if (start >= end) v.Add("from", "must be before 'to'.");
        else if (end - start > MaxSpan(res)) v.Add("from", $"the range may span at most {MaxSpan(res).TotalDays:0} days at resolution {res.ToString().ToLowerInvariant()}.");
        v.ThrowIfInvalid();
        return new ReadingHistoryRange(start, end, res);
    }
}
