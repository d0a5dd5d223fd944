namespace CommandCenter.Data.Points;

/// <summary>
/// The SQL of the points: rule sets, scoring reads per week (each a range of a time index), ledger writes, runs.
/// Enum values are parameters. A constant ending in <c>_Sqlite</c> or <c>_SqlServer</c> is that engine's variant.
/// </summary>
public static class PointsSql
{
    // ---- rule sets ----
    public const string RuleSets = "SELECT Version, EffectiveFrom, CreatedAt, CreatedBy, Note FROM RuleSet ORDER BY Version";

    public const string Rules =
        "SELECT RuleSetVersion, Code, DescriptionZh, DescriptionEn, Event, Points, Earner, CapPerPeriod, Parameter, Enabled " +
        "FROM ScoringRule ORDER BY RuleSetVersion, SortOrder, Code";

    public const string MaxVersion = "SELECT COALESCE(MAX(Version), 0) FROM RuleSet";

    public const string InsertRuleSet =
        "INSERT INTO RuleSet (Version, EffectiveFrom, CreatedAt, CreatedBy, Note) VALUES (@Version, @EffectiveFrom, @CreatedAt, @CreatedBy, @Note)";

    public const string InsertRule =
        "INSERT INTO ScoringRule (RuleSetVersion, Code, DescriptionZh, DescriptionEn, Event, Points, Earner, CapPerPeriod, Parameter, Enabled, SortOrder) " +
        "VALUES (@RuleSetVersion, @Code, @DescriptionZh, @DescriptionEn, @Event, @Points, @Earner, @CapPerPeriod, @Parameter, @Enabled, @SortOrder)";

    // ---- the scorer's lock: one scorer per database at a time (two nodes, or a run and a catch-up) ----
    /// <summary>A write statement first, so the SQLite transaction takes the write lock before it reads.</summary>
    public const string Lock_Sqlite = "DELETE FROM ScoringRun WHERE 1 = 0";

    public const string Lock_SqlServer =
        "EXEC sp_getapplock @Resource = N'CommandCenter.PointsScoring', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 120000";

    // ---- what is recorded, per week [@From, @To) ----
    public const string Reports =
        "SELECT i.Id, i.ReportedAt AS At, i.Caller, i.GridId, g.CommunityId FROM Incident i JOIN Grid g ON g.Id = i.GridId " +
        "WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND i.Source = @GridPatrol";

    /// <summary>Verify, reject, check and escalate rows, with what the incident says now and who gave the last feedback before a check.</summary>
    public const string LoopActions =
        "SELECT l.Id, l.IncidentId, l.LoopAction, l.Step, l.At, l.ActorKind, i.Caller, i.GridId, g.CommunityId, i.RejectReason, i.ClosedOnTime, i.Satisfaction, " +
        "(SELECT f.StaffId FROM IncidentStepLog f WHERE f.Id = (SELECT MAX(f2.Id) FROM IncidentStepLog f2 WHERE f2.IncidentId = l.IncidentId AND f2.LoopAction = @Feedback AND f2.Id < l.Id)) AS FeedbackStaffId " +
        "FROM IncidentStepLog l JOIN Incident i ON i.Id = l.IncidentId JOIN Grid g ON g.Id = i.GridId " +
        "WHERE l.LoopAction IN (@Verify, @Reject, @Check, @Escalate) AND l.At >= @From AND l.At < @To";

    public const string StaffOfCallers =
        "SELECT 'ApiKey:' AS Kind, Id, StaffId FROM ApiKey WHERE StaffId IS NOT NULL UNION ALL SELECT 'User:' AS Kind, Id, StaffId FROM AppUser WHERE StaffId IS NOT NULL";

    public const string CameraAlerts =
        "SELECT a.Id, a.OccurredAt AS At, a.AcknowledgedAt, u.StaffId, c.GridId, g.CommunityId FROM CameraAlert a " +
        "JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId LEFT JOIN AppUser u ON u.Id = a.AcknowledgedByUserId " +
        "WHERE a.OccurredAt >= @From AND a.OccurredAt < @To AND a.AcknowledgedAt IS NOT NULL";

    public const string WaterAlarms =
        "SELECT w.Id, w.RaisedAt AS At, w.AcknowledgedAt, u.StaffId, p.GridId, g.CommunityId FROM WaterAlarm w " +
        "JOIN WaterPoint p ON p.Id = w.WaterPointId JOIN Grid g ON g.Id = p.GridId LEFT JOIN AppUser u ON u.Id = w.AcknowledgedByUserId " +
        "WHERE w.RaisedAt >= @From AND w.RaisedAt < @To AND w.AcknowledgedAt IS NOT NULL";

    public const string CheckIns =
        "SELECT p.Id, p.CheckedInAt AS At, p.StaffId, p.GridId, g.CommunityId FROM PatrolCheckIn p JOIN Grid g ON g.Id = p.GridId " +
        "WHERE p.CheckedInAt >= @From AND p.CheckedInAt < @To";

    public const string Visits =
        "SELECT v.Id, v.VisitedAt AS At, v.StaffId, v.HouseholdId, h.GridId, g.CommunityId FROM HouseholdVisit v " +
        "JOIN Household h ON h.Id = v.HouseholdId JOIN Grid g ON g.Id = h.GridId WHERE v.VisitedAt >= @From AND v.VisitedAt < @To";

    /// <summary>Households visited weekly (empty-nest elderly, severely disabled): the partial index on KeyFlags.</summary>
    public const string WeeklyKeyHouseholds =
        "SELECT h.Id, h.GridId, g.CommunityId FROM Household h JOIN Grid g ON g.Id = h.GridId WHERE h.KeyFlags <> 0 AND (h.KeyFlags & @WeeklyFlags) <> 0";

    public const string ContactVisits =
        "SELECT c.Id, c.VisitedAt AS At, c.StaffId, h.GridId, g.CommunityId FROM ContactVisit c " +
        "JOIN Household h ON h.Id = c.HouseholdId JOIN Grid g ON g.Id = h.GridId WHERE c.VisitedAt >= @From AND c.VisitedAt < @To";

    public const string VolunteerHours =
        "SELECT v.Id, v.ServedAt AS At, v.StaffId, v.GridId, g.CommunityId, v.Hours FROM VolunteerService v JOIN Grid g ON g.Id = v.GridId " +
        "WHERE v.ServedAt >= @From AND v.ServedAt < @To";

    /// <summary>The first instant anything scorable was recorded: each a MIN over a time index.</summary>
    public const string FirstActivity =
        "SELECT MIN(m) FROM (" +
        "SELECT MIN(ReportedAt) AS m FROM Incident UNION ALL SELECT MIN(At) FROM IncidentStepLog UNION ALL SELECT MIN(OccurredAt) FROM CameraAlert " +
        "UNION ALL SELECT MIN(RaisedAt) FROM WaterAlarm UNION ALL SELECT MIN(CheckedInAt) FROM PatrolCheckIn UNION ALL SELECT MIN(VisitedAt) FROM HouseholdVisit " +
        "UNION ALL SELECT MIN(VisitedAt) FROM ContactVisit UNION ALL SELECT MIN(ServedAt) FROM VolunteerService) x";

    // ---- the ledger ----
    public const string EarnedInWeek =
        "SELECT RuleCode, SourceEvent, SourceId, EarnerKind, EarnerId, Points FROM PointsLedger WHERE Week = @Week AND Kind = 1";

    /// <summary>Guarded by the unique index as well: a row already there is not written twice.</summary>
    public const string InsertEarned =
        "INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, GridId, CommunityId, RuleCode, RuleSetVersion, Points, SourceEvent, SourceId, Week, Month, OccurredAt, CreatedAt) " +
        "SELECT 1, @EarnerKind, @EarnerId, @StaffId, @GridId, @CommunityId, @RuleCode, @RuleSetVersion, @Points, @SourceEvent, @SourceId, @Week, @Month, @OccurredAt, @CreatedAt " +
        "WHERE NOT EXISTS (SELECT 1 FROM PointsLedger WHERE Week = @Week AND RuleCode = @RuleCode AND SourceEvent = @SourceEvent AND SourceId = @SourceId " +
        "AND EarnerKind = @EarnerKind AND EarnerId = @EarnerId AND Kind = 1)";

    // ---- runs ----
    public const string Runs = "SELECT Week, RuleSetVersion, Status, ComputedAt, RowsAdded, DurationMs FROM ScoringRun";

    public const string RunStatus = "SELECT Status FROM ScoringRun WHERE Week = @Week";

    public const string LastFinalWeek = "SELECT MAX(Week) FROM ScoringRun WHERE Status = 2";

    public const string UpdateRun =
        "UPDATE ScoringRun SET RuleSetVersion = @RuleSetVersion, Status = @Status, ComputedAt = @ComputedAt, RowsAdded = @RowsAdded, DurationMs = @DurationMs WHERE Week = @Week";

    public const string InsertRun =
        "INSERT INTO ScoringRun (Week, RuleSetVersion, Status, ComputedAt, RowsAdded, DurationMs) VALUES (@Week, @RuleSetVersion, @Status, @ComputedAt, @RowsAdded, @DurationMs)";
}
