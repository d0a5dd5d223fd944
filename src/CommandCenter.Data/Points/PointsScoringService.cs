using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;

namespace CommandCenter.Data.Points;

/// <summary>How the scoring catches up and when a week is final (configuration section <c>Points</c>, validated by the jobs).</summary>
public sealed class PointsScoringOptions
{
    public const string SectionName = "Points";

    /// <summary>How often the scoring job runs.</summary>
    public TimeSpan ScoringInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a week ends it is finalised (field records sent late still count until then).</summary>
    public TimeSpan FinaliseAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many weeks back are scored when catching up (from the first recorded activity).</summary>
    public int MaxCatchUpWeeks { get; set; } = 104;
}

/// <summary>
/// One scoring pass: every week after the last final one (from the first recorded activity when none is final, at most
/// <see cref="PointsScoringOptions.MaxCatchUpWeeks"/> back) up to the running week. Weeks that ended more than
/// <see cref="PointsScoringOptions.FinaliseAfter"/> ago are finalised; the others are scored provisionally. So a
/// period missed while the server was down is caught up by the first pass after start.
/// </summary>
public sealed class PointsScoringService(PointsScorer scorer, BoardClock clock, PointsScoringOptions options)
{
    public async Task<IReadOnlyList<WeekScored>> RunAsync(CancellationToken ct = default)
    {
        var now = clock.Now;
        var current = Period.Of(PeriodKind.Week, now, clock.Zone);
        var earliest = current;
        for (var i = 0; i < options.MaxCatchUpWeeks; i++) earliest = earliest.Previous();

        var start = (await scorer.LastFinalWeekAsync(ct).ConfigureAwait(false))?.Next()
            ?? await scorer.FirstActivityWeekAsync(ct).ConfigureAwait(false)
            ?? current;
        if (start < earliest) start = earliest;
        if (start > current) start = current;

        var results = new List<WeekScored>();
        for (var week = start; week <= current; week = week.Next())
        {
            ct.ThrowIfCancellationRequested();
            var finalise = week < current && week.End(clock.Zone) + options.FinaliseAfter <= now;
            results.Add(await scorer.ScoreWeekAsync(week, finalise, ct).ConfigureAwait(false));
        }

        return results;
    }
}
