using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CommandCenter.Data.Jobs;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Scheduling;

/// <summary>
/// Records every run of every job in the JobRun table (start, finish, result, the error's type and message — never a
/// stack trace, with anything that looks like a credential blanked). A failure to record is logged and never fails the job.
/// </summary>
public sealed partial class JobRunListener(JobRunStore store, TimeProvider time, ILogger<JobRunListener> logger) : IJobListener
{
    /// <summary>Job data key of a run started by a person ("run now"): who asked.</summary>
    public const string RunByKey = "cc.runBy";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);

    public string Name => "command-center-job-runs";

    /// <summary>Raised after a run was recorded (tests wait on it instead of sleeping).</summary>
    public event Action<JobRunRecord>? Recorded;

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        _started[context.FireInstanceId] = time.GetUtcNow();
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        _started.TryRemove(context.FireInstanceId, out _);
        return ValueTask.CompletedTask;
    }

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var finished = time.GetUtcNow();
        var started = _started.TryRemove(context.FireInstanceId, out var s) ? s : finished - context.JobRunTime;
        var runBy = context.MergedJobDataMap.TryGetValue(RunByKey, out var by) ? by?.ToString() : null;
        var record = new JobRunRecord(context.JobDetail.Key.Group, context.JobDetail.Key.Name, started, finished,
            jobException is null, ErrorText(jobException), runBy, context.Scheduler.SchedulerInstanceId);
        try
        {
            // Not the shutdown token: a run that finishes while the node stops is still recorded.
            await store.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
            Recorded?.Invoke(record);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "The run of job {JobGroup}.{JobName} could not be recorded", record.JobGroup, record.JobName);
        }
    }

    /// <summary>"Type: message" of the exception the job threw (Quartz's wrapper unwrapped), credentials blanked.</summary>
    public static string? ErrorText(Exception? exception)
    {
        if (exception is null) return null;
        var e = exception;
        while (e is SchedulerException && e.InnerException is not null)
        {
            e = e.InnerException;
        }

        var text = $"{e.GetType().Name}: {e.Message}";
        text = Credential().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + "***");
        return text.Length <= JobRunStore.MaxErrorLength ? text : text[..(JobRunStore.MaxErrorLength - 1)] + "…";
    }

    [GeneratedRegex(@"(?<name>password|pwd|secret|token|api[-_ ]?key|authorization)(?<sep>\s*[=:]\s*)[^\s;,'""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Credential();
}
