namespace CommandCenter.Demo.Street;

/// <summary>
/// The SQL of the demo street seeder. Shared text runs on both engines; a field ending in <c>_Sqlite</c> or
/// <c>_SqlServer</c> is that engine's variant. The test suite parses every non-SQLite field with ScriptDom.
/// </summary>
public static class DemoStreetSql
{
    public const string CountStreets = "SELECT COUNT(*) FROM Street";

    public const string InsertStreet = "INSERT INTO Street (Id, Code, Name, NameZh) VALUES (@Id, @Code, @Name, @NameZh)";

    public const string InsertCommunity =
        "INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (@Id, @StreetId, @Code, @Name, @NameZh)";

    public const string InsertGrid =
        "INSERT INTO Grid (Id, CommunityId, Code, Name, NameZh, Kind, BoundaryGeoJson, CenterLon, CenterLat) " +
        "VALUES (@Id, @CommunityId, @Code, @Name, @NameZh, @Kind, @BoundaryGeoJson, @CenterLon, @CenterLat)";

    public const string InsertBuilding =
        "INSERT INTO Building (Id, GridId, Number, Name, Floors, Lon, Lat) VALUES (@Id, @GridId, @Number, @Name, @Floors, @Lon, @Lat)";

    public const string InsertUnit = "INSERT INTO Unit (Id, BuildingId, Number) VALUES (@Id, @BuildingId, @Number)";

    public const string InsertHousehold =
        "INSERT INTO Household (Id, UnitId, GridId, Room, HeadName, Members, Phone, KeyFlags) " +
        "VALUES (@Id, @UnitId, @GridId, @Room, @HeadName, @Members, @Phone, @KeyFlags)";

    public const string InsertMerchant =
        "INSERT INTO Merchant (Id, GridId, Name, Category, Address, LicenseNo) VALUES (@Id, @GridId, @Name, @Category, @Address, @LicenseNo)";

    public const string InsertStaff =
        "INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (@Id, @Name, @Phone, @IsPartyMember, @Active)";

    public const string InsertStaffAssignment = "INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (@StaffId, @GridId, @Role)";

    public const string InsertCamera =
        "INSERT INTO Camera (Id, Code, Name, NameZh, GridId, Lon, Lat, IsOnline, StatusAt, ExpectedIntervalSeconds) " +
        "VALUES (@Id, @Code, @Name, @NameZh, @GridId, @Lon, @Lat, @IsOnline, @StatusAt, @ExpectedIntervalSeconds)";

    public const string InsertWaterPoint =
        "INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm) " +
        "VALUES (@Id, @Code, @Name, @NameZh, @GridId, @Lon, @Lat, @WarningDepthCm, @AlarmDepthCm)";

    private const string IncidentColumns =
        "(Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, Step, Cycle, ReportedAt, DueAt, ClosedAt, UpdatedAt, RowVersion)";

    private const string IncidentValues =
        "(@Number, @Category, @GridId, @Source, @ReporterName, @ReporterPhone, @Title, @Description, @Address, @Lon, @Lat, @Step, @Cycle, @ReportedAt, @DueAt, @ClosedAt, @UpdatedAt, @RowVersion)";

    public const string InsertIncident_Sqlite = "INSERT INTO Incident " + IncidentColumns + " VALUES " + IncidentValues + " RETURNING Id";

    public const string InsertIncident_SqlServer = "INSERT INTO Incident " + IncidentColumns + " OUTPUT INSERTED.Id VALUES " + IncidentValues;

    public const string SetIncidentNumber = "UPDATE Incident SET Number = @Number WHERE Id = @Id";

    public const string InsertStepLog =
        "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note) VALUES (@IncidentId, @Step, @At, @Actor, @Note)";

    /// <summary>Who acknowledged (<c>AcknowledgedByUserId</c>) is set after the demo accounts exist: <see cref="AttributeAlertAcknowledgements"/>.</summary>
    public const string InsertAlert =
        "INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, IncidentId, AcknowledgedAt, ClosedAt) " +
        "VALUES (@CameraId, @Kind, @Confidence, @OccurredAt, @ReceivedAt, @Status, @IncidentId, @AcknowledgedAt, @ClosedAt)";

    public const string InsertWaterAlarm =
        "INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, ClearedAt, AcknowledgedAt) " +
        "VALUES (@WaterPointId, @Kind, @RaisedAt, @DepthCm, @PeakDepthCm, @ClearedAt, @AcknowledgedAt)";

    /// <summary>The duty operator's account (an active, unscoped Operator or Admin).</summary>
    public const string DutyOperatorId =
        "SELECT Id FROM AppUser WHERE UserName = @UserName AND IsActive = 1 AND CommunityId IS NULL AND Role IN ('Operator', 'Admin')";

    /// <summary>The seeded history's acknowledgements (and dismissals) get their author once the account exists.</summary>
    public const string AttributeAlertAcknowledgements =
        "UPDATE CameraAlert SET AcknowledgedByUserId = @UserId, ClosedByUserId = CASE WHEN ClosedAt IS NULL THEN NULL ELSE @UserId END " +
        "WHERE AcknowledgedAt IS NOT NULL AND AcknowledgedByUserId IS NULL AND OccurredAt <= @SeededAt";

    public const string AttributeWaterAcknowledgements =
        "UPDATE WaterAlarm SET AcknowledgedByUserId = @UserId WHERE AcknowledgedAt IS NOT NULL AND AcknowledgedByUserId IS NULL AND RaisedAt <= @SeededAt";

    public const string InsertReading =
        "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (@WaterPointId, @DepthCm, @MeasuredAt, @ReceivedAt)";

    public const string InsertPatrol =
        "INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt, Lon, Lat, Note) VALUES (@StaffId, @GridId, @CheckedInAt, @Lon, @Lat, @Note)";

    public const string InsertVisit =
        "INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt, Note) VALUES (@StaffId, @HouseholdId, @VisitedAt, @Note)";
}
