using System.Globalization;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Jobs;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Quartz;

namespace CommandCenter.Jobs.Scheduling;

/// <summary>A job as the Jobs page and <c>GET /api/v1/jobs</c> show it.</summary>
public sealed record JobSummary(
    string Group,
    string Name,
    string? Description,
    string Schedule,
    DateTimeOffset? NextRunAt,
    bool Paused,
    IReadOnlyList<JobTriggerSummary> Triggers,
    JobRunSummary? LastRun,
    JobErrorSummary? LastError);

/// <summary>One trigger of a job: its kind (cron, interval, other), the cron or interval, the zone, what a missed firing does.</summary>
public sealed record JobTriggerSummary(
    string Group,
    string Name,
    string Kind,
    string? Cron,
    TimeSpan? Interval,
    string? TimeZone,
    string State,
    string Misfire,
    DateTimeOffset? NextFireAt,
    DateTimeOffset? PreviousFireAt);

public sealed record JobRunSummary(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs, bool Succeeded, string? Error, string? RunBy, string? Node);

public sealed record JobErrorSummary(DateTimeOffset At, string Error);

/// <summary>The scheduler (its name, this node's instance id, where it keeps the schedule) and its jobs.</summary>
public sealed record JobsOverview(string Scheduler, string InstanceId, string Store, bool Clustered, IReadOnlyList<JobSummary> Jobs);

/// <summary>What "run now" did: the job it asked to run and when.</summary>
public sealed record JobRunRequested(string Group, string Name, DateTimeOffset RequestedAt);

/// <summary>The jobs of the scheduler with their schedules and recorded runs, and "run now" (audited).</summary>
public sealed class JobsService(ISchedulerFactory schedulers, JobRunStore runs, DbConnectionFactory db, JobsOptions options, TimeProvider time)
{
    public const int MaxKeyLength = 150;

    /// <summary>The scheduler and every job.</summary>
    public async Task<JobsOverview> OverviewAsync(CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct).ConfigureAwait(false);
        var jobs = await ListAsync(ct).ConfigureAwait(false);
        var persistent = options.IsPersistent;
        return new JobsOverview(scheduler.SchedulerName, scheduler.SchedulerInstanceId,
            persistent ? db.Provider.ToString() : "Memory", persistent && !db.IsSqlite, jobs);
    }

    /// <summary>Every job, ordered by group and name.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync(CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct).ConfigureAwait(false);
        var jobs = await scheduler.QueryJobs(new JobQuery { Take = PagedQuery.All }, ct).ConfigureAwait(false);
        var (latest, failures) = await runs.LatestAsync(ct).ConfigureAwait(false);
        var result = new List<JobSummary>(jobs.Items.Count);
        foreach (var job in jobs.Items)
        {
            var headers = await scheduler.QueryTriggers(new TriggerQuery { Job = job.Key, Take = PagedQuery.All }, ct).ConfigureAwait(false);
            var triggers = new List<JobTriggerSummary>(headers.Items.Count);
            foreach (var header in headers.Items)
            {
                var trigger = await scheduler.GetTrigger(header.Key, ct).ConfigureAwait(false);
                triggers.Add(Describe(header, trigger));
            }

            var last = latest.FirstOrDefault(r => r.JobGroup == job.Key.Group && r.JobName == job.Key.Name);
            var failure = failures.FirstOrDefault(r => r.JobGroup == job.Key.Group && r.JobName == job.Key.Name);
            result.Add(new JobSummary(
                job.Key.Group,
                job.Key.Name,
                job.Description,
                triggers.Count == 0 ? "" : string.Join("; ", triggers.Select(ScheduleText)),
                triggers.Where(t => t.NextFireAt is not null).Min(t => t.NextFireAt),
                triggers.Count > 0 && triggers.All(t => t.State == nameof(TriggerState.Paused)),
                triggers,
                last is null ? null : new JobRunSummary(last.StartedAt, last.FinishedAt, (long)last.Duration.TotalMilliseconds, last.Succeeded, last.Error, last.RunBy, last.Node),
                failure is null ? null : new JobErrorSummary(failure.FinishedAt, failure.Error ?? "")));
        }

        return result;
    }

    /// <summary>
    /// Runs the job now, once, beside its schedule (a job that disallows concurrent runs waits for the running one).
    /// The request is audited (<c>job.run-now</c>) before the run is handed to the scheduler: Quartz writes the run's
    /// trigger in its own transaction (on SQLite the database has one writer at a time, so the two cannot share one).
    /// Returns null when no such job exists; throws <see cref="InputValidationException"/> for a malformed key.
    /// </summary>
    public async Task<JobRunRequested?> RunNowAsync(Actor actor, string? group, string? name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var v = new Validator();
        var g = v.RequiredText("group", group, MaxKeyLength);
        var n = v.RequiredText("name", name, MaxKeyLength);
        if (!v.IsValid || g is null || n is null)
        {
            v.ThrowIfInvalid();
            return null;
        }

        var scheduler = await schedulers.GetScheduler(ct).ConfigureAwait(false);
        var key = new JobKey(n, g);
        if (!await scheduler.Exists(key, ct).ConfigureAwait(false))
        {
            return null;
        }

        var at = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            await AuditLog.WriteAsync(c, tx, actor, at, "job.run-now", "job", $"{g}.{n}", new { group = g, name = n }, ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        try
        {
            await scheduler.TriggerJob(key, new JobDataMap { [JobRunListener.RunByKey] = actor.Name }, ct).ConfigureAwait(false);
        }
        catch (SchedulerException)
        {
            if (await scheduler.Exists(key, ct).ConfigureAwait(false))
            {
                throw;
            }

            return null; // removed in between
        }

        return new JobRunRequested(g, n, at);
    }

    /// <summary>"cron 0 0/5 * * * ? (Asia/Shanghai)", "every 00:00:15", or the trigger's kind.</summary>
    public static string ScheduleText(JobTriggerSummary t) => t.Kind switch
    {
        "cron" => $"cron {t.Cron}" + (t.TimeZone is null ? "" : $" ({t.TimeZone})"),
        "interval" => "every " + t.Interval!.Value.ToString("c", CultureInfo.InvariantCulture),
        _ => t.Kind,
    };

    private static JobTriggerSummary Describe(TriggerHeader header, ITrigger? trigger) => trigger switch
    {
        ICronTrigger cron => new JobTriggerSummary(header.Key.Group, header.Key.Name, "cron", cron.CronExpressionString, null, cron.TimeZone?.Id,
            header.State.ToString(), cron.MisfireInstruction.ToString(), header.NextFireTimeUtc, header.PreviousFireTimeUtc),
        ISimpleTrigger simple => new JobTriggerSummary(header.Key.Group, header.Key.Name, "interval", null, simple.RepeatInterval, null,
            header.State.ToString(), simple.MisfireInstruction.ToString(), header.NextFireTimeUtc, header.PreviousFireTimeUtc),
        _ => new JobTriggerSummary(header.Key.Group, header.Key.Name, header.TriggerType ?? "other", null, null, null,
            header.State.ToString(), (trigger?.MisfireInstructionCode ?? 0).ToString(CultureInfo.InvariantCulture), header.NextFireTimeUtc, header.PreviousFireTimeUtc),
    };
}
