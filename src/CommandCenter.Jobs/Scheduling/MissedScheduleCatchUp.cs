using CommandCenter.Data.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Scheduling;

/// <summary>
/// Makes a schedule that was missed while the node was down run ONCE when it starts, whatever the job.
/// <para>
/// Quartz replaces every declared trigger at start (so a changed setting takes effect), and the replacing trigger's
/// next fire time is computed from now: the stored trigger's missed fire time would be forgotten, and Quartz's own
/// misfire handling would never see it. So, before the scheduler is built, this reads what the store holds (next and
/// last fire time of each trigger); after the declarations were applied, for each trigger that was due longer ago
/// than the misfire threshold (<c>Jobs:MisfireThreshold</c>), has not fired since, and whose misfire instruction says
/// to fire (FireAndProceed — the default of every trigger here —, the smart policy, FireNow, "now with …
/// count", IgnoreMisfires), it adds a one-off trigger that runs the job once now (recorded with RunBy
/// <see cref="RunBy"/>); the trigger itself goes on with its schedule. A trigger that says DoNothing (or "next with …
/// count") is left to its next time. On a cluster the one-off trigger's key is derived from the missed fire time, so a
/// second node starting at the same time finds it taken, and a node starting later sees the run in JobRun.
/// </para>
/// Registered as a hosted service before Quartz's own, after the start-up initializer has migrated the database.
/// </summary>
public sealed class MissedScheduleCatchUp(
    ISchedulerFactory schedulers,
    QuartzStoreQueries store,
    JobRunStore runs,
    JobsOptions options,
    TimeProvider time,
    ILogger<MissedScheduleCatchUp> logger) : IHostedService
{
    /// <summary>The RunBy of a catch-up run in JobRun.</summary>
    public const string RunBy = "catch-up";

    /// <summary>The group of the one-off catch-up triggers.</summary>
    public const string TriggerGroup = "catch-up";

    /// <summary>Builds the scheduler (applying the declared jobs and triggers) and adds a run-once trigger for each missed one.</summary>
    public async Task<IScheduler> PrepareAsync(CancellationToken ct = default)
    {
        var before = options.IsPersistent ? await store.TriggersAsync(QuartzSetup.SchedulerName, ct).ConfigureAwait(false) : [];
        var scheduler = await schedulers.GetScheduler(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var stored in before.Where(t => t.Group != TriggerGroup))
        {
            if (stored.NextFireAt is not { } missed || missed >= now - options.MisfireThreshold)
            {
                continue;
            }

            var key = new TriggerKey(stored.Name, stored.Group);
            var current = await scheduler.GetTrigger(key, ct).ConfigureAwait(false);
            if (current is null || current.PreviousFireTimeUtc >= missed || !FiresWhenMissed(current))
            {
                continue; // no longer declared, fired since (another node), or told to skip missed times
            }

            var job = current.JobKey;
            if ((await runs.OfJobAsync(job.Group, job.Name, 1, ct).ConfigureAwait(false)).FirstOrDefault() is { } last && last.StartedAt >= missed)
            {
                continue; // another node has run it since
            }

            var once = TriggerBuilder.Create(time)
                .WithIdentity($"{key.Group}.{key.Name}@{missed.UtcTicks}", TriggerGroup)
                .WithDescription($"Once, for the run due at {missed:u} while the scheduler was down")
                .ForJob(job)
                .UsingJobData(JobRunListener.RunByKey, RunBy)
                .StartNow()
                .Build();
            try
            {
                await scheduler.ScheduleJob(once, new ScheduleJobOptions(), ct).ConfigureAwait(false);
                logger.LogInformation("Job {JobGroup}.{JobName} was due at {MissedAt} (trigger {TriggerGroup}.{TriggerName}) while the scheduler was down: it runs once now",
                    job.Group, job.Name, missed, key.Group, key.Name);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node of the cluster added the same catch-up.
            }
        }

        return scheduler;
    }

    /// <summary>Whether the trigger's misfire instruction asks for a run when a fire time was missed.</summary>
    public static bool FiresWhenMissed(ITrigger trigger) => trigger switch
    {
        ICronTrigger cron => cron.MisfireInstruction != CronTriggerMisfireInstruction.DoNothing,
        ISimpleTrigger simple => simple.MisfireInstruction is not (SimpleTriggerMisfireInstruction.NextWithRemainingCount or SimpleTriggerMisfireInstruction.NextWithExistingCount),
        _ => trigger?.MisfireInstructionCode != (int)CronTriggerMisfireInstruction.DoNothing, // "do nothing" is 2 in every other family
    };

    public async Task StartAsync(CancellationToken cancellationToken) => await PrepareAsync(cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
