using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Reports;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Reports;

/// <summary>
/// The scheduled report of a kind (weekly: <c>Reports:WeeklyCron</c>, monthly: <c>Reports:MonthlyCron</c>, street
/// time): the newest finished period without a done report, once its assessments are final. Also fired once shortly
/// after start, so a report missed while the server was down is made then (catch-up).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReportJob(ReportService reports, ILogger<ReportJob> logger) : IJob
{
    public static readonly JobKey WeeklyKey = new("report-weekly", "reports");
    public static readonly JobKey MonthlyKey = new("report-monthly", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = Equals(context.JobDetail.Key, MonthlyKey) ? PeriodKind.Month : PeriodKind.Week;
        var made = await reports.RunScheduledAsync(kind, cancellationToken).ConfigureAwait(false);
        if (made is not null)
        {
            logger.LogInformation("Scheduled report {Period} ({Culture}): {Status}{Error}", made.Period, made.Culture, made.Status,
                made.Error is null ? "" : " — " + made.Error);
        }
    }
}

/// <summary>Makes the reports asked for through the API or the Reports page, one at a time, off the request.</summary>
public sealed class ReportWorker(ReportService reports, ILogger<ReportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await reports.FailInterruptedAsync(stoppingToken).ConfigureAwait(false);
        await foreach (var id in reports.Queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            var made = await reports.GenerateAsync(id, stoppingToken).ConfigureAwait(false);
            logger.LogInformation("Report {Id} {Period} ({Culture}): {Status}{Error}", made.Id, made.Period, made.Culture, made.Status,
                made.Error is null ? "" : " — " + made.Error);
        }
    }
}

public static class ReportJobsRegistration
{
    /// <summary>Reads and validates the <c>Reports</c> section; every problem names its setting.</summary>
    public static ReportOptions Options(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(ReportOptions.SectionName).Get<ReportOptions>() ?? new ReportOptions();
        foreach (var (name, cron) in new[] { ("WeeklyCron", options.WeeklyCron), ("MonthlyCron", options.MonthlyCron) })
        {
            try
            {
                _ = new CronExpression(cron);
            }
            catch (FormatException ex)
            {
                throw new SettingException($"Setting 'Reports:{name}' is '{cron}', which is not a valid Quartz cron expression: {ex.Message}", ex);
            }
        }

        if (options.KeepPeriods is < 1 or > 1000)
        {
            throw new SettingException("Setting 'Reports:KeepPeriods' must be between 1 and 1000.");
        }

        if (options.QueueCapacity is < 1 or > 10000)
        {
            throw new SettingException("Setting 'Reports:QueueCapacity' must be between 1 and 10000.");
        }

        if (options.Culture is not ("zh-CN" or "en"))
        {
            throw new SettingException($"Setting 'Reports:Culture' is '{options.Culture}'; use zh-CN or en.");
        }

        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            throw new SettingException("Setting 'Reports:Folder' must name a folder.");
        }

        return options;
    }

    /// <summary>The weekly and monthly report jobs (cron in street time, plus one catch-up run 60 s after start) and the worker.</summary>
    public static void AddReportJobs(IServiceCollection services, IQuartzBuilder q, IConfiguration configuration, TimeZoneInfo zone)
    {
        var options = Options(configuration);
        services.RemoveAll<ReportOptions>();
        services.AddSingleton(options);
        services.RemoveAll<ReportRenderer>();
        services.AddSingleton(new ReportRenderer(configuration.GetSection(ReportFontOptions.Section).Get<ReportFontOptions>()));
        services.AddHostedService<ReportWorker>();
        foreach (var (key, cron) in new[] { (ReportJob.WeeklyKey, options.WeeklyCron), (ReportJob.MonthlyKey, options.MonthlyCron) })
        {
            q.AddJob<ReportJob>(j => j.WithIdentity(key));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(key.Name + "-trigger", "reports").WithCronSchedule(cron, c => c.InTimeZone(zone)));
            q.AddTrigger(t => t.ForJob(key).WithIdentity(key.Name + "-catch-up", "reports").StartAt(DateTimeOffset.UtcNow.AddSeconds(60)));
        }
    }
}
