namespace CommandCenter.Data.History;

/// <summary>
/// Configuration section <c>Devices</c>: how silent devices are found and how reading history is kept. Validated at
/// start by <c>AddCommandCenterJobs</c> (a wrong value stops the host naming the setting).
/// </summary>
public sealed class HistoryOptions
{
    public const string SectionName = "Devices";

    /// <summary>How often the silent-device job runs.</summary>
    public TimeSpan SilentCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A device is silent when it has not reported for ExpectedIntervalSeconds × this factor + <see cref="SilentGrace"/>.</summary>
    public double SilentFactor { get; set; } = 2;

    public TimeSpan SilentGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often readings are rolled up per minute and per hour.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Each roll-up recomputes this much before its watermark too, so readings that arrive late (a gateway's buffer)
    /// are counted; a reading later than this is in the raw table and the raw series only.
    /// </summary>
    public TimeSpan RollupLateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A minute is rolled up once it is this far in the past (readings of it may still be arriving).</summary>
    public TimeSpan RollupSettle { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Raw readings are kept this many days (at least 31: the wall's 30-day alarm trend is counted from them).</summary>
    public int RawRetentionDays { get; set; } = 90;

    /// <summary>Minute roll-ups are kept this many days (hour roll-ups are kept).</summary>
    public int MinuteRetentionDays { get; set; } = 35;

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement; the writer is released between batches.</summary>
    public int RetentionBatchSize { get; set; } = 2000;

    /// <summary>At most this many batches per run: a long backlog is worked off over several runs.</summary>
    public int RetentionMaxBatchesPerRun { get; set; } = 500;

    /// <summary>The setting that is wrong, with why; null when all are right.</summary>
    public string? Problem()
    {
        if (SilentCheckInterval <= TimeSpan.Zero) return "Setting 'Devices:SilentCheckInterval' must be a positive time span, e.g. 00:01:00.";
        if (!double.IsFinite(SilentFactor) || SilentFactor < 1) return "Setting 'Devices:SilentFactor' must be at least 1.";
        if (SilentGrace < TimeSpan.Zero) return "Setting 'Devices:SilentGrace' must not be negative.";
        if (RollupInterval <= TimeSpan.Zero) return "Setting 'Devices:RollupInterval' must be a positive time span, e.g. 00:01:00.";
        if (RollupLateWindow < TimeSpan.Zero || RollupLateWindow > TimeSpan.FromDays(1)) return "Setting 'Devices:RollupLateWindow' must be between 0 and 1 day.";
        if (RollupSettle < TimeSpan.Zero || RollupSettle > TimeSpan.FromHours(1)) return "Setting 'Devices:RollupSettle' must be between 0 and 1 hour.";
        if (RawRetentionDays is < 31 or > 3650) return "Setting 'Devices:RawRetentionDays' must be between 31 and 3650 (the wall's 30-day alarm trend is counted from raw readings).";
        if (MinuteRetentionDays is < 31 or > 3650) return "Setting 'Devices:MinuteRetentionDays' must be between 31 and 3650 (the 30-day chart reads hours, the 7-day one minutes).";
        if (RetentionInterval <= TimeSpan.Zero) return "Setting 'Devices:RetentionInterval' must be a positive time span, e.g. 01:00:00.";
        if (RetentionBatchSize is < 1 or > 100_000) return "Setting 'Devices:RetentionBatchSize' must be between 1 and 100000.";
        if (RetentionMaxBatchesPerRun < 1) return "Setting 'Devices:RetentionMaxBatchesPerRun' must be at least 1.";
        return null;
    }
}
