using CommandCenter.Data.Common;

namespace CommandCenter.Data.Incidents;

/// <summary>The SQL of the loop's actions, settings and the deadline job (parsed by the ScriptDom test).</summary>
public static class IncidentLoopSql
{
    private const string StateColumns =
        "i.Id, i.Number, i.Category, i.GridId, i.Title, i.Step, i.Cycle, i.HolderKind, i.HolderId, i.RowVersion, i.ReportedAt, i.DueAt, i.ClosedAt, " +
        "i.Resolution, i.RejectReason, i.DuplicateOfId, i.Satisfaction, i.ReopenedCount, i.EscalatedForDueAt, i.ClosedOnTime, g.CommunityId " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId ";

    public const string State = "SELECT " + StateColumns + "WHERE i.Id = @Id";

    /// <summary>Optimistic: 0 rows when someone else acted meanwhile (the version moved).</summary>
    public const string Update =
        "UPDATE Incident SET Step = @Step, Cycle = @Cycle, HolderKind = @HolderKind, HolderId = @HolderId, DueAt = @DueAt, ClosedAt = @ClosedAt, " +
        "Resolution = @Resolution, RejectReason = @RejectReason, DuplicateOfId = @DuplicateOfId, Satisfaction = @Satisfaction, " +
        "ClosedOnTime = @ClosedOnTime, ReopenedCount = @ReopenedCount, EscalatedForDueAt = @EscalatedForDueAt, UpdatedAt = @At, " +
        "RowVersion = RowVersion + 1 WHERE Id = @Id AND RowVersion = @RowVersion";

    private const string Timeline =
        "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note, LoopAction, FromStep, FromCycle, ToCycle, FromUnitKind, FromUnitId, " +
        "ToUnitKind, ToUnitId, ActorKind, ActorId, UserId, StaffId, PhotoLinks, Version)";

    private const string TimelineValues =
        " VALUES (@IncidentId, @Step, @At, @Actor, @Note, @LoopAction, @FromStep, @FromCycle, @ToCycle, @FromUnitKind, @FromUnitId, " +
        "@ToUnitKind, @ToUnitId, @ActorKind, @ActorId, @UserId, @StaffId, @PhotoLinks, @Version)";

    /// <summary>The timeline row's id is the live event's sequence.</summary>
    public const string InsertTimeline_Sqlite = Timeline + TimelineValues + " RETURNING Id";

    public const string InsertTimeline_SqlServer = Timeline + " OUTPUT INSERTED.Id" + TimelineValues;

    /// <summary>The incident a duplicate points to: it must exist and be visible to the caller.</summary>
    public const string IncidentCommunity = "SELECT g.CommunityId FROM Incident i JOIN Grid g ON g.Id = i.GridId WHERE i.Id = @Id";

    public const string ActiveDepartment = "SELECT COUNT(*) FROM Department WHERE Id = @Id AND Active = 1";

    public const string CenterDepartment = "SELECT Id FROM Department WHERE Code = 'center'";

    public const string Deadlines = "SELECT Category, Cycle, Hours FROM DeadlineSetting";

    /// <summary>What the deadline job escalates: open before feedback (steps 1–4), below the large cycle, overdue, not yet escalated for this deadline.</summary>
    private const string DueForEscalationWhere =
        "WHERE i.Step < " + SqlEnums.StepFeedbackGiven + " AND i.Cycle < " + SqlEnums.CycleLarge + " AND i.DueAt <= @Now AND (i.EscalatedForDueAt IS NULL OR i.EscalatedForDueAt <> i.DueAt) ORDER BY i.DueAt";

    public const string DueForEscalation_Sqlite = "SELECT " + StateColumns + DueForEscalationWhere + " LIMIT @Top";

    public const string DueForEscalation_SqlServer = "SELECT TOP (@Top) " + StateColumns + DueForEscalationWhere;

    /// <summary>Holder defaults for rows written without one (the demo seeder): the unit of the incident's cycle.</summary>
    public const string FillHolders =
        "UPDATE Incident SET HolderKind = Cycle, HolderId = CASE Cycle WHEN 1 THEN GridId " +
        "WHEN 2 THEN (SELECT g.CommunityId FROM Grid g WHERE g.Id = Incident.GridId) " +
        "ELSE (SELECT d.Id FROM Department d WHERE d.Code = 'center') END WHERE HolderId = 0";

    public const string FillResolutions =
        "UPDATE Incident SET Resolution = " + SqlEnums.ResolutionResolved + ", ClosedOnTime = CASE WHEN ClosedAt <= DueAt THEN 1 ELSE 0 END " +
        "WHERE Step = " + SqlEnums.StepClosed + " AND Resolution = 0";
}
