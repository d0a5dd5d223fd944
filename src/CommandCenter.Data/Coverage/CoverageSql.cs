namespace CommandCenter.Data.Coverage;

/// <summary>The SQL of patrols and visits; <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class CoverageSql
{
    private const string PatrolColumns = "(StaffId, GridId, CheckedInAt, Lon, Lat, Note)";

    private const string PatrolValues = "(@StaffId, @GridId, @CheckedInAt, @Lon, @Lat, @Note)";

    public const string InsertPatrol_Sqlite = "INSERT INTO PatrolCheckIn " + PatrolColumns + " VALUES " + PatrolValues + " RETURNING Id";

    public const string InsertPatrol_SqlServer = "INSERT INTO PatrolCheckIn " + PatrolColumns + " OUTPUT INSERTED.Id VALUES " + PatrolValues;

    public const string HouseholdForVisit = "SELECT h.Id, h.GridId, h.KeyFlags, g.CommunityId FROM Household h JOIN Grid g ON g.Id = h.GridId WHERE h.Id = @Id";

    private const string VisitColumns = "(StaffId, HouseholdId, VisitedAt, Note)";

    private const string VisitValues = "(@StaffId, @HouseholdId, @VisitedAt, @Note)";

    public const string InsertVisit_Sqlite = "INSERT INTO HouseholdVisit " + VisitColumns + " VALUES " + VisitValues + " RETURNING Id";

    public const string InsertVisit_SqlServer = "INSERT INTO HouseholdVisit " + VisitColumns + " OUTPUT INSERTED.Id VALUES " + VisitValues;
}
