using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Incidents;

// The six-step closed loop (seed 002, issue 9): the actions, who may take them, and what each does to the incident.
// Pure: no clock (the caller passes `now`), no storage. The handler in Data loads the state, calls Apply, writes the
// result and its timeline row in one transaction. The mapping of actions onto the steps is in docs/architecture.md.

/// <summary>The actions of the loop, and only these.</summary>
public enum LoopAction
{
    Verify = 1,
    Reject = 2,
    Dispatch = 3,
    Accept = 4,
    Feedback = 5,
    Check = 6,
    Escalate = 7,
    Reopen = 8,
}

/// <summary>The kind of unit that holds an incident; each cycle has its own (micro → grid, small → community, large → department).</summary>
public enum UnitKind
{
    Grid = 1,
    Community = 2,
    Department = 3,
}

/// <summary>How a closed incident ended.</summary>
public enum IncidentResolution
{
    /// <summary>Still open.</summary>
    None = 0,
    /// <summary>Checked and closed (核查结案).</summary>
    Resolved = 1,
    /// <summary>Rejected as invalid or a duplicate.</summary>
    Rejected = 2,
}

public enum RejectReason
{
    Invalid = 1,
    Duplicate = 2,
}

/// <summary>The unit that holds an incident: a grid (its members), a community, or a street department.</summary>
public readonly record struct HoldingUnit(UnitKind Kind, int Id)
{
    public static HoldingUnit Grid(int id) => new(UnitKind.Grid, id);
    public static HoldingUnit Community(int id) => new(UnitKind.Community, id);
    public static HoldingUnit Department(int id) => new(UnitKind.Department, id);

    /// <summary>The kind of unit that works in <paramref name="cycle"/>.</summary>
    public static UnitKind KindFor(IncidentCycle cycle) => cycle switch
    {
        IncidentCycle.Micro => UnitKind.Grid,
        IncidentCycle.Small => UnitKind.Community,
        _ => UnitKind.Department,
    };

    public override string ToString() => $"{Kind}:{Id}";
}

/// <summary>What the loop needs to know of an incident.</summary>
public sealed record IncidentLoopState
{
    public required long Id { get; init; }
    public required string Category { get; init; }
    public required int GridId { get; init; }
    public required int CommunityId { get; init; }
    public required IncidentStep Step { get; init; }
    public required IncidentCycle Cycle { get; init; }
    public required HoldingUnit Holder { get; init; }
    /// <summary>The incident's version (<c>RowVersion</c>): rises by one per action; the ETag of the API.</summary>
    public required long Version { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public IncidentResolution Resolution { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public RejectReason? RejectReason { get; init; }
    public long? DuplicateOfId { get; init; }
    public int? Satisfaction { get; init; }
    public int ReopenedCount { get; init; }
    /// <summary>The deadline the last escalation was for: the job escalates once per breach.</summary>
    public DateTimeOffset? EscalatedForDueAt { get; init; }
    /// <summary>Whether the incident was closed no later than its deadline (null while open or when rejected).</summary>
    public bool? ClosedOnTime { get; init; }

    /// <summary>A new incident as reported: micro cycle, held by its grid.</summary>
    public static IncidentLoopState Reported(long id, string category, int gridId, int communityId, DateTimeOffset reportedAt, DateTimeOffset dueAt) => new()
    {
        Id = id, Category = category, GridId = gridId, CommunityId = communityId, Step = IncidentStep.Reported,
        Cycle = IncidentCycle.Micro, Holder = HoldingUnit.Grid(gridId), Version = 1, ReportedAt = reportedAt, DueAt = dueAt,
    };

    public bool IsOpen => Step != IncidentStep.Closed;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && DueAt < now;
}

/// <summary>Who acts, as the loop sees it.</summary>
public enum LoopRole
{
    /// <summary>Leaders, viewers, wall screens: may read, never act.</summary>
    ReadOnly = 0,
    /// <summary>An operator of the command center (or an integration's key with <c>incidents:write</c>).</summary>
    Operator = 1,
    Admin = 2,
    /// <summary>A grid member or department staff: accepts and gives feedback on what their unit holds.</summary>
    Field = 3,
    /// <summary>The deadline job, the simulator.</summary>
    System = 4,
}

/// <summary>
/// The caller of an action: its role, the community it is scoped to (operators), and for field staff the units they
/// belong to (grids, departments).
/// </summary>
public sealed record LoopCaller(LoopRole Role, int? CommunityId = null, IReadOnlyCollection<HoldingUnit>? Units = null)
{
    public static readonly LoopCaller System = new(LoopRole.System);
    public static readonly LoopCaller ReadOnly = new(LoopRole.ReadOnly);

    /// <summary>The caller for an <see cref="Actor"/>: people by role, keys as operators, devices read-only, the system as itself.</summary>
    public static LoopCaller For(Actor actor, string? role)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Kind switch
        {
            ActorKind.System => System,
            ActorKind.Device => ReadOnly,
            ActorKind.ApiKey => new LoopCaller(LoopRole.Operator, actor.CommunityId),
            _ => role switch
            {
                Roles.Admin => new LoopCaller(LoopRole.Admin),
                Roles.Operator => new LoopCaller(LoopRole.Operator, actor.CommunityId),
                _ => new LoopCaller(LoopRole.ReadOnly, actor.CommunityId),
            },
        };
    }
}

/// <summary>Deadline hours per category and cycle (the settings table), with the defaults every installation starts from.</summary>
public sealed class DeadlineTable
{
    private readonly Dictionary<(string Category, IncidentCycle Cycle), int> _hours;

    public DeadlineTable(IEnumerable<(string Category, IncidentCycle Cycle, int Hours)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _hours = [];
        foreach (var (category, cycle, hours) in rows)
        {
            if (hours > 0) _hours[(category, cycle)] = hours;
        }
    }

    /// <summary>The default hours: the category's micro-cycle hours in the micro and small cycles, twice that in the large cycle.</summary>
    public static int DefaultHours(string category, IncidentCycle cycle)
    {
        var micro = IncidentCategories.All.FirstOrDefault(c => c.Entry.Code == category).DeadlineHours;
        if (micro <= 0) micro = 48;
        return cycle == IncidentCycle.Large ? micro * 2 : micro;
    }

    /// <summary>Every category × cycle with its default hours (seeded by migration 0008).</summary>
    public static IEnumerable<(string Category, IncidentCycle Cycle, int Hours)> Defaults() =>
        from c in IncidentCategories.All
        from cycle in Enum.GetValues<IncidentCycle>()
        select (c.Entry.Code, cycle, DefaultHours(c.Entry.Code, cycle));

    public static readonly DeadlineTable Default = new(Defaults());

    public int Hours(string category, IncidentCycle cycle) =>
        _hours.TryGetValue((category, cycle), out var h) ? h : DefaultHours(category, cycle);

    public DateTimeOffset DueAt(string category, IncidentCycle cycle, DateTimeOffset from) => from.AddHours(Hours(category, cycle));
}

/// <summary>The settings the loop reads: deadlines, how long a closed incident may be reopened, the street center's department.</summary>
public sealed record LoopSettings(DeadlineTable Deadlines, TimeSpan ReopenWindow, int CenterDepartmentId)
{
    public static readonly TimeSpan DefaultReopenWindow = TimeSpan.FromDays(7);
}

/// <summary>A row of the timeline: what one action did.</summary>
public sealed record LoopTimelineEntry(
    LoopAction Action, DateTimeOffset At,
    IncidentStep FromStep, IncidentStep ToStep,
    IncidentCycle FromCycle, IncidentCycle ToCycle,
    HoldingUnit FromUnit, HoldingUnit ToUnit,
    string? Note, IReadOnlyList<string> PhotoLinks);

/// <summary>The result of an action: the incident as it now is and the timeline row that records it.</summary>
public sealed record LoopTransition(IncidentLoopState Before, IncidentLoopState After, LoopTimelineEntry Entry);

/// <summary>The rules of the loop.</summary>
public static class IncidentLoop
{
    /// <summary>The actions each step allows, before looking at the caller.</summary>
    private static IEnumerable<LoopAction> ByStep(IncidentLoopState s, DateTimeOffset now, LoopSettings settings)
    {
        var canEscalate = s.Cycle < IncidentCycle.Large;
        switch (s.Step)
        {
            case IncidentStep.Reported:
                yield return LoopAction.Verify;
                yield return LoopAction.Reject;
                if (canEscalate) yield return LoopAction.Escalate;
                break;
            case IncidentStep.Verified:
                yield return LoopAction.Dispatch;
                yield return LoopAction.Reject;
                if (canEscalate) yield return LoopAction.Escalate;
                break;
            case IncidentStep.Dispatched:
                yield return LoopAction.Accept;
                if (canEscalate) yield return LoopAction.Escalate;
                break;
            case IncidentStep.Processed:
                yield return LoopAction.Feedback;
                if (canEscalate) yield return LoopAction.Escalate;
                break;
            case IncidentStep.FeedbackGiven:
                yield return LoopAction.Check;
                break;
            case IncidentStep.Closed:
                if (s.ClosedAt is { } closed && now - closed <= settings.ReopenWindow) yield return LoopAction.Reopen;
                break;
        }
    }

    /// <summary>Whether the caller's role and scope allow this action on this incident (whatever its step).</summary>
    public static bool RoleAllows(IncidentLoopState s, LoopCaller caller, LoopAction action)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(caller);
        switch (caller.Role)
        {
            case LoopRole.System:
            case LoopRole.Admin:
                return caller.CommunityId is null || caller.CommunityId == s.CommunityId;
            case LoopRole.Operator:
                if (caller.CommunityId is null) return true;
                // A community's operator works its community's micro and small cycles; the large cycle is the street center's.
                return caller.CommunityId == s.CommunityId && s.Cycle != IncidentCycle.Large;
            case LoopRole.Field:
                return action is LoopAction.Accept or LoopAction.Feedback && caller.Units is { } units && units.Contains(s.Holder);
            default:
                return false;
        }
    }

    /// <summary>The actions this caller may take on the incident now, in loop order.</summary>
    public static IReadOnlyList<LoopAction> AllowedActions(IncidentLoopState state, LoopCaller caller, DateTimeOffset now, LoopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(settings);
        return ByStep(state, now, settings).Where(a => RoleAllows(state, caller, a)).Order().ToList();
    }

    /// <summary>
    /// Applies <paramref name="command"/> to <paramref name="state"/>. Throws <see cref="ConflictException"/> with status
    /// 412 when <paramref name="expectedVersion"/> is not the current version, 409 when the command's
    /// <see cref="LoopCommand.FromStep"/> is not the current step or the action is not allowed here for this caller
    /// (the problem lists <c>allowedActions</c> and the current state); <see cref="InputValidationException"/> for a
    /// body that contradicts the incident (a unit of the wrong kind, a duplicate of itself).
    /// </summary>
    public static LoopTransition Apply(IncidentLoopState state, LoopCommand command, LoopCaller caller, long? expectedVersion, DateTimeOffset now, LoopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(settings);
        var allowed = AllowedActions(state, caller, now, settings);
        if (expectedVersion is { } v && v != state.Version)
        {
            throw Conflict(state, allowed, 412, "version",
                $"The incident is at version {state.Version}, not {v}: someone acted on it meanwhile. Reload it and decide again.");
        }

        if (command.FromStep != state.Step)
        {
            throw Conflict(state, allowed, 409, "fromStep",
                $"The incident is at step {state.Step}, not {command.FromStep}: someone moved it meanwhile. Nothing was done.");
        }

        if (!allowed.Contains(command.Action))
        {
            var why = ByStep(state, now, settings).Contains(command.Action)
                ? "you may not take it on this incident"
                : state.Step == IncidentStep.Closed && command.Action == LoopAction.Reopen
                    ? "the reopen window has passed"
                    : $"it is not an action of step {state.Step}" + (command.Action == LoopAction.Escalate && state.Cycle == IncidentCycle.Large ? " in the large cycle" : "");
            throw Conflict(state, allowed, 409, "action",
                $"'{Name(command.Action)}' is not allowed here ({why}); allowed: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed.Select(Name)))}.");
        }

        var next = command switch
        {
            VerifyCommand => state with { Step = IncidentStep.Verified },
            RejectCommand r => Reject(state, r, now),
            DispatchCommand d => Dispatch(state, d, now, settings),
            AcceptCommand => state with { Step = IncidentStep.Processed },
            FeedbackCommand => state with { Step = IncidentStep.FeedbackGiven },
            CheckCommand c => c.Pass
                ? state with
                {
                    Step = IncidentStep.Closed, Resolution = IncidentResolution.Resolved, ClosedAt = now, Satisfaction = c.Satisfaction,
                    ClosedOnTime = now <= state.DueAt,
                }
                : state with { Step = IncidentStep.Processed },
            EscalateCommand e => Escalate(state, e, now, settings),
            ReopenCommand => state with
            {
                Step = state.Resolution == IncidentResolution.Rejected ? IncidentStep.Reported : IncidentStep.Verified,
                Resolution = IncidentResolution.None, ClosedAt = null, ClosedOnTime = null, Satisfaction = null, RejectReason = null,
                DuplicateOfId = null, ReopenedCount = state.ReopenedCount + 1,
                DueAt = settings.Deadlines.DueAt(state.Category, state.Cycle, now),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown loop command."),
        };
        next = next with { Version = state.Version + 1 };
        var entry = new LoopTimelineEntry(command.Action, now, state.Step, next.Step, state.Cycle, next.Cycle, state.Holder, next.Holder,
            command.TimelineNote, command is FeedbackCommand f ? f.PhotoLinks : []);
        return new LoopTransition(state, next, entry);
    }

    private static IncidentLoopState Reject(IncidentLoopState s, RejectCommand r, DateTimeOffset now)
    {
        if (r.Reason == RejectReason.Duplicate && r.DuplicateOfId == s.Id)
        {
            throw InputValidationException.For("duplicateOfId", "An incident cannot be a duplicate of itself.");
        }

        return s with
        {
            Step = IncidentStep.Closed, Resolution = IncidentResolution.Rejected, ClosedAt = now, RejectReason = r.Reason,
            DuplicateOfId = r.Reason == RejectReason.Duplicate ? r.DuplicateOfId : null, ClosedOnTime = null,
        };
    }

    private static IncidentLoopState Dispatch(IncidentLoopState s, DispatchCommand d, DateTimeOffset now, LoopSettings settings)
    {
        var unit = d.Unit ?? DefaultUnit(s, s.Cycle, settings);
        var kind = HoldingUnit.KindFor(s.Cycle);
        if (unit.Kind != kind)
        {
            throw InputValidationException.For("unitKind",
                $"In the {s.Cycle} cycle an incident is dispatched to a {kind}, not a {unit.Kind}; escalate it to reach another cycle.");
        }

        if (unit.Kind == UnitKind.Grid && unit.Id != s.GridId)
        {
            throw InputValidationException.For("unitId", $"In the micro cycle the incident's own grid ({s.GridId}) handles it.");
        }

        if (unit.Kind == UnitKind.Community && unit.Id != s.CommunityId)
        {
            throw InputValidationException.For("unitId", $"In the small cycle the incident's own community ({s.CommunityId}) handles it.");
        }

        if (d.DueAt is { } due && due <= now)
        {
            throw InputValidationException.For("dueAt", "must be in the future.");
        }

        return s with { Step = IncidentStep.Dispatched, Holder = unit, DueAt = d.DueAt ?? settings.Deadlines.DueAt(s.Category, s.Cycle, now) };
    }

    private static IncidentLoopState Escalate(IncidentLoopState s, EscalateCommand e, DateTimeOffset now, LoopSettings settings)
    {
        var cycle = s.Cycle + 1;
        var unit = e.Department is { } dept ? HoldingUnit.Department(dept) : DefaultUnit(s, cycle, settings);
        if (unit.Kind != HoldingUnit.KindFor(cycle))
        {
            throw InputValidationException.For("departmentId", $"Escalating to the {cycle} cycle goes to the community; name a department only when escalating to the large cycle.");
        }

        return s with
        {
            // The higher cycle verifies what was not verified yet, and dispatches again what was.
            Step = s.Step == IncidentStep.Reported ? IncidentStep.Reported : IncidentStep.Verified,
            Cycle = cycle,
            Holder = unit,
            EscalatedForDueAt = s.DueAt,
            DueAt = settings.Deadlines.DueAt(s.Category, cycle, now),
        };
    }

    /// <summary>The unit a cycle's incidents go to unless one is named: the grid, the community, the street center.</summary>
    public static HoldingUnit DefaultUnit(IncidentLoopState s, IncidentCycle cycle, LoopSettings settings)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(settings);
        return cycle switch
        {
            IncidentCycle.Micro => HoldingUnit.Grid(s.GridId),
            IncidentCycle.Small => HoldingUnit.Community(s.CommunityId),
            _ => HoldingUnit.Department(settings.CenterDepartmentId),
        };
    }

    /// <summary>Whether the deadline job escalates this incident now: open, before feedback, overdue, below the large cycle, not escalated for this deadline yet.</summary>
    public static bool DueForEscalation(IncidentLoopState s, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Step is >= IncidentStep.Reported and <= IncidentStep.Processed && s.Cycle < IncidentCycle.Large && s.DueAt <= now
            && s.EscalatedForDueAt != s.DueAt;
    }

    /// <summary>
    /// The next action along the happy path from the incident's step (verify, dispatch to the cycle's unit, accept,
    /// feedback, check pass); null for a closed incident. The simulator and tests walk the loop with it.
    /// </summary>
    public static LoopCommand? Forward(IncidentLoopState s, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        return ForwardFrom(s.Step, note);
    }

    /// <summary>The happy path's action from <paramref name="step"/>, naming it as the step it starts from.</summary>
    public static LoopCommand? ForwardFrom(IncidentStep step, string? note = null) =>
        step switch
        {
            IncidentStep.Reported => new VerifyCommand(step, note),
            IncidentStep.Verified => new DispatchCommand(step, Note: note),
            IncidentStep.Dispatched => new AcceptCommand(step, note),
            IncidentStep.Processed => new FeedbackCommand(step, note ?? "done", []),
            IncidentStep.FeedbackGiven => new CheckCommand(step, true, Note: note),
            _ => null,
        };

    /// <summary>The action's name in URLs and answers: lower case (<c>verify</c>, <c>reject</c>, …).</summary>
    public static string Name(LoopAction action) => action.ToString().ToLowerInvariant();

    public static LoopAction? Parse(string? name)
    {
        foreach (var a in Enum.GetValues<LoopAction>())
        {
            if (string.Equals(Name(a), name, StringComparison.OrdinalIgnoreCase)) return a;
        }

        return null;
    }

    public static IReadOnlyList<string> Names(IEnumerable<LoopAction> actions) => actions.Select(Name).ToList();

    private static ConflictException Conflict(IncidentLoopState s, IReadOnlyList<LoopAction> allowed, int status, string field, string message) =>
        new(field, message)
        {
            Status = status,
            Extensions = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["allowedActions"] = Names(allowed),
                ["current"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["id"] = s.Id,
                    ["step"] = s.Step.ToString(),
                    ["cycle"] = s.Cycle.ToString(),
                    ["unitKind"] = s.Holder.Kind.ToString(),
                    ["unitId"] = s.Holder.Id,
                    ["version"] = s.Version,
                },
            },
        };
}
