using CommandCenter.Domain.Live;
using CommandCenter.Jobs.Devices;
using CommandCenter.Jobs.LiveBoard;
using CommandCenter.Jobs.Incidents;
using CommandCenter.Jobs.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Jobs;
using Quartz;

namespace CommandCenter.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with the app's jobs, on the scheduler of <see cref="QuartzSetup"/> (persistent store in the app's database,
    /// clustered on SQL Server, a missed schedule fires once on start, every run recorded in JobRun). Register a job
    /// here the normal Quartz way; check its schedule setting with <see cref="JobSchedules"/> so that a bad value
    /// refuses start naming the setting. Every trigger fires ONCE when missed unless it states otherwise.
    /// </summary>
    public static IServiceCollection AddCommandCenterJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = JobsOptions.Read(configuration);
        if (options.EscalationInterval < TimeSpan.FromSeconds(1) || options.EscalationInterval > TimeSpan.FromDays(1))
        {
            throw new SettingException("Setting 'Jobs:EscalationInterval' must be a time span between 00:00:01 and 1.00:00:00, e.g. 00:01:00.");
        }

        var provider = (configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions()).ParsedProvider;
        services.AddSingleton(sp => new JobRunStore(sp.GetRequiredService<DbConnectionFactory>(), options.RunHistoryPerJob));
        services.AddSingleton<JobsService>();
        services.AddSingleton(options);
        services.AddSingleton<QuartzStoreQueries>();
        services.AddSingleton<MissedScheduleCatchUp>();
        // Before Quartz's hosted service: reads the store, builds the scheduler, sets missed triggers to fire once.
        services.AddHostedService(sp => sp.GetRequiredService<MissedScheduleCatchUp>());

        var devices = services.AddDeviceJobServices(configuration);
        services.AddQuartz(q =>
        {
            q.UseCommandCenterScheduler(options, provider);
            q.AddDeviceJobs(devices);

            // Live board. Missed: the tick fires once now and then every interval from now; the re-sync fires once now
            // (it re-reads the database, so once is all a catch-up needs) and then on its cron.
            q.AddJob<LiveBoardTickJob>(j => j.WithIdentity(LiveBoardTickJob.Key).WithDescription("Applies the passing of time to the live board"));
            Points.PointsJobsRegistration.AddPointsJobs(services, q, configuration);
            Assessments.AssessmentJobsRegistration.AddAssessmentJobs(services, q, configuration);
            Reports.ReportJobsRegistration.AddReportJobs(services, q, configuration, StreetZone(configuration));
            q.AddTrigger(t => t.ForJob(LiveBoardTickJob.Key).WithIdentity("live-board-tick-trigger", "live")
                .StartAt(DateTimeOffset.UtcNow + options.BoardTickInterval)
                .WithSimpleSchedule(s => s.WithInterval(options.BoardTickInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)));
            q.AddJob<LiveBoardResyncJob>(j => j.WithIdentity(LiveBoardResyncJob.Key).WithDescription("Re-reads the live board from the database"));
            q.AddTrigger(t => t.ForJob(LiveBoardResyncJob.Key).WithIdentity("live-board-resync-trigger", "live")
                .WithCronSchedule(options.BoardResyncCron, c => c.InTimeZone(StreetZone(configuration))
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));

            // The deadline job keeps no state: a missed run is caught up by the next one, which escalates what is overdue now.
            q.AddJob<IncidentEscalationJob>(j => j.WithIdentity(IncidentEscalationJob.Key).WithDescription("Escalates overdue incidents to the next cycle"));
            q.AddTrigger(t => t.ForJob(IncidentEscalationJob.Key).WithIdentity("incident-escalation-trigger", "loop")
                .StartAt(DateTimeOffset.UtcNow + options.EscalationInterval)
                .WithSimpleSchedule(s => s.WithInterval(options.EscalationInterval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)));
        });
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = true;
        });
        return services;
    }

    private static TimeZoneInfo StreetZone(IConfiguration configuration) =>
        BoardClock.FindZone(configuration["CommandCenter:TimeZone"] ?? "Asia/Shanghai");
}
