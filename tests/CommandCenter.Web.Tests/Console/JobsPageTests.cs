using System.Reflection;
using Bunit;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Jobs;
using CommandCenter.Domain.Model;
using CommandCenter.Jobs;
using CommandCenter.Jobs.Scheduling;
using CommandCenter.Web.Components.Pages.Admin;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The Jobs page (/admin/jobs) over a real scheduler on the persistent store of the test database.</summary>
public sealed class JobsPageTests
{
    private sealed class NightlyJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private static readonly JobKey Nightly = new("nightly-report", "tests");

    /// <summary>A scheduler (built, not started) with one daily job, and the page's service over it.</summary>
    private static async Task<(ServiceProvider Services, IScheduler Scheduler)> SchedulerAsync(ConsoleTestHost host)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(host.Db);
        services.AddSingleton<TimeProvider>(host.Time);
        var options = new JobsOptions();
        services.AddSingleton(options);
        services.AddSingleton(sp => new JobRunStore(host.Db));
        services.AddSingleton<JobsService>();
        services.AddQuartz(q =>
        {
            q.UseCommandCenterScheduler(options, DatabaseProvider.Sqlite);
            q.AddJob<NightlyJob>(j => j.WithIdentity(Nightly).WithDescription("Writes the nightly report"));
            q.AddTrigger(t => t.ForJob(Nightly).WithIdentity("nightly-report-trigger", "tests")
                .WithCronSchedule("0 0 3 * * ?", c => c.InTimeZone(host.Clock.Zone)));
        });
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        host.Ctx.Services.AddSingleton(provider.GetRequiredService<JobsService>());
        return (provider, scheduler);
    }

    [Fact]
    public async Task Jobs_ListsScheduleLastRunAndLastError_AndRunNowIsAudited()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var (services, scheduler) = await SchedulerAsync(host);
        await using var _ = services;
        var store = services.GetRequiredService<JobRunStore>();
        var t0 = ConsoleTestHost.Start.AddHours(-2);
        await store.RecordAsync(new JobRunRecord("tests", "nightly-report", t0, t0.AddMilliseconds(1500), false, "TimeoutException: the report server did not answer", null, "node-1"));
        await host.SignInAsNewUserAsync("chief", Roles.Admin);

        var cut = host.Render<AdminJobs>();

        var row = cut.Find("tr[data-cc-job='tests.nightly-report']");
        Assert.Contains("Writes the nightly report", row.TextContent);
        Assert.Contains("cron 0 0 3 * * ? (Asia/Shanghai)", row.QuerySelector("[data-cc=schedule]")!.TextContent);
        Assert.Contains("2025-06-03 08:30:00", row.QuerySelector("[data-cc=last-run]")!.TextContent); // 00:30 UTC in Shanghai
        Assert.Equal("1.5 s", row.QuerySelector("[data-cc=duration]")!.TextContent.Trim());
        Assert.Contains("Failed", row.QuerySelector("[data-cc=result]")!.TextContent);
        Assert.Contains("TimeoutException: the report server did not answer", row.QuerySelector("[data-cc=last-error]")!.TextContent);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} 03:00", row.QuerySelector("[data-cc=next-run]")!.TextContent); // 03:00 in the street's zone
        Assert.Contains("store Sqlite", cut.Find("[data-cc=scheduler]").TextContent);
        Assert.Single(cut.FindAll("tr[data-cc-job]"));

        row.QuerySelector("button[data-cc=run-now]")!.Click();

        cut.WaitForAssertion(() => Assert.Contains("tests.nightly-report", cut.Find("[data-cc=message]").TextContent));
        var audit = Assert.Single(await host.AuditAsync("job.run-now"));
        Assert.Equal("chief", audit.ActorName);
        Assert.Equal("tests.nightly-report", audit.EntityId);
        Assert.Equal(ConsoleTestHost.RemoteIp, audit.RemoteIp);
        // The run waits in the store as a one-off trigger (this scheduler is not started).
        var triggers = await scheduler.QueryTriggers(new TriggerQuery { Job = Nightly });
        Assert.Equal(2, triggers.Items.Count);
    }

    [Fact]
    public void Jobs_Page_RequiresTheAdminPolicy_AndIsInTheAdminNavigation()
    {
        var authorize = typeof(AdminJobs).GetCustomAttributes<AuthorizeAttribute>().Single();
        Assert.Equal(Policies.Administer, authorize.Policy);
        Assert.Equal("/admin/jobs", typeof(AdminJobs).GetCustomAttribute<Microsoft.AspNetCore.Components.RouteAttribute>()!.Template);
    }
}
