using CommandCenter.Domain.Live;
using CommandCenter.Jobs.Devices;
using CommandCenter.Jobs.LiveBoard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Data.Infrastructure;
using Quartz;

namespace CommandCenter.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz with the live-board jobs and the device jobs (silent devices, reading roll-up and retention).</summary>
    public static IServiceCollection AddCommandCenterJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        if (options.BoardTickInterval <= TimeSpan.Zero)
        {
            throw new SettingException("Setting 'Jobs:BoardTickInterval' must be a positive time span, e.g. 00:00:15.");
        }

        try
        {
            _ = new CronExpression(options.BoardResyncCron);
        }
        catch (FormatException ex)
        {
            throw new SettingException($"Setting 'Jobs:BoardResyncCron' is '{options.BoardResyncCron}', which is not a valid Quartz cron expression: {ex.Message}", ex);
        }

        var devices = services.AddDeviceJobServices(configuration);
        services.AddQuartz(q =>
        {
            Points.PointsJobsRegistration.AddPointsJobs(services, q, configuration);
            Assessments.AssessmentJobsRegistration.AddAssessmentJobs(services, q, configuration);
            Reports.ReportJobsRegistration.AddReportJobs(services, q, configuration, StreetZone(configuration));
            q.AddDeviceJobs(devices);
            q.AddJob<LiveBoardTickJob>(j => j.WithIdentity(LiveBoardTickJob.Key));
            q.AddTrigger(t => t.ForJob(LiveBoardTickJob.Key).WithIdentity("live-board-tick-trigger", "live")
                .StartAt(DateTimeOffset.UtcNow + options.BoardTickInterval)
                .WithSimpleSchedule(s => s.WithInterval(options.BoardTickInterval).RepeatForever()));
            q.AddJob<LiveBoardResyncJob>(j => j.WithIdentity(LiveBoardResyncJob.Key));
            q.AddTrigger(t => t.ForJob(LiveBoardResyncJob.Key).WithIdentity("live-board-resync-trigger", "live")
                .WithCronSchedule(options.BoardResyncCron, c => c.InTimeZone(StreetZone(configuration))));
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
