namespace CommandCenter.Data.Incidents;

/// <summary>
/// The SQL of incident writes. Shared text runs on both engines; a field ending in <c>_Sqlite</c> or
/// <c>_SqlServer</c> is that engine's variant. The test suite parses every non-SQLite field with ScriptDom.
/// </summary>
public static class IncidentSql
{
    private const string ByExternalIdColumns =
        "SELECT Id, Number, Step, ReportedAt, DueAt, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat FROM Incident";

    /// <summary>The incident this caller reported under this external id (unique index UX_Incident_Caller_ExternalId).</summary>
    public const string ByExternalId_Sqlite = ByExternalIdColumns + " WHERE Caller = @Caller AND ExternalId = @ExternalId";

    /// <summary>Locks the key range, so that two concurrent sends of one id store one incident.</summary>
    public const string ByExternalId_SqlServer = ByExternalIdColumns + " WITH (UPDLOCK, HOLDLOCK) WHERE Caller = @Caller AND ExternalId = @ExternalId";

    private const string Columns =
        "(Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, Step, Cycle, ReportedAt, DueAt, UpdatedAt, ExternalId, Caller, " +
        "HolderKind, HolderId, Priority, Building, BuildingUnit, PhotoLinks, ReporterEmail, ReporterDeviceId, ReporterAccountId)";

    private const string Values =
        "(@Number, @Category, @GridId, @Source, @ReporterName, @ReporterPhone, @Title, @Description, @Address, @Lon, @Lat, @Step, @Cycle, @ReportedAt, @DueAt, @UpdatedAt, @ExternalId, @Caller, " +
        "1, @GridId, @Priority, @Building, @BuildingUnit, @PhotoLinks, @ReporterEmail, @ReporterDeviceId, @ReporterAccountId)";

    public const string Insert_Sqlite = "INSERT INTO Incident " + Columns + " VALUES " + Values + " RETURNING Id";

    public const string Insert_SqlServer = "INSERT INTO Incident " + Columns + " OUTPUT INSERTED.Id VALUES " + Values;

    public const string SetNumber = "UPDATE Incident SET Number = @Number WHERE Id = @Id";

    private const string StepLog = "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note)";

    /// <summary>The step-log row's id is the event's sequence (<c>EventStream.Incident</c>).</summary>
    public const string InsertStepLog_Sqlite = StepLog + " VALUES (@IncidentId, @Step, @At, @Actor, @Note) RETURNING Id";

    public const string InsertStepLog_SqlServer = StepLog + " OUTPUT INSERTED.Id VALUES (@IncidentId, @Step, @At, @Actor, @Note)";

    private const string ReportLog = "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note, ActorKind, ActorId, UserId, StaffId, Version)";

    private const string ReportLogValues = " VALUES (@IncidentId, @Step, @At, @Actor, @Note, @ActorKind, @ActorId, @UserId, @StaffId, @Version)";

    /// <summary>
    /// The report's timeline row, with who reported as every later action records it (<c>ActorKind</c>, <c>ActorId</c>,
    /// <c>UserId</c>, <c>StaffId</c>) and the incident's first version; <c>LoopAction</c> stays NULL (the report).
    /// </summary>
    public const string InsertReportLog_Sqlite = ReportLog + ReportLogValues + " RETURNING Id";

    public const string InsertReportLog_SqlServer = ReportLog + " OUTPUT INSERTED.Id" + ReportLogValues;
}
