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
}
