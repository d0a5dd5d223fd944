using System.Security.Claims;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Components.Pages.Incidents;

// What the console pages (queue, incident, new incident, field) need from the loop, in the console's own terms (enums,
// not the API's strings). IncidentConsoleService implements it over the Data layer's queue, view and action handler;
// the bUnit tests give the pages a fake, so each page is tested on its own behaviour.

/// <summary>The queue's filters, sort and page as the console holds them.</summary>
public sealed record ConsoleQueueQuery
{
    public IncidentStep? Step { get; init; }
    /// <summary>Steps 1–5 only (ignored when <see cref="Step"/> is set).</summary>
    public bool OpenOnly { get; init; }
    public string? Category { get; init; }
    public int? CommunityId { get; init; }
    public int? GridId { get; init; }
    public HoldingUnit? Unit { get; init; }
    public IncidentCycle? Cycle { get; init; }
    public bool Overdue { get; init; }
    public IncidentSource? Source { get; init; }
    public string? Text { get; init; }
    /// <summary><c>newest</c>, <c>oldest</c> or <c>due</c>.</summary>
    public string Sort { get; init; } = "newest";
    /// <summary>1-based.</summary>
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 25;
    /// <summary>The review's drill-down: incidents reported, or resolved, in a period's instants; escalated ones only.</summary>
    public DateTimeOffset? ReportedFrom { get; init; }
    public DateTimeOffset? ReportedBefore { get; init; }
    public DateTimeOffset? ClosedFrom { get; init; }
    public DateTimeOffset? ClosedBefore { get; init; }
    public bool EscalatedOnly { get; init; }
}

public sealed record ConsoleQueueItem(
    long Id, string Number, string Category, int GridId, string GridName, string GridNameZh, int CommunityId, string Title,
    IncidentStep Step, IncidentCycle Cycle, HoldingUnit Holder, string Priority, IncidentSource Source,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt, DateTimeOffset? ClosedAt, bool Overdue, long Version);

/// <summary>A page of the queue, its total under the filters, and the counts per step under the other filters.</summary>
public sealed record ConsoleQueuePage(IReadOnlyList<ConsoleQueueItem> Items, int Total, IReadOnlyDictionary<IncidentStep, int> CountsByStep,
    int? TextSearchWindow = null);

public sealed record ConsoleTimelineEntry(
    DateTimeOffset At, LoopAction? Action, IncidentStep Step, IncidentStep? FromStep, string Actor, string? Note,
    IncidentCycle? FromCycle, IncidentCycle? ToCycle, HoldingUnit? FromUnit, HoldingUnit? ToUnit, IReadOnlyList<string> PhotoLinks);

/// <summary>An incident with its timeline and the actions the signed-in person may take now.</summary>
public sealed record ConsoleIncident
{
    public required long Id { get; init; }
    public required string Number { get; init; }
    public required string Category { get; init; }
    public required int GridId { get; init; }
    public required string GridName { get; init; }
    public string GridNameZh { get; init; } = "";
    public required int CommunityId { get; init; }
    public required IncidentSource Source { get; init; }
    public string ReporterName { get; init; } = "";
    public string? ReporterPhone { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public string? Building { get; init; }
    public string? BuildingUnit { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    /// <summary><c>Urgent</c>, <c>Normal</c> or <c>Low</c>.</summary>
    public string Priority { get; init; } = "Normal";
    public required IncidentStep Step { get; init; }
    public required IncidentCycle Cycle { get; init; }
    public required HoldingUnit Holder { get; init; }
    public IncidentResolution Resolution { get; init; }
    public RejectReason? RejectReason { get; init; }
    public long? DuplicateOfId { get; init; }
    public int? Satisfaction { get; init; }
    public bool? ClosedOnTime { get; init; }
    public int ReopenedCount { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public bool Overdue { get; init; }
    public long? SourceAlertId { get; init; }
    public long? SourceAlarmId { get; init; }
    public IReadOnlyList<string> PhotoLinks { get; init; } = [];
    public required long Version { get; init; }
    public IReadOnlyList<LoopAction> AllowedActions { get; init; } = [];
    public IReadOnlyList<ConsoleTimelineEntry> Timeline { get; init; } = [];
}

/// <summary>An incident reported by hand (the API's report body, with the loop's place and priority fields).</summary>
public sealed record ConsoleReport
{
    public string? Category { get; init; }
    /// <summary><c>Urgent</c>, <c>Normal</c> or <c>Low</c>.</summary>
    public string? Priority { get; init; }
    public int? GridId { get; init; }
    public string? Building { get; init; }
    public string? BuildingUnit { get; init; }
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public string? Source { get; init; }
    public string? ReporterName { get; init; }
    public string? ReporterPhone { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string?>? PhotoLinks { get; init; }
}

/// <summary>A unit a person can pick (dispatch, escalation to a department) or a filter can name.</summary>
public sealed record ConsoleUnit(HoldingUnit Unit, string Name, string NameZh);

/// <summary>The loop as the console pages use it. Every call is made as <paramref name="user"/>, whose scope the implementation applies.</summary>
public interface IIncidentConsole
{
    Task<ConsoleQueuePage> ListAsync(ConsoleQueueQuery query, ClaimsPrincipal user, CancellationToken ct = default);

    /// <summary>Null when unknown or outside the person's community.</summary>
    Task<ConsoleIncident?> GetAsync(long id, ClaimsPrincipal user, CancellationToken ct = default);

    /// <summary>
    /// Takes the action on the version the person saw. Throws <see cref="CommandCenter.Domain.Validation.ConflictException"/>
    /// (409: moved or not allowed; 412: another version) and <see cref="CommandCenter.Domain.Validation.InputValidationException"/>;
    /// null when the incident is unknown to this person.
    /// </summary>
    Task<ConsoleIncident?> ActAsync(long id, LoopCommand command, long expectedVersion, ClaimsPrincipal user, string? remoteIp, CancellationToken ct = default);

    /// <summary>Reports a new incident by hand; answers its id. Throws <see cref="CommandCenter.Domain.Validation.InputValidationException"/> naming each wrong field.</summary>
    Task<long> ReportAsync(ConsoleReport report, ClaimsPrincipal user, string? remoteIp, CancellationToken ct = default);

    /// <summary>The street's active departments (large cycle).</summary>
    Task<IReadOnlyList<ConsoleUnit>> DepartmentsAsync(CancellationToken ct = default);

    /// <summary>The units the signed-in staff member belongs to (field page); empty when the account has no staff record.</summary>
    Task<IReadOnlyList<ConsoleUnit>> MyUnitsAsync(ClaimsPrincipal user, CancellationToken ct = default);
}
