using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Points;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Points;

/// <summary>
/// Scores the points ledger every few minutes (<c>Points:ScoringInterval</c>): the running week provisionally, the weeks
/// over finalised, any week missed while the server was down caught up (the first run is at start).
/// </summary>
[DisallowConcurrentExecution]
public sealed class PointsScoringJob(PointsScoringService scoring, ILogger<PointsScoringJob> logger) : IJob
{
    public static readonly JobKey Key = new("points-scoring", "points");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var weeks = await scoring.RunAsync(cancellationToken).ConfigureAwait(false);
        foreach (var w in weeks.Where(w => !w.Skipped))
        {
            logger.LogInformation("Points scored for {Week} ({Status}, rule set v{Version}): {Rows} rows added in {Ms} ms",
                w.Week.ToString(), w.Status, w.RuleSetVersion, w.RowsAdded, (long)w.Duration.TotalMilliseconds);
        }
    }
}

public static class PointsJobsRegistration
{
    /// <summary>Reads and validates the <c>Points</c> section; every problem names its setting.</summary>
    public static PointsScoringOptions Options(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(PointsScoringOptions.SectionName).Get<PointsScoringOptions>() ?? new PointsScoringOptions();
        if (options.ScoringInterval < TimeSpan.FromSeconds(10) || options.ScoringInterval > TimeSpan.FromDays(1))
        {
            throw new SettingException("Setting 'Points:ScoringInterval' must be a time span between 00:00:10 and 1.00:00:00, e.g. 00:05:00.");
        }

        if (options.FinaliseAfter < TimeSpan.Zero || options.FinaliseAfter > TimeSpan.FromDays(7))
        {
            throw new SettingException("Setting 'Points:FinaliseAfter' must be a time span between 00:00:00 and 7.00:00:00, e.g. 01:00:00.");
        }

        if (options.MaxCatchUpWeeks is < 1 or > 520)
        {
            throw new SettingException("Setting 'Points:MaxCatchUpWeeks' must be between 1 and 520.");
        }

        return options;
    }

    /// <summary>The scoring job and its trigger (first run at start: the catch-up), with the validated options.</summary>
    public static void AddPointsJobs(IServiceCollection services, IQuartzBuilder q, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.RemoveAll<PointsScoringOptions>();
        services.AddSingleton(options);
        q.AddJob<PointsScoringJob>(j => j.WithIdentity(PointsScoringJob.Key));
        q.AddTrigger(t => t.ForJob(PointsScoringJob.Key).WithIdentity("points-scoring-trigger", "points")
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(options.ScoringInterval).RepeatForever()));
    }
}
