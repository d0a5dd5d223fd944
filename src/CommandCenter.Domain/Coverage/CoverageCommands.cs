namespace CommandCenter.Domain.Coverage;

public sealed record CheckInPatrol
{
    public int? StaffId { get; init; }
    public int? GridId { get; init; }
    public DateTimeOffset? CheckedInAt { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public string? Note { get; init; }
}

public sealed record RecordVisit
{
    public int? StaffId { get; init; }
    public long? HouseholdId { get; init; }
    public DateTimeOffset? VisitedAt { get; init; }
    public string? Note { get; init; }
}

/// <summary>A check-in or visit stored under <see cref="Id"/>.</summary>
public sealed record RecordStored(long Id);
