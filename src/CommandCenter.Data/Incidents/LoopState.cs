using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;

namespace CommandCenter.Data.Incidents;

/// <summary>An incident's loop columns as Dapper reads them.</summary>
public class LoopStateRow
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public string Category { get; init; } = "";
    public int GridId { get; init; }
    public string Title { get; init; } = "";
    public int Step { get; init; }
    public int Cycle { get; init; }
    public int HolderKind { get; init; }
    public int HolderId { get; init; }
    public long RowVersion { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int Resolution { get; init; }
    public int? RejectReason { get; init; }
    public long? DuplicateOfId { get; init; }
    public int? Satisfaction { get; init; }
    public int ReopenedCount { get; init; }
    public DateTimeOffset? EscalatedForDueAt { get; init; }
    public long? ClosedOnTime { get; init; }
    public int CommunityId { get; init; }

    public IncidentLoopState ToState() => new()
    {
        Id = Id, Category = Category, GridId = GridId, CommunityId = CommunityId, Step = (IncidentStep)Step, Cycle = (IncidentCycle)Cycle,
        Holder = new HoldingUnit((UnitKind)HolderKind, HolderId), Version = RowVersion, ReportedAt = ReportedAt, DueAt = DueAt,
        ClosedAt = ClosedAt, Resolution = (IncidentResolution)Resolution, RejectReason = (RejectReason?)RejectReason, DuplicateOfId = DuplicateOfId,
        Satisfaction = Satisfaction, ReopenedCount = ReopenedCount, EscalatedForDueAt = EscalatedForDueAt,
        ClosedOnTime = ClosedOnTime is null ? null : ClosedOnTime != 0,
    };
}
