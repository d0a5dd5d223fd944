using CommandCenter.Data.Infrastructure;
using Microsoft.Extensions.Configuration;
using Quartz;

namespace CommandCenter.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>How often the live board applies the passing of time.</summary>
    public TimeSpan BoardTickInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Quartz cron (street time zone) for the full re-sync of the live board from the database.</summary>
    public string BoardResyncCron { get; set; } = "30 0 * * * ?";

    /// <summary>How often the deadline job escalates what is overdue to the next cycle.</summary>
    public TimeSpan EscalationInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Where Quartz keeps jobs and triggers: <c>Persistent</c> (the default: the app's database, tables QRTZ_* of
    /// migration 0016, so schedules survive a restart and a missed one runs once on start) or <c>Memory</c>.
    /// </summary>
    public string Store { get; set; } = "Persistent";

    /// <summary>How many runs of each job the JobRun table keeps (the Jobs page shows the latest).</summary>
    public int RunHistoryPerJob { get; set; } = 50;

    /// <summary>How late a trigger may fire before Quartz treats it as missed (then: fire once now, and go on).</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SQL Server only (clustered): how often each node checks in; a node silent for longer is recovered by the others.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsPersistent => string.Equals(Store, "Persistent", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the section and checks every setting; a bad one throws <see cref="SettingException"/> naming it.</summary>
    public static JobsOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        JobsOptions options;
        try
        {
            options = configuration.GetSection(SectionName).Get<JobsOptions>() ?? new JobsOptions();
        }
        catch (InvalidOperationException ex)
        {
            // A value the binder cannot convert (e.g. "soon" for a time span) names its key in the inner message.
            throw new SettingException($"A setting of section '{SectionName}' has a value of the wrong kind: {ex.Message}", ex);
        }

        JobSchedules.RequirePositive($"{SectionName}:{nameof(BoardTickInterval)}", options.BoardTickInterval);
        JobSchedules.RequireCron($"{SectionName}:{nameof(BoardResyncCron)}", options.BoardResyncCron);
        if (!options.IsPersistent && !string.Equals(options.Store, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new SettingException($"Setting '{SectionName}:{nameof(Store)}' is '{options.Store}'; use 'Persistent' or 'Memory'.");
        }

        if (options.RunHistoryPerJob is < 1 or > 10_000)
        {
            throw new SettingException($"Setting '{SectionName}:{nameof(RunHistoryPerJob)}' is {options.RunHistoryPerJob}; use a number from 1 to 10000.");
        }

        JobSchedules.RequirePositive($"{SectionName}:{nameof(MisfireThreshold)}", options.MisfireThreshold);
        JobSchedules.RequirePositive($"{SectionName}:{nameof(ClusterCheckinInterval)}", options.ClusterCheckinInterval);
        return options;
    }
}

/// <summary>Checks for schedule settings, so that a bad cron or interval refuses start with a message naming the setting.</summary>
public static class JobSchedules
{
    /// <summary>Throws <see cref="SettingException"/> naming <paramref name="setting"/> unless it is a valid Quartz cron expression.</summary>
    public static string RequireCron(string setting, string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            throw new SettingException($"Setting '{setting}' is empty; give a Quartz cron expression, e.g. '0 0/5 * * * ?'.");
        }

        try
        {
            _ = new CronExpression(cron);
        }
        catch (FormatException ex)
        {
            throw new SettingException($"Setting '{setting}' is '{cron}', which is not a valid Quartz cron expression: {ex.Message}", ex);
        }

        return cron;
    }

    /// <summary>Throws <see cref="SettingException"/> naming <paramref name="setting"/> unless the time span is positive.</summary>
    public static TimeSpan RequirePositive(string setting, TimeSpan value) =>
        value > TimeSpan.Zero
            ? value
            : throw new SettingException($"Setting '{setting}' must be a positive time span, e.g. 00:00:15 (it is {value}).");
}
