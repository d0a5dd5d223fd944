namespace CommandCenter.Data.Points;

/// <summary>The SQL of volunteer service, contact visits, redemptions and the leaderboard.</summary>
public static class PointsRecordSql
{
    private const string VolunteerColumns = "(StaffId, GridId, ServedAt, Hours, Place, Note, RecordedAt, RecordedBy)";
    private const string VolunteerValues = "(@StaffId, @GridId, @ServedAt, @Hours, @Place, @Note, @RecordedAt, @RecordedBy)";

    public const string InsertVolunteer_Sqlite = "INSERT INTO VolunteerService " + VolunteerColumns + " VALUES " + VolunteerValues + " RETURNING Id";

    public const string InsertVolunteer_SqlServer = "INSERT INTO VolunteerService " + VolunteerColumns + " OUTPUT INSERTED.Id VALUES " + VolunteerValues;

    private const string ContactColumns = "(StaffId, HouseholdId, VisitedAt, Note, RecordedAt, RecordedBy)";
    private const string ContactValues = "(@StaffId, @HouseholdId, @VisitedAt, @Note, @RecordedAt, @RecordedBy)";

    public const string InsertContact_Sqlite = "INSERT INTO ContactVisit " + ContactColumns + " VALUES " + ContactValues + " RETURNING Id";

    public const string InsertContact_SqlServer = "INSERT INTO ContactVisit " + ContactColumns + " OUTPUT INSERTED.Id VALUES " + ContactValues;

    public const string StaffIsPartyMember = "SELECT IsPartyMember FROM Staff WHERE Id = @Id";

    public const string HouseholdCommunity =
        "SELECT g.CommunityId FROM Household h JOIN Grid g ON g.Id = h.GridId WHERE h.Id = @Id";

    private const string VolunteerList =
        "v.Id, v.StaffId, s.Name AS StaffName, v.GridId, g.CommunityId, v.ServedAt, v.Hours, v.Place, v.Note, v.RecordedAt, v.RecordedBy " +
        "FROM VolunteerService v JOIN Staff s ON s.Id = v.StaffId JOIN Grid g ON g.Id = v.GridId " +
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@StaffId IS NULL OR v.StaffId = @StaffId) ORDER BY v.ServedAt DESC, v.Id DESC";

    public const string Volunteers_Sqlite = "SELECT " + VolunteerList + " LIMIT @Take";

    public const string Volunteers_SqlServer = "SELECT TOP (@Take) " + VolunteerList;

    private const string ContactList =
        "c.Id, c.StaffId, s.Name AS StaffName, c.HouseholdId, h.HeadName, h.GridId, g.CommunityId, c.VisitedAt, c.Note, c.RecordedAt, c.RecordedBy " +
        "FROM ContactVisit c JOIN Staff s ON s.Id = c.StaffId JOIN Household h ON h.Id = c.HouseholdId JOIN Grid g ON g.Id = h.GridId " +
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@StaffId IS NULL OR c.StaffId = @StaffId) ORDER BY c.VisitedAt DESC, c.Id DESC";

    public const string Contacts_Sqlite = "SELECT " + ContactList + " LIMIT @Take";

    public const string Contacts_SqlServer = "SELECT TOP (@Take) " + ContactList;

    // ---- redemptions ----
    public const string Balance_Sqlite = "SELECT COALESCE(SUM(Points), 0) FROM PointsLedger WHERE EarnerKind = 1 AND EarnerId = @StaffId";

    /// <summary>Holds the person's range of the index until commit, so two redemptions at once see each other.</summary>
    public const string Balance_SqlServer = "SELECT COALESCE(SUM(Points), 0) FROM PointsLedger WITH (UPDLOCK, HOLDLOCK) WHERE EarnerKind = 1 AND EarnerId = @StaffId";

    private const string RedeemColumns =
        "(Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt, Reason, EnteredBy)";

    private const string RedeemValues =
        "(2, 1, @StaffId, @StaffId, 'REDEEM', @Points, @Week, @Month, @At, @At, @Reason, @EnteredBy)";

    public const string InsertRedemption_Sqlite = "INSERT INTO PointsLedger " + RedeemColumns + " VALUES " + RedeemValues + " RETURNING Id";

    public const string InsertRedemption_SqlServer = "INSERT INTO PointsLedger " + RedeemColumns + " OUTPUT INSERTED.Id VALUES " + RedeemValues;

    // ---- the leaderboard ----
    private const string ByRule = "SELECT EarnerId, RuleCode, SUM(Points) AS Points FROM PointsLedger WHERE EarnerKind = @EarnerKind AND Kind = 1 " +
                                  "AND (@CommunityId IS NULL OR CommunityId = @CommunityId) AND ";

    public const string ByRuleWeek = ByRule + "Week = @Period GROUP BY EarnerId, RuleCode";

    public const string ByRuleMonth = ByRule + "Month = @Period GROUP BY EarnerId, RuleCode";

    public const string Grids = "SELECT g.Id, g.Name, g.NameZh, g.CommunityId FROM Grid g WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId)";

    public const string Communities = "SELECT c.Id, c.Name, c.NameZh, c.Id AS CommunityId FROM Community c WHERE (@CommunityId IS NULL OR c.Id = @CommunityId)";

    public const string People = "SELECT s.Id, s.Name, s.Name AS NameZh, 0 AS CommunityId FROM Staff s";

    public const string RunsBetween = "SELECT Week, Status, ComputedAt, RuleSetVersion FROM ScoringRun WHERE Week >= @From AND Week <= @To";

    // ---- one person ----
    public const string PersonTotals =
        "SELECT COALESCE(SUM(CASE WHEN Kind = 1 THEN Points ELSE 0 END), 0) AS Earned, COALESCE(SUM(CASE WHEN Kind = 2 THEN -Points ELSE 0 END), 0) AS Redeemed " +
        "FROM PointsLedger WHERE EarnerKind = 1 AND EarnerId = @StaffId";

    private const string PersonRows =
        "Id, Kind, RuleCode, RuleSetVersion, Points, SourceEvent, SourceId, GridId, Week, OccurredAt, Reason, EnteredBy FROM PointsLedger " +
        "WHERE EarnerKind = 1 AND EarnerId = @StaffId ORDER BY OccurredAt DESC, Id DESC";

    public const string PersonLedger_Sqlite = "SELECT " + PersonRows + " LIMIT @Take";

    public const string PersonLedger_SqlServer = "SELECT TOP (@Take) " + PersonRows;

    public const string StaffName = "SELECT Name FROM Staff WHERE Id = @Id";

    /// <summary>Active staff (in the actor's community when scoped) for the console's pickers.</summary>
    public const string StaffOptions =
        "SELECT s.Id, s.Name, s.IsPartyMember, (SELECT MIN(a.GridId) FROM StaffAssignment a WHERE a.StaffId = s.Id) AS GridId FROM Staff s WHERE s.Active = 1 " +
        "AND (@CommunityId IS NULL OR EXISTS (SELECT 1 FROM StaffAssignment a JOIN Grid g ON g.Id = a.GridId WHERE a.StaffId = s.Id AND g.CommunityId = @CommunityId)) " +
        "ORDER BY s.Name, s.Id";

    /// <summary>The households of the grids a staff member is assigned to (their contact households are among them).</summary>
    public const string HouseholdOptions =
        "SELECT h.Id, h.Room, h.HeadName, h.GridId FROM Household h WHERE h.GridId IN (SELECT a.GridId FROM StaffAssignment a WHERE a.StaffId = @StaffId) ORDER BY h.GridId, h.Room, h.Id";
}
