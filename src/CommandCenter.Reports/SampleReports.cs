using CommandCenter.Domain.Reports;

namespace CommandCenter.Reports;

/// <summary>
/// Made-up reports: a small hand-checked one (the tests' fixture) and one of the demo street's size (≈ 60 grids,
/// 6 communities, a few hundred incidents, 200 people) for the benchmark and the sample pictures.
/// </summary>
public static class SampleReports
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static ReportPeriod Week2026W47 { get; } =
        new(ReportPeriodKind.Week, "2026-W47", 2026, 47, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 23));

    public static ReportPeriod Month2026M11 { get; } =
        new(ReportPeriodKind.Month, "2026-11", 2026, 11, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1));

    /// <summary>Three grids, two communities, a handful of incidents: every figure is checked by hand in the tests.</summary>
    public static AssessmentReport Small(string culture)
    {
        var zh = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        string N(string chinese, string english) => zh ? chinese : english;
        var east = N("东湖社区", "East Lake");
        var west = N("西桥社区", "West Bridge");
        Dictionary<ReportIndicator, decimal> Ind(decimal closure, decimal onTime, decimal escalation, decimal patrol, decimal satisfaction) => new()
        {
            [ReportIndicator.ClosureRate] = closure,
            [ReportIndicator.OnTimeRate] = onTime,
            [ReportIndicator.EscalationRate] = escalation,
            [ReportIndicator.PatrolCoverage] = patrol,
            [ReportIndicator.VisitCoverage] = 0.5m,
            [ReportIndicator.MeanAckMinutes] = 12.5m,
            [ReportIndicator.Satisfaction] = satisfaction,
            [ReportIndicator.PointsPerMember] = 42.5m,
        };

        return new AssessmentReport(
            N("长安街道", "Chang'an Street"),
            Week2026W47,
            new DateTimeOffset(2026, 11, 23, 6, 30, 0, Beijing),
            zh ? "zh-CN" : "en",
            new ReportHeadline(
                IncidentsReported: new Figure(128, 115),
                IncidentsClosed: new Figure(121, 109),
                OnTimeRate: new Figure(0.875m, 0.9m),
                Escalations: new Figure(4, 7),
                Overdue: new Figure(3, 3),
                Satisfaction: new Figure(4.62m, 4.55m),
                PatrolCoverage: new Figure(0.952m, 0.9m),
                Visits: new Figure(356, 340),
                WaterAlarms: new Figure(2, 0),
                CameraAlerts: new Figure(17, 21),
                Points: new Figure(2340, 2100)),
            [
                new RankingRow(1, N("东湖一网格", "East Lake 1"), east, 91.25m, 820, ReportTier.RedFlag, 2, 1, Ind(0.98m, 0.95m, 0.01m, 1m, 4.8m)),
                new RankingRow(2, N("西桥二网格", "West Bridge 2"), west, 78.5m, 640, ReportTier.None, 1, -1, Ind(0.9m, 0.88m, 0.03m, 0.95m, 4.6m)),
                new RankingRow(3, N("东湖三网格", "East Lake 3"), east, 55m, 410, ReportTier.NeedsAttention, null, null, Ind(0.8m, 0.75m, 0.06m, 0.85m, 4.3m)),
            ],
            [
                new RankingRow(1, east, null, 84.4m, 1230, ReportTier.RedFlag, 1, 0, Ind(0.92m, 0.86m, 0.03m, 0.93m, 4.58m)),
                new RankingRow(2, west, null, 71.1m, 1110, ReportTier.NeedsAttention, 2, 0, Ind(0.9m, 0.88m, 0.03m, 0.95m, 4.6m)),
            ],
            [
                new CategoryCount(N("市容环境", "Street scene"), 52, 47),
                new CategoryCount(N("道路设施", "Roads"), 31, 30),
                new CategoryCount(N("安全隐患", "Safety hazard"), 24, 19),
                new CategoryCount(N("噪声扰民", "Noise"), 21, 19),
            ],
            [
                new CycleCount(N("上报", "Reported"), 7),
                new CycleCount(N("派遣", "Dispatched"), 5),
                new CycleCount(N("处置", "Handled"), 9),
                new CycleCount(N("核查", "Checked"), 4),
                new CycleCount(N("结案", "Closed"), 121),
            ],
            [
                new LateIncident("SJ-20261118-0007", N("井盖破损，存在安全隐患", "Broken manhole cover, a hazard"), N("东湖三网格", "East Lake 3"),
                    new DateTimeOffset(2026, 11, 19, 9, 0, 0, Beijing), TimeSpan.FromHours(30.5), true),
                new LateIncident("SJ-20261120-0031", N("路灯不亮, \"夜间\"", "Street light out, \"at night\""), N("西桥二网格", "West Bridge 2"),
                    new DateTimeOffset(2026, 11, 21, 18, 0, 0, Beijing), TimeSpan.FromHours(4.25), false),
            ],
            [
                new LateIncident("SJ-20261118-0007", N("井盖破损，存在安全隐患", "Broken manhole cover, a hazard"), N("东湖三网格", "East Lake 3"),
                    new DateTimeOffset(2026, 11, 19, 9, 0, 0, Beijing), TimeSpan.FromHours(30.5), true),
            ],
            new AlarmSummary(2, 0, 17, 21,
                [new AlarmItem(new DateTimeOffset(2026, 11, 18, 7, 40, 0, Beijing), N("下穿通道水位计", "Underpass gauge"), N("东湖一网格", "East Lake 1"), N("积水深度", "Water depth"), 23.5m, TimeSpan.FromMinutes(6))],
                [new AlarmItem(new DateTimeOffset(2026, 11, 20, 22, 15, 0, Beijing), N("西门摄像机", "West gate camera"), N("西桥二网格", "West Bridge 2"), N("占道经营", "Street vending"), null, null)]),
            [
                new LeaderboardRow(1, N("王芳", "Wang Fang"), N("东湖一网格", "East Lake 1"), 310, 3),
                new LeaderboardRow(2, N("李强", "Li Qiang"), N("西桥二网格", "West Bridge 2"), 275, 1),
            ],
            [
                new LeaderboardRow(1, N("东湖一网格", "East Lake 1"), east, 820, 2),
                new LeaderboardRow(2, N("西桥二网格", "West Bridge 2"), west, 640, 1),
                new LeaderboardRow(3, N("东湖三网格", "East Lake 3"), east, 410, 3),
            ]);
    }

    /// <summary>A week of the demo street's size, made up deterministically from <paramref name="seed"/>.</summary>
    public static AssessmentReport DemoSize(string culture, int seed = 47, int grids = 60, int communities = 6, int incidents = 400, int people = 200, ReportPeriod? period = null)
    {
        period ??= Week2026W47;
        var zh = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var random = new Random(seed);
        var communityNames = Enumerable.Range(1, communities).Select(i => zh ? $"第{i}社区" : $"Community {i}").ToArray();
        Dictionary<ReportIndicator, decimal> Indicators() => Enum.GetValues<ReportIndicator>().ToDictionary(
            i => i,
            i => i switch
            {
                ReportIndicator.MeanAckMinutes => Math.Round((decimal)(random.NextDouble() * 40), 1),
                ReportIndicator.Satisfaction => Math.Round(3.5m + (decimal)random.NextDouble() * 1.5m, 2),
                ReportIndicator.PointsPerMember => Math.Round((decimal)(random.NextDouble() * 80), 1),
                ReportIndicator.EscalationRate => Math.Round((decimal)(random.NextDouble() * 0.1), 4),
                _ => Math.Round(0.6m + ((decimal)random.NextDouble() * 0.4m), 4),
            });

        RankingRow[] Rank(int count, Func<int, string> name, Func<int, string?> community)
        {
            var rows = Enumerable.Range(0, count)
                .Select(i => (Name: name(i), Community: community(i), Score: Math.Round(40m + ((decimal)random.NextDouble() * 60m), 2), Points: random.Next(100, 1500)))
                .OrderByDescending(r => r.Score).ToArray();
            var previous = Enumerable.Range(1, count).OrderBy(_ => random.Next()).ToArray();
            var k = (int)Math.Ceiling(count * 0.1);
            return rows.Select((r, i) => new RankingRow(i + 1, r.Name, r.Community, r.Score, r.Points,
                i < k ? ReportTier.RedFlag : i >= count - k ? ReportTier.NeedsAttention : ReportTier.None,
                previous[i], previous[i] - (i + 1), Indicators())).ToArray();
        }

        string GridName(int i) => zh ? $"{communityNames[i % communities]}{(i / communities) + 1}号网格" : $"{communityNames[i % communities]} grid {(i / communities) + 1}";
        var gridRanking = Rank(grids, GridName, i => communityNames[i % communities]);
        var categories = (zh
                ? new[] { "市容环境", "道路设施", "安全隐患", "噪声扰民", "绿化养护", "违章停车", "占道经营", "垃圾分类", "供水排水", "其他" }
                : ["Street scene", "Roads", "Safety hazard", "Noise", "Greenery", "Parking", "Street vending", "Waste sorting", "Water and drains", "Other"])
            .Select(c => new CategoryCount(c, random.Next(10, 80), random.Next(10, 80))).ToArray();
        var steps = (zh ? new[] { "上报", "派遣", "处置", "核查", "结案" } : ["Reported", "Dispatched", "Handled", "Checked", "Closed"])
            .Select((s, i) => new CycleCount(s, i == 4 ? incidents - 60 : random.Next(5, 25))).ToArray();
        var end = new DateTimeOffset(period.EndDay.ToDateTime(TimeOnly.MinValue), Beijing);
        LateIncident Late(int i, bool escalated) => new(
            $"SJ-202611{16 + (i % 7):00}-{i:0000}",
            zh ? $"第{i}号事件：{categories[i % categories.Length].Category}问题待处理" : $"Incident {i}: {categories[i % categories.Length].Category} to handle",
            GridName(random.Next(grids)),
            end.AddHours(-random.Next(1, 150)),
            TimeSpan.FromMinutes(random.Next(30, 5000)),
            escalated);
        var overdue = Enumerable.Range(1, incidents / 10).Select(i => Late(i, i % 3 == 0)).ToArray();
        var escalatedList = Enumerable.Range(1000, incidents / 20).Select(i => Late(i, true)).ToArray();
        AlarmItem Alarm(int i, bool water) => new(
            end.AddMinutes(-random.Next(60, 10000)),
            water ? (zh ? $"水位计{i:00}" : $"Gauge {i:00}") : (zh ? $"摄像机{i:000}" : $"Camera {i:000}"),
            GridName(random.Next(grids)),
            water ? (zh ? "积水深度(厘米)" : "Depth (cm)") : (zh ? "占道经营" : "Street vending"),
            water ? Math.Round(15m + ((decimal)random.NextDouble() * 30m), 1) : null,
            random.Next(4) == 0 ? null : TimeSpan.FromMinutes(random.Next(1, 90)));
        var peopleRows = Enumerable.Range(0, people)
            .Select(i => (Name: zh ? $"网格员{i + 1:000}" : $"Grid worker {i + 1:000}", Area: GridName(i % grids), Points: random.Next(0, 400)))
            .OrderByDescending(p => p.Points)
            .Select((p, i) => new LeaderboardRow(i + 1, p.Name, p.Area, p.Points, random.Next(1, people + 1)))
            .ToArray();

        return new AssessmentReport(
            zh ? "长安街道" : "Chang'an Street",
            period,
            new DateTimeOffset(period.EndDay.ToDateTime(new TimeOnly(6, 30)), Beijing),
            zh ? "zh-CN" : "en",
            new ReportHeadline(new Figure(incidents, incidents - 23), new Figure(incidents - 60, incidents - 70), new Figure(0.874m, 0.861m),
                new Figure(escalatedList.Length, escalatedList.Length + 3), new Figure(overdue.Length, overdue.Length - 2), new Figure(4.41m, 4.47m),
                new Figure(0.931m, 0.918m), new Figure(1840, 1795), new Figure(9, 4), new Figure(86, 91), new Figure(38450, 36120)),
            gridRanking,
            Rank(communities, i => communityNames[i], _ => null),
            categories,
            steps,
            overdue,
            escalatedList,
            new AlarmSummary(9, 4, 86, 91, Enumerable.Range(1, 9).Select(i => Alarm(i, true)).ToArray(), Enumerable.Range(1, 15).Select(i => Alarm(i, false)).ToArray()),
            peopleRows,
            gridRanking.Select(g => new LeaderboardRow(0, g.Name, g.Community, g.Points, null)).OrderByDescending(g => g.Points)
                .Select((g, i) => g with { Rank = i + 1, PreviousRank = i + 1 + random.Next(-3, 4) is var p && p > 0 ? p : 1 }).ToArray());
    }
}
