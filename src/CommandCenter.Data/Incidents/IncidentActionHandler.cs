using System.Globalization;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Incidents;

/// <summary>
/// Who acts on an incident: the <see cref="Actor"/> (audit identity and community scope), the loop's view of its role
/// (<see cref="LoopCaller"/>), and the staff member when a grid member acts (attributed to that staff record).
/// </summary>
public sealed record LoopActor(Actor Actor, LoopCaller Caller, int? StaffId = null)
{
    /// <summary>The deadline job, the simulator.</summary>
    public static LoopActor System(string name) => new(Actor.System(name), LoopCaller.System);

    /// <summary>The AppUser id, when a person acts.</summary>
    public int? UserId => Actor.Kind == ActorKind.User && int.TryParse(Actor.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>What an action did: the transition and the timeline row that records it (also the live event's sequence).</summary>
public sealed record IncidentActionResult(string Number, LoopTransition Transition, long TimelineId, IReadOnlyList<LoopAction> AllowedActions);

/// <summary>
/// Every action of the loop: load the incident → check version, fromStep and the rule (Domain) → write the incident
/// (<c>WHERE RowVersion = @expected</c>), its timeline row and the audit row in one transaction → commit → publish to the board.
/// </summary>
public sealed class IncidentActionHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock, LoopSettingsProvider settingsProvider)
{
    /// <summary>
    /// The result, or null when the incident does not exist for this actor (unknown or outside its community).
    /// Throws <see cref="ConflictException"/> (409 not allowed / stale step, 412 stale version) and
    /// <see cref="InputValidationException"/> (a unit, department or duplicate that does not fit).
    /// </summary>
    public async Task<IncidentActionResult?> HandleAsync(long incidentId, LoopCommand command, LoopActor who, long? expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(who);
        var settings = await settingsProvider.GetAsync(ct).ConfigureAwait(false);
        var now = clock.Now;
        var result = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<LoopStateRow>(Cmd(IncidentLoopSql.State, new { Id = incidentId }, tx, ct)).ConfigureAwait(false);
            if (row is null || !who.Actor.Sees(row.CommunityId))
            {
                return ((IncidentActionResult Result, LoopStateRow Row)?)null;
            }

            var state = row.ToState();
            var t = IncidentLoop.Apply(state, command, who.Caller, expectedVersion, now, settings);
            await CheckReferencesAsync(c, tx, state, t.After, command, who.Actor, ct).ConfigureAwait(false);
            var after = t.After;
            var changed = await c.ExecuteAsync(Cmd(IncidentLoopSql.Update, new
            {
                Id = incidentId,
                Step = (int)after.Step,
                Cycle = (int)after.Cycle,
                HolderKind = (int)after.Holder.Kind,
                HolderId = after.Holder.Id,
                after.DueAt,
                after.ClosedAt,
                Resolution = (int)after.Resolution,
                RejectReason = (int?)after.RejectReason,
                after.DuplicateOfId,
                after.Satisfaction,
                ClosedOnTime = after.ClosedOnTime is { } onTime ? (onTime ? 1 : 0) : (int?)null,
                after.ReopenedCount,
                after.EscalatedForDueAt,
                At = now,
                RowVersion = state.Version,
            }, tx, ct)).ConfigureAwait(false);
            if (changed != 1)
            {
                // Cannot happen while the SQLite writer lock is held; on SQL Server another writer won the race.
                throw new ConflictException("version", "The incident changed while this action was being applied. Reload it and decide again.") { Status = 412 };
            }

            var e = t.Entry;
            var timelineId = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentLoopSql.InsertTimeline_Sqlite, IncidentLoopSql.InsertTimeline_SqlServer), new
            {
                IncidentId = incidentId,
                Step = (int)e.ToStep,
                At = now,
                Actor = Cut(who.Actor.Name, 100),
                Note = e.Note is null ? null : Cut(e.Note, 1000),
                LoopAction = (int)e.Action,
                FromStep = (int)e.FromStep,
                FromCycle = (int)e.FromCycle,
                ToCycle = (int)e.ToCycle,
                FromUnitKind = (int)e.FromUnit.Kind,
                FromUnitId = e.FromUnit.Id,
                ToUnitKind = (int)e.ToUnit.Kind,
                ToUnitId = e.ToUnit.Id,
                ActorKind = who.StaffId is null ? who.Actor.Kind.ToString() : "Staff",
                ActorId = Cut(who.Actor.Id, 100),
                who.UserId,
                who.StaffId,
                PhotoLinks = e.PhotoLinks.Count == 0 ? null : JsonSerializer.Serialize(e.PhotoLinks),
                Version = (int)after.Version,
            }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, who.Actor, now, "incident." + IncidentLoop.Name(e.Action), "incident", incidentId, new
            {
                number = row.Number, from = e.FromStep.ToString(), to = e.ToStep.ToString(), cycle = e.ToCycle.ToString(), unit = e.ToUnit.ToString(),
                note = e.Note, staffId = who.StaffId,
            }, ct).ConfigureAwait(false);
            return (new IncidentActionResult(row.Number, t, timelineId, IncidentLoop.AllowedActions(after, who.Caller, now, settings)), row);
        }, committed => Publish(incidentId, committed, now), ct).ConfigureAwait(false);

        return result?.Result;
    }

    /// <summary>The live update, once committed (on SQLite in the order the writes were made: see <see cref="DbConnectionFactory.WriteAsync{T}(Func{System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task{T}}, Action{T}?, CancellationToken)"/>).</summary>
    private void Publish(long incidentId, (IncidentActionResult Result, LoopStateRow Row)? done, DateTimeOffset now)
    {
        if (done is not var (r, incident))
        {
            return;
        }

        var t = r.Transition;
        sink.Publish(new IncidentEvent(incidentId, incident.Number, incident.Category, incident.GridId, incident.Title, t.After.Step, t.Before.Step,
            incident.ReportedAt, t.After.DueAt, now)
        {
            Sequence = r.TimelineId,
            Cycle = t.After.Cycle,
            Action = t.Entry.Action,
            ClosedOnTime = t.After.Step == IncidentStep.Closed ? t.After.ClosedOnTime : null,
            PreviousClosedAt = t.Before.Step == IncidentStep.Closed ? t.Before.ClosedAt : null,
            PreviousClosedOnTime = t.Before.Step == IncidentStep.Closed ? t.Before.ClosedOnTime : null,
        });
    }

    /// <summary>The incident's loop state, or null when it does not exist for this actor.</summary>
    public async Task<IncidentLoopState?> LoadStateAsync(long incidentId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<LoopStateRow>(new CommandDefinition(IncidentLoopSql.State, new { Id = incidentId }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null || !actor.Sees(row.CommunityId) ? null : row.ToState();
    }

    /// <summary>
    /// Takes the next action along the happy path (<see cref="IncidentLoop.Forward"/>) from the step the incident is at
    /// now: the simulator's and the tests' walk. Null when the incident is unknown or closed.
    /// </summary>
    public async Task<IncidentActionResult?> ForwardAsync(long incidentId, LoopActor who, string? note = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(who);
        var state = await LoadStateAsync(incidentId, who.Actor, ct).ConfigureAwait(false);
        if (state is null || IncidentLoop.Forward(state, note) is not { } command)
        {
            return null;
        }

        return await HandleAsync(incidentId, command, who, state.Version, ct).ConfigureAwait(false);
    }

    /// <summary>The caller's allowed actions on an incident now (for answers that do not act).</summary>
    public async Task<IReadOnlyList<LoopAction>> AllowedAsync(IncidentLoopState state, LoopCaller caller, CancellationToken ct = default)
    {
        var settings = await settingsProvider.GetAsync(ct).ConfigureAwait(false);
        return IncidentLoop.AllowedActions(state, caller, clock.Now, settings);
    }

    private static async Task CheckReferencesAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, IncidentLoopState before,
        IncidentLoopState after, LoopCommand command, Actor actor, CancellationToken ct)
    {
        if (command is RejectCommand { DuplicateOfId: { } dup })
        {
            var community = await c.ExecuteScalarAsync<int?>(Cmd(IncidentLoopSql.IncidentCommunity, new { Id = dup }, tx, ct)).ConfigureAwait(false);
            if (community is null || !actor.Sees(community.Value))
            {
                throw InputValidationException.For("duplicateOfId", $"{dup} is not a known incident.");
            }
        }

        if (after.Holder.Kind == UnitKind.Department && after.Holder != before.Holder)
        {
            if (await c.ExecuteScalarAsync<long>(Cmd(IncidentLoopSql.ActiveDepartment, new { after.Holder.Id }, tx, ct)).ConfigureAwait(false) == 0)
            {
                throw InputValidationException.For(command is DispatchCommand ? "unitId" : "departmentId", $"{after.Holder.Id} is not an active department.");
            }
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
