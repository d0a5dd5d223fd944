using CommandCenter.Data.Jobs;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Data.Security;
using CommandCenter.Jobs.Scheduling;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CommandCenter.Jobs.Tests;

/// <summary>The app's scheduler on the persistent SQLite store: runs recorded, a missed schedule run once on start, run now.</summary>
public sealed class SchedulerTests
{
    [Fact]
    public async Task Migrations_CreateQuartzStoreTablesAndJobRun()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var c = await db.Factory.OpenAsync();

        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet(StringComparer.Ordinal);

        foreach (var t in new[] { "JOB_DETAILS", "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS", "SIMPROP_TRIGGERS", "BLOB_TRIGGERS", "CALENDARS",
                     "PAUSED_TRIGGER_GRPS", "PAUSED_JOB_GRPS", "FIRED_TRIGGERS", "SCHEDULER_STATE", "LOCKS", "EXECUTION_HISTORY", "MISFIRE_HISTORY", "JOB_STATUS" })
        {
            Assert.Contains(QuartzSetup.TablePrefix + t, tables);
        }

        Assert.Contains("JobRun", tables);
    }

    [Fact]
    public async Task PersistentStore_JobRuns_ItsRunIsRecordedWithTimesAndResult()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe();
        await using var host = await SchedulerHost.BuildAsync(db, probe, t => t.StartNow());

        await host.Scheduler.Start();
        var runs = await host.WaitForRunsAsync(1);

        var run = Assert.Single(runs);
        Assert.True(run.Succeeded);
        Assert.Null(run.Error);
        Assert.Null(run.RunBy);
        Assert.Equal(1, probe.Runs);
        var stored = Assert.Single(await host.Services.GetRequiredService<JobRunStore>().OfJobAsync("tests", "probe"));
        Assert.True(stored.Succeeded);
        Assert.True(stored.FinishedAt >= stored.StartedAt);
        Assert.Equal(run.StartedAt, stored.StartedAt);
        // The job and its trigger are in the database (the persistent store), not in memory only.
        await using var c = await db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE SCHED_NAME = @S AND JOB_NAME = 'probe'", new { S = QuartzSetup.SchedulerName }));
    }

    [Fact]
    public async Task FailingJob_IsRecordedAsFailed_WithTheErrorTextAndNoCredential()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe { Fail = true };
        await using var host = await SchedulerHost.BuildAsync(db, probe, t => t.StartNow());

        await host.Scheduler.Start();
        await host.WaitForRunsAsync(1);

        var stored = Assert.Single(await host.Services.GetRequiredService<JobRunStore>().OfJobAsync("tests", "probe"));
        Assert.False(stored.Succeeded);
        Assert.Equal("InvalidOperationException: the mail server refused: password=***; try later", stored.Error);
        var summary = Assert.Single(await host.Services.GetRequiredService<JobsService>().ListAsync(), j => j.Name == "probe");
        Assert.False(summary.LastRun!.Succeeded);
        Assert.Equal(stored.Error, summary.LastError!.Error);
    }

    [Fact]
    public async Task RunHistory_KeepsTheLastRunsPerJobOnly()
    {
        await using var db = await TestDatabase.CreateAsync();
        var store = new JobRunStore(db.Factory, keep: 3);
        var t0 = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await store.RecordAsync(new JobRunRecord("g", "a", t0.AddMinutes(i), t0.AddMinutes(i).AddSeconds(2), i != 3, i == 3 ? "boom" : null, null, "node"));
        }

        await store.RecordAsync(new JobRunRecord("g", "b", t0, t0.AddSeconds(1), true, null, "chief", "node"));

        var a = await store.OfJobAsync("g", "a");
        Assert.Equal([t0.AddMinutes(4), t0.AddMinutes(3), t0.AddMinutes(2)], a.Select(r => r.StartedAt));
        Assert.Single(await store.OfJobAsync("g", "b"));
        var (latest, failures) = await store.LatestAsync();
        Assert.Equal(t0.AddMinutes(4), latest.Single(r => r.JobName == "a").StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(2), latest.Single(r => r.JobName == "a").Duration);
        Assert.Equal("boom", failures.Single().Error);
    }

    /// <summary>
    /// A daily schedule whose fire time passed while the scheduler was down (the stored trigger's next fire time is a day
    /// in the past) runs once when the scheduler starts, and then waits for its next time; the restart replaces the
    /// declared trigger without losing that it was missed.
    /// </summary>
    [Fact]
    public async Task MissedWhileDown_RunsOnceOnStart_ThenKeepsItsSchedule()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe();
        const string daily = "0 0 3 * * ?";
        await using (var first = await SchedulerHost.BuildAsync(db, probe, t => t.WithCronSchedule(daily)))
        {
            // Building the scheduler stores the declared job and trigger; it never starts, so nothing runs.
            Assert.True(await first.Scheduler.Exists(new TriggerKey("probe-trigger", "tests")));
        }

        // The node was down over the last fire time: last fired two days ago, due a day ago.
        var now = DateTimeOffset.UtcNow;
        await using (var c = await db.Factory.OpenAsync())
        {
            var next = await c.ExecuteScalarAsync<long>("SELECT NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'probe-trigger'");
            Assert.True(next > now.UtcTicks / 2, "NEXT_FIRE_TIME is stored as ticks"); // (milliseconds would be far smaller)
            var changed = await c.ExecuteAsync("UPDATE QRTZ_TRIGGERS SET PREV_FIRE_TIME = @Prev, NEXT_FIRE_TIME = @Next WHERE TRIGGER_NAME = 'probe-trigger'",
                new { Prev = now.AddDays(-2).UtcTicks, Next = now.AddDays(-1).UtcTicks });
            Assert.Equal(1, changed);
        }

        await using var second = await SchedulerHost.BuildAsync(db, probe, t => t.WithCronSchedule(daily));
        await second.Scheduler.Start();
        var runs = await second.WaitForRunsAsync(1);

        Assert.Single(runs);
        Assert.True(runs[0].Succeeded);
        Assert.Equal(MissedScheduleCatchUp.RunBy, runs[0].RunBy);
        // Once: the trigger has moved on to its next daily time, so nothing else is due.
        var trigger = await second.Scheduler.GetTrigger(new TriggerKey("probe-trigger", "tests"));
        Assert.NotNull(trigger);
        Assert.True(trigger.NextFireTimeUtc > DateTimeOffset.UtcNow, $"next fire {trigger.NextFireTimeUtc} should be in the future");
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, ((ICronTrigger)trigger).MisfireInstruction);
        Assert.Equal(1, probe.Runs);
        Assert.Single(await second.Services.GetRequiredService<JobRunStore>().OfJobAsync("tests", "probe"));
        Assert.True(await second.Scheduler.Exists(new TriggerKey("probe-trigger", "tests")));
    }

    [Fact]
    public async Task MissedWhileDown_WithDoNothing_WaitsForItsNextTime()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe();
        Action<ITriggerConfigurator<IJob>> skip = t => t.WithCronSchedule("0 0 3 * * ?", c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing));
        await using (await SchedulerHost.BuildAsync(db, probe, skip))
        {
        }

        await using (var c = await db.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = @Next", new { Next = DateTimeOffset.UtcNow.AddDays(-1).UtcTicks });
        }

        await using var second = await SchedulerHost.BuildAsync(db, probe, skip);

        Assert.Empty(await second.Scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(MissedScheduleCatchUp.TriggerGroup) }) is var r ? r.Items : []);
        Assert.Equal(0, probe.Runs);
    }

    [Fact]
    public async Task Restart_WithAChangedSchedule_ReplacesTheStoredTrigger()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe();
        await using (var first = await SchedulerHost.BuildAsync(db, probe, t => t.WithCronSchedule("0 0 3 * * ?")))
        {
            Assert.True(await first.Scheduler.Exists(SchedulerHost.ProbeKey));
        }

        await using var second = await SchedulerHost.BuildAsync(db, probe, t => t.WithCronSchedule("0 30 4 ? * MON"));

        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await second.Scheduler.GetTrigger(new TriggerKey("probe-trigger", "tests")));
        Assert.Equal("0 30 4 ? * MON", trigger.CronExpressionString);
        var summary = Assert.Single(await second.Services.GetRequiredService<JobsService>().ListAsync(), j => j.Name == "probe");
        Assert.Equal("cron 0 30 4 ? * MON" + $" ({trigger.TimeZone.Id})", summary.Schedule);
        Assert.Equal(0, probe.Runs);
    }

    [Fact]
    public async Task RunNow_RunsTheJobOnce_RecordsWhoAsked_AndAuditsIt()
    {
        await using var db = await TestDatabase.CreateAsync();
        var probe = new Probe();
        await using var host = await SchedulerHost.BuildAsync(db, probe, t => t.WithCronSchedule("0 0 3 1 1 ?")); // once a year
        await host.Scheduler.Start();
        var jobs = host.Services.GetRequiredService<JobsService>();
        var admin = new Actor(ActorKind.User, "7", "chief", RemoteIp: "203.0.113.9");

        var requested = await jobs.RunNowAsync(admin, "tests", "probe");
        var runs = await host.WaitForRunsAsync(1);

        Assert.NotNull(requested);
        Assert.Equal("chief", Assert.Single(runs).RunBy);
        Assert.Equal(1, probe.Runs);
        var audit = Assert.Single(await new AuditLog(db.Factory).ListAsync(new AuditFilter(Action: "job.run-now")));
        Assert.Equal("chief", audit.ActorName);
        Assert.Equal("tests.probe", audit.EntityId);
        Assert.Equal("203.0.113.9", audit.RemoteIp);
        var summary = Assert.Single(await jobs.ListAsync(), j => j.Name == "probe");
        Assert.Equal("chief", summary.LastRun!.RunBy);
        Assert.NotNull(summary.NextRunAt);
    }

    [Fact]
    public async Task RunNow_UnknownJobIsNull_AndAMalformedKeyNamesTheField()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await SchedulerHost.BuildAsync(db, new Probe(), null);
        var jobs = host.Services.GetRequiredService<JobsService>();
        var admin = new Actor(ActorKind.User, "7", "chief");

        Assert.Null(await jobs.RunNowAsync(admin, "tests", "no-such-job"));
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => jobs.RunNowAsync(admin, "tests", new string('x', 151)));
        Assert.Contains("name", ex.Errors.Keys);
        Assert.Empty(await new AuditLog(db.Factory).ListAsync(new AuditFilter(Action: "job.run-now")));
    }
}
