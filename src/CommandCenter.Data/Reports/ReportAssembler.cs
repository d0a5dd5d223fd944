using System.Data.Common;
using CommandCenter.Data.Assessments;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Reports;
using Dapper;

namespace CommandCenter.Data.Reports;

/// <summary>
/// Fills an <see cref="AssessmentReport"/> for a week or month from what is stored: the grids', communities' and
/// people's assessments (issue 11), the incidents, waterlogging alarms and camera alerts of the period, and the same
/// figures of the period before for the headline comparison. Every figure is one set-based query.
/// </summary>
public sealed class ReportAssembler(DbConnectionFactory db, BoardClock clock)
{
    /// <summary>How many overdue / escalated incidents and top alarms the report lists.</summary>
    public const int ListLimit = 20;

    public const int TopAlarms = 5;

    public async Task<AssessmentReport> AssembleAsync(Period period, string culture, CancellationToken ct = default)
    {
        var zh = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        string N(string en, string zhName) => zh ? zhName : en;
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);

        var from = period.Start(clock.Zone);
        var to = period.End(clock.Zone);
        var previous = period.Previous();
        var prevFrom = previous.Start(clock.Zone);
        var args = new { From = from, To = to, PrevFrom = prevFrom, Top = ListLimit };

        var street = await c.QueryFirstOrDefaultAsync<(string Name, string NameZh)>(Cmd(ReportSql.Street, null, ct)).ConfigureAwait(false);
        var now = await HeadlineAsync(c, from, to, ct).ConfigureAwait(false);
        var before = await HeadlineAsync(c, prevFrom, from, ct).ConfigureAwait(false);

        var grids = await AssessmentStoreReads.ReadAsync(c, null, AssessmentKind.Grid, period, null, ct).ConfigureAwait(false);
        var communities = await AssessmentStoreReads.ReadAsync(c, null, AssessmentKind.Community, period, null, ct).ConfigureAwait(false);
        var people = await AssessmentStoreReads.ReadAsync(c, null, AssessmentKind.Person, period, null, ct).ConfigureAwait(false);
        var prevGrids = await AssessmentStoreReads.ReadAsync(c, null, AssessmentKind.Grid, previous, null, ct).ConfigureAwait(false);
        var prevPeople = await AssessmentStoreReads.ReadAsync(c, null, AssessmentKind.Person, previous, null, ct).ConfigureAwait(false);

        var communityNames = (communities?.Items ?? []).ToDictionary(i => i.Id, i => N(i.Name, i.NameZh));
        var gridRanking = (grids?.Items ?? []).Select(i => Row(i, i.CommunityId is { } cid && communityNames.TryGetValue(cid, out var cn) ? cn : null, N)).ToList();
        var communityRanking = (communities?.Items ?? []).Select(i => Row(i, null, N)).ToList();

        var byCategory = (await c.QueryAsync<(string Category, int Count, int PreviousCount)>(Cmd(ReportSql.ByCategory, args, ct)).ConfigureAwait(false))
            .Select(r => new CategoryCount(r.Category, r.Count, r.PreviousCount)).ToList();
        var byStep = (await c.QueryAsync<(int Step, int Count)>(Cmd(ReportSql.ByStep, args, ct)).ConfigureAwait(false))
            .Select(r => new CommandCenter.Domain.Reports.CycleCount(StepName(r.Step, zh), r.Count)).ToList();
        var periodEnd = to < clock.Now ? to : clock.Now;
        var overdue = (await c.QueryAsync<LateRow>(Cmd(db.Pick(ReportSql.Overdue_Sqlite, ReportSql.Overdue_SqlServer), args, ct)).ConfigureAwait(false))
            .Select(r => Late(r, periodEnd, N)).ToList();
        var escalated = (await c.QueryAsync<LateRow>(Cmd(db.Pick(ReportSql.Escalated_Sqlite, ReportSql.Escalated_SqlServer), args, ct)).ConfigureAwait(false))
            .Select(r => Late(r, periodEnd, N)).ToList();

        var alarmArgs = new { From = from, To = to, Top = TopAlarms };
        var water = (await c.QueryAsync<AlarmRow>(Cmd(db.Pick(ReportSql.TopWaterAlarms_Sqlite, ReportSql.TopWaterAlarms_SqlServer), alarmArgs, ct)).ConfigureAwait(false))
            .Select(r => new AlarmItem(r.At, N(r.Source, r.SourceZh), N(r.Grid, r.GridZh), WaterKind(r.Kind, zh), (decimal)r.Value, r.AcknowledgedAt - r.At)).ToList();
        var cameras = (await c.QueryAsync<AlarmRow>(Cmd(db.Pick(ReportSql.TopCameraAlerts_Sqlite, ReportSql.TopCameraAlerts_SqlServer), alarmArgs, ct)).ConfigureAwait(false))
            .Select(r => new AlarmItem(r.At, r.Source, N(r.Grid, r.GridZh), r.AlertKind ?? "", Math.Round((decimal)r.Value, 2), r.AcknowledgedAt - r.At)).ToList();

        var points = (grids?.Items ?? []).Sum(i => i.Points);
        var prevPoints = prevGrids?.Items.Sum(i => i.Points);
        var headline = new ReportHeadline(
            new Figure(now.Reported, before.Reported),
            new Figure(now.Closed, before.Closed),
            new Figure(now.OnTimeRate, before.OnTimeRate),
            new Figure(now.Escalated, before.Escalated),
            new Figure(now.Overdue, before.Overdue),
            new Figure(now.Satisfaction, before.Satisfaction),
            new Figure(MeanIndicator(grids, "patrolCoverage"), MeanIndicator(prevGrids, "patrolCoverage")),
            new Figure(now.Visits, before.Visits),
            new Figure(now.WaterAlarms, before.WaterAlarms),
            new Figure(now.CameraAlerts, before.CameraAlerts),
            new Figure(grids is null ? null : points, prevPoints));

        var prevPersonRanks = PreviousRanks(prevPeople);
        var peopleBoard = Leaderboard(people, prevPersonRanks, i => i.CommunityId is { } cid && communityNames.TryGetValue(cid, out var cn) ? cn : null, N);
        var gridBoard = Leaderboard(grids, PreviousRanks(prevGrids), i => i.CommunityId is { } cid && communityNames.TryGetValue(cid, out var cn) ? cn : null, N);

        var reportPeriod = new ReportPeriod(period.Kind == PeriodKind.Week ? ReportPeriodKind.Week : ReportPeriodKind.Month, period.ToString(), period.Year,
            period.Number, period.FirstDay, period.EndDay);
        return new AssessmentReport(N(street.Name ?? "", street.NameZh ?? ""), reportPeriod, clock.ToLocal(clock.Now), zh ? "zh-CN" : "en", headline,
            gridRanking, communityRanking, byCategory, byStep, overdue, escalated,
            new AlarmSummary((int)now.WaterAlarms, (int)before.WaterAlarms, (int)now.CameraAlerts, (int)before.CameraAlerts, water, cameras),
            peopleBoard, gridBoard);
    }

    private static RankingRow Row(AssessmentItemView i, string? community, Func<string, string, string> n)
    {
        var indicators = new Dictionary<ReportIndicator, decimal>();
        foreach (var (key, value) in i.Indicators)
        {
            if (Enum.TryParse<ReportIndicator>(key, ignoreCase: true, out var indicator)) indicators[indicator] = value;
        }

        var tier = i.Tier switch { "redFlag" => ReportTier.RedFlag, "needsAttention" => ReportTier.NeedsAttention, _ => ReportTier.None };
        return new RankingRow(i.Rank, n(i.Name, i.NameZh), community, i.Score, i.Points, tier, i.PreviousRank, i.Movement, indicators);
    }

    private static Dictionary<int, int> PreviousRanks(AssessmentView? view)
    {
        var result = new Dictionary<int, int>();
        var rank = 0;
        foreach (var i in (view?.Items ?? []).OrderByDescending(i => i.Points).ThenBy(i => i.Id))
        {
            rank++;
            result[i.Id] = rank;
        }

        return result;
    }

    /// <summary>Ranked by the points credited in the period (ties share a rank: 1, 2, 2, 4).</summary>
    private static List<LeaderboardRow> Leaderboard(AssessmentView? view, Dictionary<int, int> previous, Func<AssessmentItemView, string?> area,
        Func<string, string, string> n)
    {
        var rows = new List<LeaderboardRow>();
        var ordered = (view?.Items ?? []).OrderByDescending(i => i.Points).ThenBy(i => i.Id).ToList();
        for (var k = 0; k < ordered.Count; k++)
        {
            var i = ordered[k];
            var rank = k > 0 && ordered[k - 1].Points == i.Points ? rows[k - 1].Rank : k + 1;
            rows.Add(new LeaderboardRow(rank, n(i.Name, i.NameZh), area(i), i.Points, previous.TryGetValue(i.Id, out var p) ? p : null));
        }

        return rows;
    }

    private static decimal? MeanIndicator(AssessmentView? view, string key)
    {
        var values = (view?.Items ?? []).Where(i => i.Indicators.ContainsKey(key)).Select(i => i.Indicators[key]).ToList();
        return values.Count == 0 ? null : Math.Round(values.Average(), 4);
    }

    private static LateIncident Late(LateRow r, DateTimeOffset periodEnd, Func<string, string, string> n)
    {
        var until = r.ClosedAt ?? periodEnd;
        var late = until > r.DueAt ? until - r.DueAt : TimeSpan.Zero;
        return new LateIncident(r.Number, r.Title, n(r.Grid, r.GridZh), r.DueAt, late, r.Escalated != 0);
    }

    private static string StepName(int step, bool zh) => step switch
    {
        1 => zh ? "上报" : "Reported",
        2 => zh ? "核实" : "Verified",
        3 => zh ? "派遣" : "Dispatched",
        4 => zh ? "处置" : "Handled",
        5 => zh ? "反馈" : "Feedback given",
        _ => zh ? "结案" : "Closed",
    };

    private static string WaterKind(int kind, bool zh) => kind switch
    {
        1 => zh ? "预警" : "Warning",
        2 => zh ? "报警" : "Alarm",
        _ => zh ? "快速上涨" : "Rate of rise",
    };

    private async Task<Counts> HeadlineAsync(DbConnection c, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var r = await c.QuerySingleAsync<HeadlineRow>(Cmd(ReportSql.Headline, new { From = from, To = to }, ct)).ConfigureAwait(false);
        return new Counts(r.Reported, r.Closed, r.Closed == 0 ? null : Math.Round((decimal)r.ClosedOnTime / r.Closed, 4), r.Escalated, r.Overdue,
            r.SatisfactionCount == 0 ? null : Math.Round((decimal)r.SatisfactionSum / r.SatisfactionCount, 2), r.Visits, r.WaterAlarms, r.CameraAlerts);
    }

    private CommandDefinition Cmd(string sql, object? args, CancellationToken ct) =>
        new(sql, args, commandTimeout: db.CommandTimeout, cancellationToken: ct);

    private sealed record Counts(decimal Reported, decimal Closed, decimal? OnTimeRate, decimal Escalated, decimal Overdue, decimal? Satisfaction,
        decimal Visits, decimal WaterAlarms, decimal CameraAlerts);

    private sealed class HeadlineRow
    {
        public int Reported { get; set; }
        public int Closed { get; set; }
        public int ClosedOnTime { get; set; }
        public int Escalated { get; set; }
        public int Overdue { get; set; }
        public int SatisfactionCount { get; set; }
        public long SatisfactionSum { get; set; }
        public int Visits { get; set; }
        public int WaterAlarms { get; set; }
        public int CameraAlerts { get; set; }
    }

    private sealed class LateRow
    {
        public string Number { get; set; } = "";
        public string Title { get; set; } = "";
        public string Grid { get; set; } = "";
        public string GridZh { get; set; } = "";
        public DateTimeOffset DueAt { get; set; }
        public DateTimeOffset? ClosedAt { get; set; }
        public int Escalated { get; set; }
    }

    private sealed class AlarmRow
    {
        public DateTimeOffset At { get; set; }
        public string Source { get; set; } = "";
        public string SourceZh { get; set; } = "";
        public string Grid { get; set; } = "";
        public string GridZh { get; set; } = "";
        public int Kind { get; set; }
        public string? AlertKind { get; set; }
        public double Value { get; set; }
        public DateTimeOffset? AcknowledgedAt { get; set; }
    }
}
