using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>One incident category's counts over the weeks of a <see cref="CategoryTrend"/>, oldest week first.</summary>
public sealed record CategorySeries(string Code, string NameEn, string NameZh, IReadOnlyList<int> Reported)
{
    public string Name(bool chinese) => chinese ? NameZh : NameEn;

    public int Total => Reported.Sum();
}

/// <summary>
/// Incidents reported per ISO week (street time zone) and category for the 12 weeks ending with a reviewed period's
/// last week. <see cref="Weeks"/> are the weeks (oldest first); <see cref="Series"/> the categories that had at least one
/// incident in them, in the catalog's order (codes outside the catalog after it).
/// </summary>
public sealed record CategoryTrend(IReadOnlyList<Period> Weeks, IReadOnlyList<CategorySeries> Series);

/// <summary>
/// The incidents-by-category trend of the leaders' review: one grouped query over <c>Incident</c>, bounded by
/// <c>ReportedAt</c> (index IX_Incident_ReportedAt), each row put in its week by the weeks' start instants in the street's
/// time zone (so a week is exactly Monday 00:00 to Monday 00:00 local). Incidents rejected as invalid do not count,
/// as in the assessments. A community-scoped actor sees its community's grids only.
/// </summary>
public sealed class CategoryTrendQuery(DbConnectionFactory db, BoardClock clock)
{
    public const int WeekCount = 12;

    /// <summary>The 12 ISO weeks ending with the week that holds the last day of <paramref name="period"/>.</summary>
    public static IReadOnlyList<Period> WeeksEndingWith(Period period)
    {
        var last = Period.WeekOf(period.EndDay.AddDays(-1));
        return Enumerable.Range(0, WeekCount).Select(i => Period.WeekOf(last.FirstDay.AddDays(-7 * (WeekCount - 1 - i)))).ToList();
    }

    public async Task<CategoryTrend> GetAsync(Period period, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var weeks = WeeksEndingWith(period);
        var starts = weeks.Select(w => w.Start(clock.Zone)).ToList();
        var args = new DynamicParameters();
        for (var i = 0; i < WeekCount; i++) args.Add("B" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), starts[i]);
        args.Add("B12", weeks[^1].End(clock.Zone));
        if (actor.CommunityId is { } community) args.Add("CommunityId", community);

        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Category, int WeekIndex, int Reported)>(
            Cmd(actor.CommunityId is null ? CategoryTrendSql.ByWeek : CategoryTrendSql.ByWeekInCommunity, args, null, ct)).ConfigureAwait(false);

        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.WeekIndex is < 0 or >= WeekCount) continue;
            if (!counts.TryGetValue(r.Category, out var perWeek)) counts[r.Category] = perWeek = new int[WeekCount];
            perWeek[r.WeekIndex] += r.Reported;
        }

        var order = IncidentCategories.All.Select((c, i) => (c.Entry.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        var series = counts
            .OrderBy(kv => order.TryGetValue(kv.Key, out var i) ? i : int.MaxValue).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv =>
            {
                var entry = IncidentCategories.Get(kv.Key);
                return new CategorySeries(kv.Key, entry.NameEn, entry.NameZh, kv.Value);
            })
            .ToList();
        return new CategoryTrend(weeks, series);
    }
}

/// <summary>
/// The SQL of <see cref="CategoryTrendQuery"/>: @B0 … @B12 are the 13 week boundaries (UTC instants of Monday 00:00 street
/// time); the CASE puts each incident in week 0–11. Plain ANSI SQL: the same text runs on SQLite and SQL Server.
/// </summary>
public static class CategoryTrendSql
{
    public const string ByWeek =
        "SELECT t.Category, t.WeekIndex, COUNT(*) AS Reported FROM (" +
        "SELECT i.Category, CASE WHEN i.ReportedAt < @B1 THEN 0 WHEN i.ReportedAt < @B2 THEN 1 WHEN i.ReportedAt < @B3 THEN 2 " +
        "WHEN i.ReportedAt < @B4 THEN 3 WHEN i.ReportedAt < @B5 THEN 4 WHEN i.ReportedAt < @B6 THEN 5 WHEN i.ReportedAt < @B7 THEN 6 " +
        "WHEN i.ReportedAt < @B8 THEN 7 WHEN i.ReportedAt < @B9 THEN 8 WHEN i.ReportedAt < @B10 THEN 9 WHEN i.ReportedAt < @B11 THEN 10 ELSE 11 END AS WeekIndex " +
        "FROM Incident i WHERE i.ReportedAt >= @B0 AND i.ReportedAt < @B12 AND i.Resolution <> 2" +
        ") t GROUP BY t.Category, t.WeekIndex";

    public const string ByWeekInCommunity =
        "SELECT t.Category, t.WeekIndex, COUNT(*) AS Reported FROM (" +
        "SELECT i.Category, CASE WHEN i.ReportedAt < @B1 THEN 0 WHEN i.ReportedAt < @B2 THEN 1 WHEN i.ReportedAt < @B3 THEN 2 " +
        "WHEN i.ReportedAt < @B4 THEN 3 WHEN i.ReportedAt < @B5 THEN 4 WHEN i.ReportedAt < @B6 THEN 5 WHEN i.ReportedAt < @B7 THEN 6 " +
        "WHEN i.ReportedAt < @B8 THEN 7 WHEN i.ReportedAt < @B9 THEN 8 WHEN i.ReportedAt < @B10 THEN 9 WHEN i.ReportedAt < @B11 THEN 10 ELSE 11 END AS WeekIndex " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId WHERE i.ReportedAt >= @B0 AND i.ReportedAt < @B12 AND i.Resolution <> 2 AND g.CommunityId = @CommunityId" +
        ") t GROUP BY t.Category, t.WeekIndex";
}
