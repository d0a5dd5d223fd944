using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>Assessments settings (section "Assessments").</summary>
public sealed class AssessmentOptions
{
    public const string SectionName = "Assessments";

    /// <summary>How often the running periods are recomputed (provisional); 00:00:10 to 1.00:00:00.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back a first start (or long downtime) catches up, in weeks; 1–520.</summary>
    public int MaxCatchUpWeeks { get; set; } = 26;
}

/// <summary>One assessment computed by a run.</summary>
public sealed record AssessmentRan(string Kind, string Period, string Status);

/// <summary>
/// What the assessment job does each time: for weeks and months, from the one after the last final assessment (at most
/// <see cref="AssessmentOptions.MaxCatchUpWeeks"/> back) up to the running one, computes grids, communities and people in
/// time order (so each period's movement sees the previous ranks). A finished period whose points are final becomes
/// final once; the others stay provisional and are replaced each run. Catch-up after downtime is the same loop.
/// </summary>
public sealed class AssessmentService(AssessmentEngine engine, DbConnectionFactory db, BoardClock clock, AssessmentOptions options)
{
    private static readonly AssessmentKind[] Kinds = [AssessmentKind.Grid, AssessmentKind.Community, AssessmentKind.Person];

    public async Task<IReadOnlyList<AssessmentRan>> RunAsync(CancellationToken ct = default)
    {
        var ran = new List<AssessmentRan>();
        var today = clock.Today;
        var earliestWeek = Period.WeekOf(today.AddDays(-7 * options.MaxCatchUpWeeks));
        foreach (var (kind, earliest, pattern) in new[] { (PeriodKind.Week, earliestWeek, "____-W__"), (PeriodKind.Month, Period.MonthOf(earliestWeek.FirstDay), "____-__") })
        {
            var current = Period.Of(kind, today);
            foreach (var assessment in Kinds)
            {
                var start = await FirstOpenAsync(assessment, pattern, ct).ConfigureAwait(false) is { } open && open > earliest ? open : earliest;
                for (var p = start; p <= current; p = p.Next())
                {
                    var view = await engine.RunAsync(assessment, p, ct).ConfigureAwait(false);
                    ran.Add(new AssessmentRan(view.Kind, view.Period, view.Status));
                }
            }
        }

        return ran;
    }

    private async Task<Period?> FirstOpenAsync(AssessmentKind kind, string pattern, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var last = await c.ExecuteScalarAsync<string?>(Cmd(AssessmentSql.LatestFinal, new { Kind = (int)kind, Pattern = pattern }, null, ct)).ConfigureAwait(false);
        return Period.TryParse(last, out var p) ? p.Next() : null;
    }
}
