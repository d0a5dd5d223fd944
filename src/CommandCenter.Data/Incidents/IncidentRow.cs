namespace CommandCenter.Data.Incidents;

/// <summary>
/// A row of <c>Incident</c> as Dapper reads it — the one row type of the table: each query selects the columns it
/// needs and leaves the rest at their defaults. <see cref="GridName"/> and <see cref="CommunityId"/> come from the
/// incident's grid when a query joins it.
/// </summary>
public sealed class IncidentRow
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public string Category { get; init; } = "";
    public int GridId { get; init; }
    public int Source { get; init; }
    public string ReporterName { get; init; } = "";
    public string? ReporterPhone { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public int Step { get; init; }
    public int Cycle { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long RowVersion { get; init; }

    /// <summary>Joined from <c>Grid</c>.</summary>
    public string GridName { get; init; } = "";

    /// <summary>Joined from <c>Grid</c>.</summary>
    public int CommunityId { get; init; }
}
