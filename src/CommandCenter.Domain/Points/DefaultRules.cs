namespace CommandCenter.Domain.Points;

/// <summary>
/// The rule set that ships with the app (version 1, in force from the first week), drawn from seeds 000 and 004 and
/// documented rule by rule in <c>docs/scoring.md</c>. Migration 0015 stores the same rules; a test keeps them equal.
/// </summary>
public static class DefaultRules
{
    /// <summary>Version 1 is in force from this week on (any earlier activity is scored with it too).</summary>
    public static readonly Period EffectiveFrom = new(PeriodKind.Week, 2000, 1);

    public static readonly IReadOnlyList<ScoringRule> Rules =
    [
        new("INC_REPORT", "网格员巡查上报事件", "Incident reported by a grid member on patrol", ScoredEvent.IncidentReported, 2, Earner.Person, CapPerPeriod: 20),
        new("INC_VERIFIED", "上报事件经核实立案", "Reported incident verified", ScoredEvent.IncidentVerified, 1, Earner.Grid),
        new("INC_REJECTED", "上报事件被判无效", "Reported incident rejected as invalid", ScoredEvent.IncidentRejectedInvalid, -1, Earner.Person, CapPerPeriod: 10),
        new("INC_ON_TIME", "事件按期办结", "Incident closed on time", ScoredEvent.IncidentClosedOnTime, 3, Earner.Grid),
        new("INC_ON_TIME_COMMUNITY", "辖区事件按期办结", "Incident in the community closed on time", ScoredEvent.IncidentClosedOnTime, 1, Earner.Community),
        new("INC_LATE", "事件超期办结", "Incident closed after its deadline", ScoredEvent.IncidentClosedLate, -2, Earner.Grid),
        new("INC_ESCALATED", "事件超时被自动上报", "Incident escalated by the deadline job", ScoredEvent.IncidentEscalatedByDeadline, -3, Earner.Grid),
        new("CAM_ACK", "视频告警10分钟内确认", "Camera alert acknowledged within 10 minutes", ScoredEvent.CameraAlertAcknowledged, 1, Earner.Grid, Parameter: 10),
        new("WATER_ACK", "积水告警30分钟内响应", "Waterlogging alarm acknowledged within 30 minutes", ScoredEvent.WaterAlarmAcknowledged, 2, Earner.Grid, Parameter: 30),
        new("PATROL", "网格巡查打卡", "Patrol check-in", ScoredEvent.PatrolCheckIn, 1, Earner.Person, CapPerPeriod: 14),
        new("VISIT", "入户走访", "Household visit", ScoredEvent.HouseholdVisit, 1, Earner.Person, CapPerPeriod: 30),
        new("KEY_VISITED", "重点户本周已走访", "Key household visited this week", ScoredEvent.KeyHouseholdVisited, 2, Earner.Person, CapPerPeriod: 20),
        new("KEY_MISSED", "重点户本周未走访", "Key household not visited this week", ScoredEvent.KeyHouseholdMissed, -2, Earner.Grid),
        new("CONTACT_VISIT", "党员走访联系户", "Party member's visit to a contact household", ScoredEvent.ContactVisit, 2, Earner.Person, CapPerPeriod: 10),
        new("VOLUNTEER", "志愿服务（每小时）", "Volunteer service (per hour)", ScoredEvent.VolunteerHours, 2, Earner.Person, CapPerPeriod: 20),
        new("SAT_HIGH", "核查满意度4分及以上", "Satisfaction at check of 4 or more", ScoredEvent.Satisfaction, 1, Earner.Grid, Parameter: 4),
        new("SAT_LOW", "核查满意度2分及以下", "Satisfaction at check of 2 or less", ScoredEvent.Satisfaction, -2, Earner.Grid, Parameter: 2),
    ];

    public static RuleSet Version1 { get; } = new(1, EffectiveFrom, Rules);
}
