namespace CommandCenter.Domain.Reports;

/// <summary>
/// Everything one assessment report shows, already computed: the renderers (PDF, XLSX, CSV in CommandCenter.Reports)
/// only lay it out. The pipeline assembles it from the stored assessments of a period. Plain data, no behaviour.
/// </summary>
/// <param name="Street">The street's display name.</param>
/// <param name="Period">The period reported on.</param>
/// <param name="MadeAt">When the report was made (the instant, with the street's offset for display).</param>
/// <param name="Culture">"zh-CN" or "en" — the language of every label.</param>
public sealed record AssessmentReport(
    string Street,
    ReportPeriod Period,
    DateTimeOffset MadeAt,
    string Culture,
    ReportHeadline Headline,
    IReadOnlyList<RankingRow> GridRanking,
    IReadOnlyList<RankingRow> CommunityRanking,
    IReadOnlyList<CategoryCount> IncidentsByCategory,
    IReadOnlyList<CycleCount> IncidentsByCycle,
    IReadOnlyList<LateIncident> OverdueIncidents,
    IReadOnlyList<LateIncident> EscalatedIncidents,
    AlarmSummary Alarms,
    IReadOnlyList<LeaderboardRow> PeopleLeaderboard,
    IReadOnlyList<LeaderboardRow> GridLeaderboard);

public enum ReportPeriodKind
{
    Week = 1,
    Month = 2,
}

/// <summary>A week or month: its code (<c>2026-W47</c>, <c>2026-11</c>), its local first day and the day after it.</summary>
public sealed record ReportPeriod(ReportPeriodKind Kind, string Code, int Year, int Number, DateOnly FirstDay, DateOnly EndDay)
{
    /// <summary>The last local day of the period.</summary>
    public DateOnly LastDay => EndDay.AddDays(-1);
}

/// <summary>A figure of this period and of the one before (null = no data then).</summary>
public readonly record struct Figure(decimal? Value, decimal? Previous)
{
    public decimal? Change => Value is { } v && Previous is { } p ? v - p : null;
}

/// <summary>
/// The headline figures with the previous period's. Rates are fractions 0–1 (0.875 = 87.5 %); satisfaction is the
/// mean 1–5; patrol coverage the fraction of grid-days with a patrol.
/// </summary>
public sealed record ReportHeadline(
    Figure IncidentsReported,
    Figure IncidentsClosed,
    Figure OnTimeRate,
    Figure Escalations,
    Figure Overdue,
    Figure Satisfaction,
    Figure PatrolCoverage,
    Figure Visits,
    Figure WaterAlarms,
    Figure CameraAlerts,
    Figure Points);

public enum ReportTier
{
    None = 0,
    RedFlag = 1,
    NeedsAttention = 2,
}

/// <summary>The indicators a ranking row carries, in this order in every rendering.</summary>
public enum ReportIndicator
{
    ClosureRate = 1,
    OnTimeRate = 2,
    EscalationRate = 3,
    PatrolCoverage = 4,
    VisitCoverage = 5,
    KeyHouseholdVisits = 6,
    MeanAckMinutes = 7,
    Satisfaction = 8,
    PointsPerMember = 9,
}

/// <summary>
/// One ranked grid or community. <see cref="Rank"/> and <see cref="Score"/> are null for an area without data;
/// <see cref="Movement"/> = previous rank − rank (positive = moved up). Indicator values: rates as fractions 0–1,
/// minutes, the 1–5 mean, points; an absent key means no data.
/// </summary>
public sealed record RankingRow(
    int? Rank,
    string Name,
    string? Community,
    decimal? Score,
    int Points,
    ReportTier Tier,
    int? PreviousRank,
    int? Movement,
    IReadOnlyDictionary<ReportIndicator, decimal> Indicators);

/// <summary>Incidents of one category: reported in the period and in the one before.</summary>
public sealed record CategoryCount(string Category, int Count, int PreviousCount);

/// <summary>Incidents in one step of the loop (reported → dispatched → handled → checked → closed) at the period's end.</summary>
public sealed record CycleCount(string Step, int Count);

/// <summary>An overdue or escalated incident: its number, title, grid, due instant and how late (at period end or when closed).</summary>
public sealed record LateIncident(string Number, string Title, string Grid, DateTimeOffset Due, TimeSpan Late, bool Escalated);

/// <summary>Waterlogging alarms and camera alerts of the period, with the most important of each.</summary>
public sealed record AlarmSummary(
    int WaterAlarms,
    int PreviousWaterAlarms,
    int CameraAlerts,
    int PreviousCameraAlerts,
    IReadOnlyList<AlarmItem> TopWaterAlarms,
    IReadOnlyList<AlarmItem> TopCameraAlerts);

/// <summary>One alarm or alert: when, where (point or camera, grid), what (depth in cm / alert type) and how long to acknowledge.</summary>
public sealed record AlarmItem(DateTimeOffset At, string Source, string Grid, string Detail, decimal? Value, TimeSpan? AckAfter);

/// <summary>A row of the points leaderboard (a person or a grid).</summary>
public sealed record LeaderboardRow(int Rank, string Name, string? Area, int Points, int? PreviousRank);
