using System.Globalization;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;

namespace CommandCenter.Data.Incidents;

/// <summary>The queue's filters as they arrive (query parameters); <see cref="Validate"/> names each wrong one.</summary>
public sealed record IncidentQueueQuery
{
    public const int MaxPageSize = 200;

    /// <summary>A step name or number, or <c>open</c> (steps 1–5).</summary>
    public string? Step { get; init; }
    public string? Category { get; init; }
    public int? CommunityId { get; init; }
    public int? GridId { get; init; }
    /// <summary><c>grid</c>, <c>community</c> or <c>department</c>, with <see cref="UnitId"/>.</summary>
    public string? UnitKind { get; init; }
    public int? UnitId { get; init; }
    /// <summary><c>micro</c>, <c>small</c>, <c>large</c> (or 1–3).</summary>
    public string? Cycle { get; init; }
    public bool? Overdue { get; init; }
    public string? Source { get; init; }
    /// <summary>An incident number, or text in the title or address.</summary>
    public string? Q { get; init; }
    public int? Page { get; init; }
    public int? PageSize { get; init; }
    /// <summary><c>newest</c> (default), <c>oldest</c> or <c>due</c>.</summary>
    public string? Sort { get; init; }

    public QueueFilter Validate()
    {
        var v = new Validator();
        IncidentStep? step = null;
        var open = false;
        var stepText = v.OptionalText("step", Step, 32);
        if (stepText is not null)
        {
            if (string.Equals(stepText, "open", StringComparison.OrdinalIgnoreCase)) open = true;
            else
            {
                var sv = new Validator();
                var parsed = LoopFields.FromStep(sv, stepText);
                if (sv.IsValid) step = parsed;
                else v.Add("step", $"'{Validator.Quote(stepText)}' is not valid; use a step name, a number 1–6 or open.");
            }
        }

        var category = v.OptionalText("category", Category, 64);
        if (category is not null && !IncidentCategories.IsKnown(category)) v.Add("category", $"'{Validator.Quote(category)}' is not a known category.");
        var kind = LoopFields.ParseEnum<UnitKind>(v, "unitKind", UnitKind, required: false);
        if (UnitId is not null && kind is null && UnitKind is null) v.Add("unitKind", "is required with unitId.");
        if (kind is not null && UnitId is null) v.Add("unitId", "is required with unitKind.");
        IncidentCycle? cycle = null;
        var cycleText = v.OptionalText("cycle", Cycle, 16);
        if (cycleText is not null)
        {
            cycle = int.TryParse(cycleText, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 1 and <= 3
                ? (IncidentCycle)c
                : LoopFields.ParseEnum<IncidentCycle>(v, "cycle", cycleText, required: false);
        }

        var source = LoopFields.ParseEnum<IncidentSource>(v, "source", Source, required: false);
        var q = v.OptionalText("q", Q, 100);
        if (Page is < 1) v.Add("page", "must be 1 or more.");
        if (PageSize is < 1 or > MaxPageSize) v.Add("pageSize", $"must be between 1 and {MaxPageSize}.");
        var sort = (v.OptionalText("sort", Sort, 16) ?? "newest").ToLowerInvariant();
        if (sort is not ("newest" or "oldest" or "due")) v.Add("sort", $"'{Validator.Quote(Sort)}' is not valid; use newest, oldest or due.");
        v.ThrowIfInvalid();
        return new QueueFilter(step, open, category, CommunityId, GridId, kind is { } k && UnitId is { } u ? new HoldingUnit(k, u) : null, cycle,
            Overdue ?? false, source, q, Page ?? 1, PageSize ?? 50, sort);
    }
}

public sealed record QueueFilter(
    IncidentStep? Step, bool OpenOnly, string? Category, int? CommunityId, int? GridId, HoldingUnit? Unit, IncidentCycle? Cycle,
    bool Overdue, IncidentSource? Source, string? Q, int Page, int PageSize, string Sort)
{
    /// <summary>Reported in [<see cref="ReportedFrom"/>, <see cref="ReportedBefore"/>) (the review's drill-down to a period).</summary>
    public DateTimeOffset? ReportedFrom { get; init; }
    public DateTimeOffset? ReportedBefore { get; init; }
    /// <summary>Resolved (closed as done) in [<see cref="ClosedFrom"/>, <see cref="ClosedBefore"/>).</summary>
    public DateTimeOffset? ClosedFrom { get; init; }
    public DateTimeOffset? ClosedBefore { get; init; }
    /// <summary>Escalated by the deadline job or moved to a larger cycle (the assessments' escalation).</summary>
    public bool EscalatedOnly { get; init; }
}

public sealed record QueueItem(
    long Id, string Number, string Category, int GridId, string GridName, string GridNameZh, int CommunityId, string Title, string Step,
    string Cycle, string UnitKind, int UnitId, string Priority, string Source, DateTimeOffset ReportedAt, DateTimeOffset DueAt,
    DateTimeOffset? ClosedAt, bool Overdue, long Version);

/// <param name="TextSearchWindow">With <c>q</c>: how many of the newest incidents its text was looked for in (an incident
/// number matches at any age); null without <c>q</c>.</param>
public sealed record QueuePage(IReadOnlyList<QueueItem> Items, int Total, IReadOnlyDictionary<string, int> CountsByStep, int Page, int PageSize,
    int? TextSearchWindow = null);

public sealed record TimelineEntry(
    long Id, string? Action, string Step, string? FromStep, DateTimeOffset At, string Actor, string? ActorKind, string? ActorId,
    int? UserId, int? StaffId, string? Note, string? FromCycle, string? ToCycle, string? FromUnitKind, int? FromUnitId, string? ToUnitKind,
    int? ToUnitId, IReadOnlyList<string> PhotoLinks);

/// <summary>An incident as the API and the console show it: everything, its timeline, and what the caller may do next.</summary>
public sealed record IncidentView(
    long Id, string Number, string Category, int GridId, string GridName, string GridNameZh, int CommunityId, string Source,
    string ReporterName, string? ReporterPhone, string Title, string Description, string? Address, string? Building, string? BuildingUnit,
    double? Lon, double? Lat, string Priority, string Step, string Cycle, string UnitKind, int UnitId, string Resolution,
    string? RejectReason, long? DuplicateOfId, int? Satisfaction, bool? ClosedOnTime, int ReopenedCount,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt, DateTimeOffset? ClosedAt, DateTimeOffset UpdatedAt, bool Overdue,
    long? SourceAlertId, long? SourceAlarmId, IReadOnlyList<string> PhotoLinks, long Version,
    IReadOnlyList<string> AllowedActions, IReadOnlyList<TimelineEntry> Timeline);

/// <summary>
/// The operators' queue and the incident view. Each filter is a predicate on an indexed column. The counts per step
/// (the step filter aside) come from <c>IncidentCount</c> — kept by triggers, summed in a few thousand rows whatever the
/// history — when every filter is one of its dimensions (grid, community, category, source, cycle), and from one
/// grouped count under the same filters otherwise (unit, overdue and text, each bounded: a unit's incidents, the overdue
/// open ones, the newest <see cref="TextSearchWindow"/>). The total is the counts' sum, so it needs no second pass.
/// </summary>
public sealed class IncidentQueue(DbConnectionFactory db, LoopSettingsProvider settings, CommandCenter.Domain.Live.BoardClock clock)
{
    public const int DefaultTextSearchWindow = 50_000;

    /// <summary>How many of the newest incidents a text search reads; a number matches at any age.</summary>
    public int TextSearchWindow { get; init; } = DefaultTextSearchWindow;

    public async Task<QueuePage> ListAsync(QueueFilter f, int? scopeCommunityId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(f);
        var now = clock.Now;
        var args = new DynamicParameters();
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        if (f.Q is not null)
        {
            var newest = await c.ExecuteScalarAsync<long?>(new CommandDefinition(IncidentQueueSql.NewestId, cancellationToken: ct)).ConfigureAwait(false) ?? 0;
            args.Add("QFloor", newest - TextSearchWindow);
        }

        var (where, stepWhere) = IncidentQueueSql.Where(f, scopeCommunityId, args, db.IsSqlite);
        args.Add("Now", now);
        args.Add("Skip", (f.Page - 1) * f.PageSize);
        args.Add("Take", f.PageSize);
        Dictionary<int, int> counts;
        int total;
        IEnumerable<QueueRow> rows;
        if (f.Q is not null)
        {
            // Text: one pass over the window gives the counts, the total and the page's ids; then the page's rows by id.
            var matches = (await c.QueryAsync<MatchRow>(new CommandDefinition(IncidentQueueSql.Matches(where), args, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            counts = matches.GroupBy(m => m.Step).ToDictionary(g => g.Key, g => g.Count());
            var inStep = matches.Where(m => f.Step is { } st ? m.Step == (int)st : !f.OpenOnly || m.Step < (int)IncidentStep.Closed).ToList();
            total = inStep.Count;
            IEnumerable<MatchRow> ordered = f.Sort switch
            {
                "oldest" => inStep.OrderBy(m => m.Id),
                "due" => inStep.OrderBy(m => m.DueAt).ThenBy(m => m.Id),
                _ => inStep.OrderByDescending(m => m.Id),
            };
            var ids = ordered.Skip((f.Page - 1) * f.PageSize).Take(f.PageSize).Select(m => m.Id).ToList();
            rows = ids.Count == 0 ? []
                : await c.QueryAsync<QueueRow>(new CommandDefinition(IncidentQueueSql.ItemsByIds(f.Sort), new { Ids = ids }, cancellationToken: ct)).ConfigureAwait(false);
        }
        else
        {
            var countSql = IncidentQueueSql.CountsFromCounter(f, scopeCommunityId) is { } fromCounter ? fromCounter : IncidentQueueSql.Counts(where);
            counts = (await c.QueryAsync<(int Step, int Count)>(new CommandDefinition(countSql, args, cancellationToken: ct)).ConfigureAwait(false))
                .ToDictionary(r => r.Step, r => r.Count);
            total = f.Step is { } s ? counts.GetValueOrDefault((int)s) : f.OpenOnly ? counts.Where(kv => kv.Key < (int)IncidentStep.Closed).Sum(kv => kv.Value) : counts.Values.Sum();
            rows = await c.QueryAsync<QueueRow>(new CommandDefinition(IncidentQueueSql.Items(where + stepWhere, f.Sort, db.IsSqlite), args, cancellationToken: ct)).ConfigureAwait(false);
        }

        var items = rows.Select(r => new QueueItem(r.Id, r.Number, r.Category, r.GridId, r.GridName, r.GridNameZh, r.CommunityId, r.Title,
            ((IncidentStep)r.Step).ToString(), ((IncidentCycle)r.Cycle).ToString(), ((UnitKind)r.HolderKind).ToString(), r.HolderId,
            ((IncidentPriority)r.Priority).ToString(), ((IncidentSource)r.Source).ToString(), r.ReportedAt, r.DueAt, r.ClosedAt,
            r.Step < (int)IncidentStep.Closed && r.DueAt < now, r.RowVersion)).ToList();
        return new QueuePage(items, total,
            Enum.GetValues<IncidentStep>().ToDictionary(st => st.ToString(), st => counts.GetValueOrDefault((int)st)), f.Page, f.PageSize,
            f.Q is null ? null : TextSearchWindow);
    }

    /// <summary>The incident with its timeline and the caller's allowed actions; null when unknown or out of its scope.</summary>
    public async Task<IncidentView?> GetAsync(long id, Actor actor, LoopCaller caller, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var r = await c.QuerySingleOrDefaultAsync<ViewRow>(new CommandDefinition(IncidentQueueSql.View, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false);
        if (r is null || !actor.Sees(r.CommunityId)) return null;
        var timeline = (await c.QueryAsync<TimelineRow>(new CommandDefinition(IncidentQueueSql.Timeline, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(t => new TimelineEntry(t.Id, t.LoopAction is { } a ? IncidentLoop.Name((LoopAction)a) : null, ((IncidentStep)t.Step).ToString(),
                Name<IncidentStep>(t.FromStep), t.At, t.Actor, t.ActorKind, t.ActorId, t.UserId, t.StaffId, t.Note, Name<IncidentCycle>(t.FromCycle),
                Name<IncidentCycle>(t.ToCycle), Name<UnitKind>(t.FromUnitKind), t.FromUnitId, Name<UnitKind>(t.ToUnitKind), t.ToUnitId, Links(t.PhotoLinks)))
            .ToList();
        var state = r.ToState();
        var now = clock.Now;
        var allowed = IncidentLoop.AllowedActions(state, caller, now, await settings.GetAsync(ct).ConfigureAwait(false));
        return new IncidentView(r.Id, r.Number, r.Category, r.GridId, r.GridName, r.GridNameZh, r.CommunityId, ((IncidentSource)r.Source).ToString(),
            r.ReporterName, r.ReporterPhone, r.Title, r.Description, r.Address, r.Building, r.BuildingUnit, r.Lon, r.Lat,
            ((IncidentPriority)r.Priority).ToString(), state.Step.ToString(), state.Cycle.ToString(), state.Holder.Kind.ToString(), state.Holder.Id,
            state.Resolution.ToString(), state.RejectReason?.ToString(), r.DuplicateOfId, r.Satisfaction, state.ClosedOnTime, r.ReopenedCount,
            r.ReportedAt, r.DueAt, r.ClosedAt, r.UpdatedAt, state.IsOverdue(now), r.SourceAlertId, r.SourceAlarmId, Links(r.PhotoLinks), r.RowVersion,
            IncidentLoop.Names(allowed), timeline);
    }

    private static string? Name<T>(int? value) where T : struct, Enum => value is { } v ? ((T)(object)v).ToString() : null;

    private static IReadOnlyList<string> Links(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private sealed class MatchRow
    {
        public long Id { get; init; }
        public int Step { get; init; }
        public DateTimeOffset DueAt { get; init; }
    }

    private sealed class QueueRow
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public string Category { get; init; } = "";
        public int GridId { get; init; }
        public string GridName { get; init; } = "";
        public string GridNameZh { get; init; } = "";
        public int CommunityId { get; init; }
        public string Title { get; init; } = "";
        public int Step { get; init; }
        public int Cycle { get; init; }
        public int HolderKind { get; init; }
        public int HolderId { get; init; }
        public int Priority { get; init; }
        public int Source { get; init; }
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public long RowVersion { get; init; }
    }

    /// <summary>The loop's columns (<see cref="LoopStateRow"/>) and what the view shows besides.</summary>
    private sealed class ViewRow : LoopStateRow
    {
        public string GridName { get; init; } = "";
        public string GridNameZh { get; init; } = "";
        public int Source { get; init; }
        public string ReporterName { get; init; } = "";
        public string? ReporterPhone { get; init; }
        public string Description { get; init; } = "";
        public string? Address { get; init; }
        public string? Building { get; init; }
        public string? BuildingUnit { get; init; }
        public double? Lon { get; init; }
        public double? Lat { get; init; }
        public int Priority { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long? SourceAlertId { get; init; }
        public long? SourceAlarmId { get; init; }
        public string? PhotoLinks { get; init; }
    }

    private sealed class TimelineRow
    {
        public long Id { get; init; }
        public int Step { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
        public string? Note { get; init; }
        public int? LoopAction { get; init; }
        public int? FromStep { get; init; }
        public int? FromCycle { get; init; }
        public int? ToCycle { get; init; }
        public int? FromUnitKind { get; init; }
        public int? FromUnitId { get; init; }
        public int? ToUnitKind { get; init; }
        public int? ToUnitId { get; init; }
        public string? ActorKind { get; init; }
        public string? ActorId { get; init; }
        public int? UserId { get; init; }
        public int? StaffId { get; init; }
        public string? PhotoLinks { get; init; }
    }
}

/// <summary>
/// The queue's SQL, composed from constant fragments (parameters only, never input text): each filter adds one
/// predicate. A test composes every filter with every sort and parses the SQL Server text with ScriptDom.
/// </summary>
public static class IncidentQueueSql
{
    public const string View =
        "SELECT i.Id, i.Number, i.Category, i.GridId, g.Name AS GridName, g.NameZh AS GridNameZh, g.CommunityId, i.Source, i.ReporterName, " +
        "i.ReporterPhone, i.Title, i.Description, i.Address, i.Building, i.BuildingUnit, i.Lon, i.Lat, i.Priority, i.Step, i.Cycle, i.HolderKind, " +
        "i.HolderId, i.RowVersion, i.ReportedAt, i.DueAt, i.ClosedAt, i.UpdatedAt, i.Resolution, i.RejectReason, i.DuplicateOfId, i.Satisfaction, " +
        "i.ReopenedCount, i.EscalatedForDueAt, i.ClosedOnTime, i.SourceAlertId, i.SourceAlarmId, i.PhotoLinks " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId WHERE i.Id = @Id";

    public const string Timeline =
        "SELECT Id, Step, At, Actor, Note, LoopAction, FromStep, FromCycle, ToCycle, FromUnitKind, FromUnitId, ToUnitKind, ToUnitId, " +
        "ActorKind, ActorId, UserId, StaffId, PhotoLinks FROM IncidentStepLog WHERE IncidentId = @Id ORDER BY Id";

    private const string ItemColumns =
        "SELECT i.Id, i.Number, i.Category, i.GridId, g.Name AS GridName, g.NameZh AS GridNameZh, g.CommunityId, i.Title, i.Step, i.Cycle, " +
        "i.HolderKind, i.HolderId, i.Priority, i.Source, i.ReportedAt, i.DueAt, i.ClosedAt, i.RowVersion FROM Incident i JOIN Grid g ON g.Id = i.GridId WHERE 1 = 1";

    private const string CountColumns = "SELECT i.Step, COUNT(*) AS Count FROM Incident i WHERE 1 = 1";
    private const string CountGroup = " GROUP BY i.Step";

    /// <summary>The highest incident id: where the text search's window ends.</summary>
    public const string NewestId = "SELECT MAX(Id) FROM Incident";

    // The counter's dimensions (migration 0020): the same predicates on IncidentCount n.
    private const string CounterColumns = "SELECT n.Step, SUM(n.N) AS Count FROM IncidentCount n WHERE 1 = 1";
    private const string CounterGroup = " GROUP BY n.Step";
    private const string CounterCategoryIs = " AND n.Category = @Category";
    private const string CounterCommunityIs = " AND n.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @CommunityId)";
    private const string CounterScopeIs = " AND n.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @ScopeCommunityId)";
    private const string CounterGridIs = " AND n.GridId = @GridId";
    private const string CounterCycleIs = " AND n.Cycle = @Cycle";
    private const string CounterSourceIs = " AND n.Source = @Source";
    private const string StepIs = " AND i.Step = @Step";
    private const string OpenOnly = " AND i.Step < " + SqlEnums.StepClosed;
    private const string CategoryIs = " AND i.Category = @Category";
    private const string CommunityIs = " AND i.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @CommunityId)";
    private const string ScopeIs = " AND i.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @ScopeCommunityId)";
    // SQLite: the unary + keeps the planner from reading every incident of the community through the grid index and
    // sorting them; walking the ids from the newest finds a page of a community (a sixth of the street) at once.
    private const string CommunityIs_Sqlite = " AND +i.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @CommunityId)";
    private const string ScopeIs_Sqlite = " AND +i.GridId IN (SELECT Id FROM Grid WHERE CommunityId = @ScopeCommunityId)";
    private const string GridIs = " AND i.GridId = @GridId";
    private const string UnitIs = " AND i.HolderKind = @UnitKind AND i.HolderId = @UnitId";
    private const string CycleIs = " AND i.Cycle = @Cycle";
    // The lower bound (every deadline is after it) makes the deadline a range on both sides, so SQLite's planner reads the
    // open incidents' (DueAt, Step) index — the overdue ones only — instead of every open incident through the step index.
    private const string OverdueOnly = " AND i.Step < " + SqlEnums.StepClosed + " AND i.DueAt < @Now AND i.DueAt >= @DueFloor";
    private const string SourceIs = " AND i.Source = @Source";
    private const string ReportedFromIs = " AND i.ReportedAt >= @ReportedFrom";
    private const string ReportedBeforeIs = " AND i.ReportedAt < @ReportedBefore";
    private const string ClosedFromIs = " AND i.ClosedAt >= @ClosedFrom AND i.Resolution = 1";
    private const string ClosedBeforeIs = " AND i.ClosedAt < @ClosedBefore AND i.Resolution = 1";
    private const string EscalatedIs = " AND (i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL)";
    // A number matches at any age (unique index); text in the title or address among the newest incidents (an id range):
    // two indexed branches, never a scan of the whole history.
    private const string TextIs =
        " AND i.Id IN (SELECT t.Id FROM Incident t WHERE t.Number = @Q" +
        " UNION SELECT t.Id FROM Incident t WHERE t.Id > @QFloor AND (t.Title LIKE @QLike ESCAPE '\\' OR t.Address LIKE @QLike ESCAPE '\\'))";
    private const string MatchColumns = "SELECT i.Id, i.Step, i.DueAt FROM Incident i WHERE 1 = 1";
    private const string IdsAre = " AND i.Id IN @Ids";
    private const string ItemIdColumns = "SELECT i.Id FROM Incident i WHERE 1 = 1";
    private const string ByNewest = " ORDER BY i.Id DESC";
    private const string ByOldest = " ORDER BY i.Id";
    private const string ByDue = " ORDER BY i.DueAt, i.Id";
    private const string Page_Sqlite = " LIMIT @Take OFFSET @Skip";
    private const string Page_SqlServer = " OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY";

    /// <summary>The predicates of the filter (without the step) and the step's predicate; binds their parameters.</summary>
    public static (string Where, string StepWhere) Where(QueueFilter f, int? scopeCommunityId, DynamicParameters args, bool sqlite)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(args);
        var sb = new StringBuilder();
        if (f.Category is not null) { sb.Append(CategoryIs); args.Add("Category", f.Category); }
        if (f.CommunityId is { } community) { sb.Append(sqlite ? CommunityIs_Sqlite : CommunityIs); args.Add("CommunityId", community); }
        if (scopeCommunityId is { } scope) { sb.Append(sqlite ? ScopeIs_Sqlite : ScopeIs); args.Add("ScopeCommunityId", scope); }
        if (f.GridId is { } grid) { sb.Append(GridIs); args.Add("GridId", grid); }
        if (f.Unit is { } unit) { sb.Append(UnitIs); args.Add("UnitKind", (int)unit.Kind); args.Add("UnitId", unit.Id); }
        if (f.Cycle is { } cycle) { sb.Append(CycleIs); args.Add("Cycle", (int)cycle); }
        if (f.Overdue) { sb.Append(OverdueOnly); args.Add("DueFloor", DateTimeOffset.UnixEpoch); }
        if (f.Source is { } source) { sb.Append(SourceIs); args.Add("Source", (int)source); }
        if (f.ReportedFrom is { } rf) { sb.Append(ReportedFromIs); args.Add("ReportedFrom", rf); }
        if (f.ReportedBefore is { } rb) { sb.Append(ReportedBeforeIs); args.Add("ReportedBefore", rb); }
        if (f.ClosedFrom is { } cf) { sb.Append(ClosedFromIs); args.Add("ClosedFrom", cf); }
        if (f.ClosedBefore is { } cb) { sb.Append(ClosedBeforeIs); args.Add("ClosedBefore", cb); }
        if (f.EscalatedOnly) sb.Append(EscalatedIs);
        if (f.Q is { } q)
        {
            sb.Append(TextIs);
            args.Add("Q", q);
            args.Add("QLike", "%" + q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
        }

        var stepWhere = "";
        if (f.Step is { } step) { stepWhere = StepIs; args.Add("Step", (int)step); }
        else if (f.OpenOnly) stepWhere = OpenOnly;
        return (sb.ToString(), stepWhere);
    }

    public static string Counts(string where) => CountColumns + where + CountGroup;

    /// <summary>
    /// The counts per step from IncidentCount when every filter is one of its dimensions (the parameters are those
    /// <see cref="Where"/> bound); null when a filter (unit, overdue, text) needs the incidents themselves.
    /// </summary>
    public static string? CountsFromCounter(QueueFilter f, int? scopeCommunityId = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Unit is not null || f.Overdue || f.Q is not null || f.ReportedFrom is not null || f.ReportedBefore is not null
            || f.ClosedFrom is not null || f.ClosedBefore is not null || f.EscalatedOnly) return null;
        var sb = new StringBuilder(CounterColumns);
        if (f.Category is not null) sb.Append(CounterCategoryIs);
        if (f.CommunityId is not null) sb.Append(CounterCommunityIs);
        if (scopeCommunityId is not null) sb.Append(CounterScopeIs);
        if (f.GridId is not null) sb.Append(CounterGridIs);
        if (f.Cycle is not null) sb.Append(CounterCycleIs);
        if (f.Source is not null) sb.Append(CounterSourceIs);
        return sb.Append(CounterGroup).ToString();
    }

    /// <summary>
    /// The page: its ids first (from the filter's index alone, sorted and cut to the page), then only those rows with their
    /// grid — a filter that matches tens of thousands (overdue) sorts ids, not rows.
    /// </summary>
    public static string Items(string where, string sort, bool sqlite)
    {
        var order = Order(sort);
        return ItemColumns + " AND i.Id IN (" + ItemIdColumns + where + order + (sqlite ? Page_Sqlite : Page_SqlServer) + ")" + order;
    }

    /// <summary>Every incident the filters (with a text) match: id, step and deadline, to count and page in one pass.</summary>
    public static string Matches(string where) => MatchColumns + where;

    /// <summary>The rows of a page whose ids are known (<c>@Ids</c>, at most a page).</summary>
    public static string ItemsByIds(string sort) => ItemColumns + IdsAre + Order(sort);

    private static string Order(string sort) => sort switch { "oldest" => ByOldest, "due" => ByDue, _ => ByNewest };
}
