using CommandCenter.Data.Assessments;
using CommandCenter.Data.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Assessments;

/// <summary>
/// Assesses grids, communities and people every few minutes (<c>Assessments:Interval</c>): the running week and month
/// provisionally, finished periods whose points are final once, periods missed while the server was down caught up
/// (the first run is shortly after start, after the points scoring's catch-up has begun).
/// </summary>
[DisallowConcurrentExecution]
public sealed class AssessmentJob(AssessmentService assessments, ILogger<AssessmentJob> logger) : IJob
{
    public static readonly JobKey Key = new("assessments", "points");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var started = TimeProvider.System.GetTimestamp();
        var ran = await assessments.RunAsync(cancellationToken).ConfigureAwait(false);
        var finals = ran.Where(r => r.Status == "final").Select(r => $"{r.Kind} {r.Period}").ToList();
        logger.LogInformation("Assessments computed: {Count} ({Final} final{List}) in {Ms} ms", ran.Count, finals.Count,
            finals.Count == 0 ? "" : ": " + string.Join(", ", finals), (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }
}

public static class AssessmentJobsRegistration
{
    /// <summary>Reads and validates the <c>Assessments</c> section; every problem names its setting.</summary>
    public static AssessmentOptions Options(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(AssessmentOptions.SectionName).Get<AssessmentOptions>() ?? new AssessmentOptions();
        if (options.Interval < TimeSpan.FromSeconds(10) || options.Interval > TimeSpan.FromDays(1))
        {
            throw new SettingException("Setting 'Assessments:Interval' must be a time span between 00:00:10 and 1.00:00:00, e.g. 00:05:00.");
        }

        if (options.MaxCatchUpWeeks is < 1 or > 520)
        {
            throw new SettingException("Setting 'Assessments:MaxCatchUpWeeks' must be between 1 and 520.");
        }

        return options;
    }

    /// <summary>The assessment job and its trigger (first run 30 s after start: the catch-up), with the validated options.</summary>
    public static void AddAssessmentJobs(IServiceCollection services, IQuartzBuilder q, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.RemoveAll<AssessmentOptions>();
        services.AddSingleton(options);
        q.AddJob<AssessmentJob>(j => j.WithIdentity(AssessmentJob.Key));
        q.AddTrigger(t => t.ForJob(AssessmentJob.Key).WithIdentity("assessments-trigger", "points")
            .StartAt(DateTimeOffset.UtcNow.AddSeconds(30))
            .WithSimpleSchedule(s => s.WithInterval(options.Interval).RepeatForever()));
    }
}
