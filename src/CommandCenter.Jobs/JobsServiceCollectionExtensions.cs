using CommandCenter.Domain.Live;
using CommandCenter.Jobs.LiveBoard;
using CommandCenter.Jobs.Incidents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Data.Infrastructure;
using Quartz;

namespace CommandCenter.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz with the live-board jobs.</summary>
    public static IServiceCollection AddCommandCenterJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (options.BoardTickInterval <= TimeSpan.Zero)
        {
            throw new SettingException("Setting 'Jobs:BoardTickInterval' must be a positive time span, e.g. 00:00:15.");
        }

        if (options.EscalationInterval < TimeSpan.FromSeconds(1) || options.EscalationInterval > TimeSpan.FromDays(1))
        {
            throw new SettingException("Setting 'Jobs:EscalationInterval' must be a time span between 00:00:01 and 1.00:00:00, e.g. 00:01:00.");
        }

        try
        {
            _ = new CronExpression(options.BoardResyncCron);
        }
        catch (FormatException ex)
        {
            throw new SettingException($"Setting 'Jobs:BoardResyncCron' is '{options.BoardResyncCron}', which is not a valid Quartz cron expression: {ex.Message}", ex);
        }

        services.AddQuartz(q =>
        {
            q.AddJob<LiveBoardTickJob>(j => j.WithIdentity(LiveBoardTickJob.Key));
            q.AddTrigger(t => t.ForJob(LiveBoardTickJob.Key).WithIdentity("live-board-tick-trigger", "live")
                .StartAt(DateTimeOffset.UtcNow + options.BoardTickInterval)
                .WithSimpleSchedule(s => s.WithInterval(options.BoardTickInterval).RepeatForever()));
            q.AddJob<LiveBoardResyncJob>(j => j.WithIdentity(LiveBoardResyncJob.Key));
            q.AddTrigger(t => t.ForJob(LiveBoardResyncJob.Key).WithIdentity("live-board-resync-trigger", "live")
                .WithCronSchedule(options.BoardResyncCron, c => c.InTimeZone(StreetZone(configuration))));
            q.AddJob<IncidentEscalationJob>(j => j.WithIdentity(IncidentEscalationJob.Key));
            q.AddTrigger(t => t.ForJob(IncidentEscalationJob.Key).WithIdentity("incident-escalation-trigger", "loop")
                .StartAt(DateTimeOffset.UtcNow + options.EscalationInterval)
                .WithSimpleSchedule(s => s.WithInterval(options.EscalationInterval).RepeatForever()));
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
