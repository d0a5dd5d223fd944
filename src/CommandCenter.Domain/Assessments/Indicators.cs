namespace CommandCenter.Domain.Assessments;

/// <summary>What an assessment ranks: grids, communities, or people (the party-member grade).</summary>
public enum AssessmentKind
{
    Grid = 1,
    Community = 2,
    Person = 3,
}

/// <summary>A stored assessment is provisional while its period runs (or its points are not final), then final.</summary>
public enum AssessmentStatus
{
    Provisional = 1,
    Final = 2,
}

/// <summary>The band an area falls in: top share 红旗 (red flag), bottom share 待改进 (needs attention).</summary>
public enum Tier
{
    None = 0,
    RedFlag = 1,
    NeedsAttention = 2,
}

/// <summary>The indicators of a grid or community for a period.</summary>
public enum Indicator
{
    /// <summary>Incidents reported in the period (not rejected) that were closed before it ended, over those reported.</summary>
    ClosureRate = 1,
    /// <summary>Incidents closed (resolved) in the period that were closed on time, over those closed.</summary>
    OnTimeRate = 2,
    /// <summary>Incidents reported in the period that the deadline job escalated, over those reported. Lower is better.</summary>
    EscalationRate = 3,
    /// <summary>Days of the period (so far) with at least one patrol check-in in the grid, over those days.</summary>
    PatrolCoverage = 4,
    /// <summary>Households visited at least once in the period, over the households of the grid.</summary>
    VisitCoverage = 5,
    /// <summary>Key households visited at least once in the period, over the key households.</summary>
    KeyHouseholdVisits = 6,
    /// <summary>Mean minutes from a camera alert or waterlogging alarm to its acknowledgement. Lower is better.</summary>
    MeanAckMinutes = 7,
    /// <summary>Mean satisfaction (1–5) at check of the incidents closed in the period.</summary>
    Satisfaction = 8,
    /// <summary>Points earned by the area's people in the period, over the people assigned to it.</summary>
    PointsPerMember = 9,
}

public static class Indicators
{
    public static readonly IReadOnlyList<Indicator> All = Enum.GetValues<Indicator>();

    /// <summary>True when a smaller value is the better one (escalations, time to acknowledge).</summary>
    public static bool LowerIsBetter(Indicator indicator) => indicator is Indicator.EscalationRate or Indicator.MeanAckMinutes;

    /// <summary>The camelCase key used in JSON and the API.</summary>
    public static string Key(Indicator indicator) => indicator switch
    {
        Indicator.ClosureRate => "closureRate",
        Indicator.OnTimeRate => "onTimeRate",
        Indicator.EscalationRate => "escalationRate",
        Indicator.PatrolCoverage => "patrolCoverage",
        Indicator.VisitCoverage => "visitCoverage",
        Indicator.KeyHouseholdVisits => "keyHouseholdVisits",
        Indicator.MeanAckMinutes => "meanAckMinutes",
        Indicator.Satisfaction => "satisfaction",
        Indicator.PointsPerMember => "pointsPerMember",
        _ => throw new ArgumentOutOfRangeException(nameof(indicator)),
    };

    public static bool TryParseKey(string key, out Indicator indicator)
    {
        foreach (var i in All)
        {
            if (string.Equals(Key(i), key, StringComparison.OrdinalIgnoreCase))
            {
                indicator = i;
                return true;
            }
        }

        indicator = default;
        return false;
    }
}

/// <summary>
/// The raw counts of one grid for a period, as the SQL reads them. Communities add their grids' counts (never average
/// their rates), so the indicator of a community is the rate over all its incidents, households, days and alerts.
/// </summary>
public sealed record AreaCounts
{
    public int Reported { get; init; }
    public int ClosedOfReported { get; init; }
    public int EscalatedOfReported { get; init; }
    public int Closed { get; init; }
    public int ClosedOnTime { get; init; }
    public int SatisfactionCount { get; init; }
    public int SatisfactionSum { get; init; }
    /// <summary>Grid-days with a patrol check-in (a community adds its grids').</summary>
    public int PatrolDays { get; init; }
    /// <summary>Grid-days that have elapsed in the period (days × grids).</summary>
    public int PeriodDays { get; init; }
    public int Households { get; init; }
    public int HouseholdsVisited { get; init; }
    public int KeyHouseholds { get; init; }
    public int KeyHouseholdsVisited { get; init; }
    public int Acknowledged { get; init; }
    public double AckMinutesSum { get; init; }
    public int Members { get; init; }
    /// <summary>Points earned by the area's people (earner kind person) in the period.</summary>
    public int MemberPoints { get; init; }
    /// <summary>Every point credited to the area in the period (people, the grid, the community), the "points" column.</summary>
    public int Points { get; init; }

    public static AreaCounts operator +(AreaCounts a, AreaCounts b) => new()
    {
        Reported = a.Reported + b.Reported,
        ClosedOfReported = a.ClosedOfReported + b.ClosedOfReported,
        EscalatedOfReported = a.EscalatedOfReported + b.EscalatedOfReported,
        Closed = a.Closed + b.Closed,
        ClosedOnTime = a.ClosedOnTime + b.ClosedOnTime,
        SatisfactionCount = a.SatisfactionCount + b.SatisfactionCount,
        SatisfactionSum = a.SatisfactionSum + b.SatisfactionSum,
        PatrolDays = a.PatrolDays + b.PatrolDays,
        PeriodDays = a.PeriodDays + b.PeriodDays,
        Households = a.Households + b.Households,
        HouseholdsVisited = a.HouseholdsVisited + b.HouseholdsVisited,
        KeyHouseholds = a.KeyHouseholds + b.KeyHouseholds,
        KeyHouseholdsVisited = a.KeyHouseholdsVisited + b.KeyHouseholdsVisited,
        Acknowledged = a.Acknowledged + b.Acknowledged,
        AckMinutesSum = a.AckMinutesSum + b.AckMinutesSum,
        Members = a.Members + b.Members,
        MemberPoints = a.MemberPoints + b.MemberPoints,
        Points = a.Points + b.Points,
    };

    /// <summary>
    /// The indicator values; an indicator with nothing to measure (no incidents, no households, no alerts, no members)
    /// is absent — no data, never 0. Rates are 0–1, rounded to 4 places; minutes and satisfaction to 2.
    /// </summary>
    public IReadOnlyDictionary<Indicator, decimal> Values()
    {
        var v = new SortedDictionary<Indicator, decimal>();
        Rate(v, Indicator.ClosureRate, ClosedOfReported, Reported);
        Rate(v, Indicator.OnTimeRate, ClosedOnTime, Closed);
        Rate(v, Indicator.EscalationRate, EscalatedOfReported, Reported);
        Rate(v, Indicator.PatrolCoverage, PatrolDays, PeriodDays);
        Rate(v, Indicator.VisitCoverage, HouseholdsVisited, Households);
        Rate(v, Indicator.KeyHouseholdVisits, KeyHouseholdsVisited, KeyHouseholds);
        if (Acknowledged > 0) v[Indicator.MeanAckMinutes] = Math.Round((decimal)(AckMinutesSum / Acknowledged), 2);
        if (SatisfactionCount > 0) v[Indicator.Satisfaction] = Math.Round((decimal)SatisfactionSum / SatisfactionCount, 2);
        if (Members > 0) v[Indicator.PointsPerMember] = Math.Round((decimal)MemberPoints / Members, 2);
        return v;
    }

    private static void Rate(SortedDictionary<Indicator, decimal> v, Indicator i, int num, int den)
    {
        if (den > 0) v[i] = Math.Round(Math.Min(1m, (decimal)num / den), 4);
    }
}
