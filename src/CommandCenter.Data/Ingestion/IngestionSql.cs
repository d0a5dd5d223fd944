namespace CommandCenter.Data.Ingestion;

/// <summary>
/// The SQL of ingestion. Shared text runs on both engines; a field ending in <c>_Sqlite</c> or
/// <c>_SqlServer</c> is that engine's variant. The test suite parses every non-SQLite field with ScriptDom.
/// </summary>
public static class IngestionSql
{
    public const string GridCommunity = "SELECT CommunityId FROM Grid WHERE Id = @Id";

    public const string StaffExists = "SELECT COUNT(*) FROM Staff WHERE Id = @Id AND Active = 1";

    public const string IncidentByExternalId =
        "SELECT Id, Number, Step, ReportedAt, DueAt FROM Incident WHERE ExternalId = @ExternalId";

    private const string IncidentColumns =
        "(Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, Step, Cycle, ReportedAt, DueAt, UpdatedAt, ExternalId)";

    private const string IncidentValues =
        "(@Number, @Category, @GridId, @Source, @ReporterName, @ReporterPhone, @Title, @Description, @Address, @Lon, @Lat, @Step, @Cycle, @ReportedAt, @DueAt, @UpdatedAt, @ExternalId)";

    public const string InsertIncident_Sqlite = "INSERT INTO Incident " + IncidentColumns + " VALUES " + IncidentValues + " RETURNING Id";

    public const string InsertIncident_SqlServer = "INSERT INTO Incident " + IncidentColumns + " OUTPUT INSERTED.Id VALUES " + IncidentValues;

    public const string SetIncidentNumber = "UPDATE Incident SET Number = @Number WHERE Id = @Id";

    public const string InsertStepLog =
        "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note) VALUES (@IncidentId, @Step, @At, @Actor, @Note)";

    public const string IncidentForAdvance =
        "SELECT i.Id, i.Number, i.Category, i.GridId, i.Title, i.Step, i.ReportedAt, i.DueAt, i.RowVersion, g.CommunityId FROM Incident i JOIN Grid g ON g.Id = i.GridId WHERE i.Id = @Id";

    public const string AdvanceIncident =
        "UPDATE Incident SET Step = @Step, UpdatedAt = @At, ClosedAt = @ClosedAt, RowVersion = RowVersion + 1 WHERE Id = @Id AND RowVersion = @RowVersion";

    public const string WaterPointsByCode = "SELECT w.Id, w.Code, g.CommunityId FROM WaterPoint w JOIN Grid g ON g.Id = w.GridId";

    public const string InsertReading =
        "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (@WaterPointId, @DepthCm, @MeasuredAt, @ReceivedAt)";

    public const string CameraByCode = "SELECT c.Id, g.CommunityId FROM Camera c JOIN Grid g ON g.Id = c.GridId WHERE c.Code = @Code";

    public const string AlertByExternalId = "SELECT Id FROM CameraAlert WHERE ExternalId = @ExternalId AND CameraId = @CameraId";

    private const string AlertColumns = "(CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, ExternalId)";

    private const string AlertValues = "(@CameraId, @Kind, @Confidence, @OccurredAt, @ReceivedAt, @Status, @ExternalId)";

    public const string InsertAlert_Sqlite = "INSERT INTO CameraAlert " + AlertColumns + " VALUES " + AlertValues + " RETURNING Id";

    public const string InsertAlert_SqlServer = "INSERT INTO CameraAlert " + AlertColumns + " OUTPUT INSERTED.Id VALUES " + AlertValues;

    public const string SetCameraStatus = "UPDATE Camera SET IsOnline = @IsOnline, StatusAt = @At WHERE Id = @Id";

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
