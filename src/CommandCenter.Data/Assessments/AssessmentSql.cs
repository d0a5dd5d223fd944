namespace CommandCenter.Data.Assessments;

/// <summary>
/// The SQL of the assessments: set-based counts per grid for a period [@From, @To) (communities add their grids'
/// counts), the stored assessments and the settings versions. <c>_Sqlite</c> / <c>_SqlServer</c> are the engines' variants.
/// </summary>
public static class AssessmentSql
{
    public const string Grids = "SELECT g.Id, g.Name, g.NameZh, g.CommunityId FROM Grid g ORDER BY g.Id";

    public const string Communities = "SELECT c.Id, c.Name, c.NameZh, c.Id AS CommunityId FROM Community c ORDER BY c.Id";

    /// <summary>Incidents reported in the period (not rejected): how many, closed before its end, escalated.</summary>
    public const string Reported =
        "SELECT i.GridId, COUNT(*) AS Reported, " +
        "SUM(CASE WHEN i.Resolution = 1 AND i.ClosedAt IS NOT NULL AND i.ClosedAt < @To THEN 1 ELSE 0 END) AS ClosedOfReported, " +
        "SUM(CASE WHEN i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL THEN 1 ELSE 0 END) AS EscalatedOfReported " +
        "FROM Incident i WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND i.Resolution <> 2 GROUP BY i.GridId";

    /// <summary>Incidents resolved in the period: how many, on time, satisfaction given and its sum.</summary>
    public const string Closed =
        "SELECT i.GridId, COUNT(*) AS Closed, SUM(CASE WHEN i.ClosedOnTime = 1 THEN 1 ELSE 0 END) AS ClosedOnTime, " +
        "COUNT(i.Satisfaction) AS SatisfactionCount, COALESCE(SUM(i.Satisfaction), 0) AS SatisfactionSum " +
        "FROM Incident i WHERE i.ClosedAt >= @From AND i.ClosedAt < @To AND i.Resolution = 1 GROUP BY i.GridId";

    /// <summary>Distinct local days with a patrol check-in (@Shift: the street's UTC offset, '+480 minutes').</summary>
    public const string PatrolDays_Sqlite =
        "SELECT p.GridId, COUNT(DISTINCT date(p.CheckedInAt, @Shift)) AS PatrolDays FROM PatrolCheckIn p " +
        "WHERE p.CheckedInAt >= @From AND p.CheckedInAt < @To GROUP BY p.GridId";

    public const string PatrolDays_SqlServer =
        "SELECT p.GridId, COUNT(DISTINCT CAST(SWITCHOFFSET(p.CheckedInAt, @OffsetMinutes) AS date)) AS PatrolDays FROM PatrolCheckIn p " +
        "WHERE p.CheckedInAt >= @From AND p.CheckedInAt < @To GROUP BY p.GridId";

    /// <summary>Households and key households, and how many of each were visited (household or contact visit) in the period.</summary>
    public const string Households =
        "SELECT h.GridId, COUNT(*) AS Households, SUM(CASE WHEN h.KeyFlags <> 0 THEN 1 ELSE 0 END) AS KeyHouseholds, " +
        "SUM(CASE WHEN v.HouseholdId IS NOT NULL THEN 1 ELSE 0 END) AS HouseholdsVisited, " +
        "SUM(CASE WHEN v.HouseholdId IS NOT NULL AND h.KeyFlags <> 0 THEN 1 ELSE 0 END) AS KeyHouseholdsVisited " +
        "FROM Household h LEFT JOIN (" +
        "SELECT hv.HouseholdId FROM HouseholdVisit hv WHERE hv.VisitedAt >= @From AND hv.VisitedAt < @To " +
        "UNION SELECT cv.HouseholdId FROM ContactVisit cv WHERE cv.VisitedAt >= @From AND cv.VisitedAt < @To" +
        ") v ON v.HouseholdId = h.Id GROUP BY h.GridId";

    /// <summary>Camera alerts and waterlogging alarms of the period that were acknowledged: how many, minutes to acknowledge.</summary>
    public const string Acks_Sqlite =
        "SELECT a.GridId, COUNT(*) AS Acknowledged, SUM(a.Minutes) AS AckMinutesSum FROM (" +
        "SELECT c.GridId, (julianday(ca.AcknowledgedAt) - julianday(ca.OccurredAt)) * 1440.0 AS Minutes FROM CameraAlert ca JOIN Camera c ON c.Id = ca.CameraId " +
        "WHERE ca.OccurredAt >= @From AND ca.OccurredAt < @To AND ca.AcknowledgedAt IS NOT NULL " +
        "UNION ALL SELECT w.GridId, (julianday(wa.AcknowledgedAt) - julianday(wa.RaisedAt)) * 1440.0 FROM WaterAlarm wa JOIN WaterPoint w ON w.Id = wa.WaterPointId " +
        "WHERE wa.RaisedAt >= @From AND wa.RaisedAt < @To AND wa.AcknowledgedAt IS NOT NULL) a GROUP BY a.GridId";

    public const string Acks_SqlServer =
        "SELECT a.GridId, COUNT(*) AS Acknowledged, SUM(a.Minutes) AS AckMinutesSum FROM (" +
        "SELECT c.GridId, DATEDIFF_BIG(SECOND, ca.OccurredAt, ca.AcknowledgedAt) / 60.0 AS Minutes FROM CameraAlert ca JOIN Camera c ON c.Id = ca.CameraId " +
        "WHERE ca.OccurredAt >= @From AND ca.OccurredAt < @To AND ca.AcknowledgedAt IS NOT NULL " +
        "UNION ALL SELECT w.GridId, DATEDIFF_BIG(SECOND, wa.RaisedAt, wa.AcknowledgedAt) / 60.0 FROM WaterAlarm wa JOIN WaterPoint w ON w.Id = wa.WaterPointId " +
        "WHERE wa.RaisedAt >= @From AND wa.RaisedAt < @To AND wa.AcknowledgedAt IS NOT NULL) a GROUP BY a.GridId";

    /// <summary>Active staff assigned to each grid.</summary>
    public const string Members =
        "SELECT sa.GridId, COUNT(DISTINCT sa.StaffId) AS Members FROM StaffAssignment sa JOIN Staff s ON s.Id = sa.StaffId WHERE s.Active = 1 GROUP BY sa.GridId";

    /// <summary>Points earned in the week per grid: by people, and all of it.</summary>
    public const string GridPointsWeek =
        "SELECT l.GridId, SUM(CASE WHEN l.EarnerKind = 1 THEN l.Points ELSE 0 END) AS MemberPoints, SUM(l.Points) AS Points " +
        "FROM PointsLedger l WHERE l.Kind = 1 AND l.Week = @Period AND l.GridId IS NOT NULL GROUP BY l.GridId";

    public const string GridPointsMonth =
        "SELECT l.GridId, SUM(CASE WHEN l.EarnerKind = 1 THEN l.Points ELSE 0 END) AS MemberPoints, SUM(l.Points) AS Points " +
        "FROM PointsLedger l WHERE l.Kind = 1 AND l.Month = @Period AND l.GridId IS NOT NULL GROUP BY l.GridId";

    /// <summary>Every point earned in the period per community (grids', people's and the community's own).</summary>
    public const string CommunityPointsWeek =
        "SELECT l.CommunityId AS Id, SUM(l.Points) AS Points FROM PointsLedger l WHERE l.Kind = 1 AND l.Week = @Period AND l.CommunityId IS NOT NULL GROUP BY l.CommunityId";

    public const string CommunityPointsMonth =
        "SELECT l.CommunityId AS Id, SUM(l.Points) AS Points FROM PointsLedger l WHERE l.Kind = 1 AND l.Month = @Period AND l.CommunityId IS NOT NULL GROUP BY l.CommunityId";

    /// <summary>Active party members with the community of their first assignment.</summary>
    public const string PartyMembers =
        "SELECT s.Id, s.Name, s.Name AS NameZh, (SELECT MIN(g.CommunityId) FROM StaffAssignment sa JOIN Grid g ON g.Id = sa.GridId WHERE sa.StaffId = s.Id) AS CommunityId " +
        "FROM Staff s WHERE s.IsPartyMember = 1 AND s.Active = 1 ORDER BY s.Id";

    /// <summary>People's earned points per rule for the weeks [@From, @To] (year so far).</summary>
    public const string PersonRulesWeeks =
        "SELECT l.EarnerId AS StaffId, l.RuleCode, SUM(l.Points) AS Points FROM PointsLedger l " +
        "WHERE l.Kind = 1 AND l.EarnerKind = 1 AND l.Week >= @From AND l.Week <= @To GROUP BY l.EarnerId, l.RuleCode";

    public const string PersonRulesMonths =
        "SELECT l.EarnerId AS StaffId, l.RuleCode, SUM(l.Points) AS Points FROM PointsLedger l " +
        "WHERE l.Kind = 1 AND l.EarnerKind = 1 AND l.Month >= @From AND l.Month <= @To GROUP BY l.EarnerId, l.RuleCode";

    public const string PersonPointsWeek =
        "SELECT l.EarnerId AS Id, SUM(l.Points) AS Points FROM PointsLedger l WHERE l.Kind = 1 AND l.EarnerKind = 1 AND l.Week = @Period GROUP BY l.EarnerId";

    public const string PersonPointsMonth =
        "SELECT l.EarnerId AS Id, SUM(l.Points) AS Points FROM PointsLedger l WHERE l.Kind = 1 AND l.EarnerKind = 1 AND l.Month = @Period GROUP BY l.EarnerId";

    /// <summary>The scoring runs of the weeks [@From, @To].</summary>
    public const string Runs = "SELECT r.Week, r.RuleSetVersion, r.Status FROM ScoringRun r WHERE r.Week >= @From AND r.Week <= @To";

    /// <summary>Serialises the assessment writers (SQLite has one writer already; this takes the write lock at once).</summary>
    public const string Lock_Sqlite = "DELETE FROM Assessment WHERE 1 = 0";

    public const string Lock_SqlServer =
        "EXEC sp_getapplock @Resource = N'CommandCenter.Assessments', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 120000";

    public const string Header =
        "SELECT a.Id, a.Kind, a.Period, a.Status, a.ComputedAt, a.RuleSetVersions, a.WeightsVersion, a.SettingsJson FROM Assessment a WHERE a.Kind = @Kind AND a.Period = @Period";

    public const string Items =
        "SELECT i.ItemId, i.Name, i.NameZh, i.CommunityId, i.Rank, i.Score, i.Points, i.IndicatorsJson, i.PreviousRank, i.Movement, i.Tier, i.Grade " +
        "FROM AssessmentItem i WHERE i.AssessmentId = @Id ORDER BY CASE WHEN i.Rank IS NULL THEN 1 ELSE 0 END, i.Rank, i.ItemId";

    public const string ItemsInCommunity =
        "SELECT i.ItemId, i.Name, i.NameZh, i.CommunityId, i.Rank, i.Score, i.Points, i.IndicatorsJson, i.PreviousRank, i.Movement, i.Tier, i.Grade " +
        "FROM AssessmentItem i WHERE i.AssessmentId = @Id AND i.CommunityId = @CommunityId ORDER BY CASE WHEN i.Rank IS NULL THEN 1 ELSE 0 END, i.Rank, i.ItemId";

    public const string PreviousRanks =
        "SELECT i.ItemId, i.Rank FROM AssessmentItem i JOIN Assessment a ON a.Id = i.AssessmentId WHERE a.Kind = @Kind AND a.Period = @Period AND i.Rank IS NOT NULL";

    public const string InsertHeader_Sqlite =
        "INSERT INTO Assessment (Kind, Period, Status, ComputedAt, RuleSetVersions, WeightsVersion, SettingsJson) " +
        "VALUES (@Kind, @Period, @Status, @ComputedAt, @RuleSetVersions, @WeightsVersion, @SettingsJson) RETURNING Id";

    public const string InsertHeader_SqlServer =
        "INSERT INTO Assessment (Kind, Period, Status, ComputedAt, RuleSetVersions, WeightsVersion, SettingsJson) OUTPUT INSERTED.Id " +
        "VALUES (@Kind, @Period, @Status, @ComputedAt, @RuleSetVersions, @WeightsVersion, @SettingsJson)";

    public const string UpdateHeader =
        "UPDATE Assessment SET Status = @Status, ComputedAt = @ComputedAt, RuleSetVersions = @RuleSetVersions, WeightsVersion = @WeightsVersion, " +
        "SettingsJson = @SettingsJson WHERE Id = @Id AND Status = 1";

    public const string HeaderId = "SELECT a.Id FROM Assessment a WHERE a.Kind = @Kind AND a.Period = @Period";

    public const string DeleteItems = "DELETE FROM AssessmentItem WHERE AssessmentId = @Id";

    public const string InsertItem =
        "INSERT INTO AssessmentItem (AssessmentId, ItemId, Name, NameZh, CommunityId, Rank, Score, Points, IndicatorsJson, PreviousRank, Movement, Tier, Grade) " +
        "VALUES (@AssessmentId, @ItemId, @Name, @NameZh, @CommunityId, @Rank, @Score, @Points, @IndicatorsJson, @PreviousRank, @Movement, @Tier, @Grade)";

    public const string LatestFinal = "SELECT MAX(a.Period) FROM Assessment a WHERE a.Kind = @Kind AND a.Status = 2 AND a.Period LIKE @Pattern";

    public const string LatestSettings =
        "SELECT w.Version, w.SettingsJson, w.CreatedAt, w.CreatedBy, w.Note FROM AssessmentWeights w WHERE w.Version = (SELECT MAX(x.Version) FROM AssessmentWeights x)";

    public const string SettingsVersions = "SELECT w.Version, w.SettingsJson, w.CreatedAt, w.CreatedBy, w.Note FROM AssessmentWeights w ORDER BY w.Version DESC";

    public const string NextSettingsVersion = "SELECT COALESCE(MAX(w.Version), 0) + 1 FROM AssessmentWeights w";

    public const string InsertSettings =
        "INSERT INTO AssessmentWeights (Version, SettingsJson, CreatedAt, CreatedBy, Note) VALUES (@Version, @SettingsJson, @CreatedAt, @CreatedBy, @Note)";
}
