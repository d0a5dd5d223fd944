using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Incidents;

/// <summary>Moves an incident one step along the closed loop (optimistic: a concurrent move wins, this one changes nothing).</summary>
public sealed class AdvanceIncidentHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    /// <summary>
    /// The new step, or null if the incident is unknown to the actor, closed, or moved by someone else meanwhile.
    /// Throws <see cref="CommandCenter.Domain.Validation.InputValidationException"/> for a note over 1000 characters.
    /// </summary>
    public async Task<IncidentStep?> HandleAsync(AdvanceIncident input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        input = input.Validate(); // the note is capped: it goes to the step log and to the append-only audit log
        var now = clock.Now;
        var e = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<IncidentRow>(Cmd(IncidentSql.ForAdvance, new { Id = input.IncidentId }, tx, ct)).ConfigureAwait(false);
            if (row is null || !actor.Sees(row.CommunityId) || IncidentSteps.Next((IncidentStep)row.Step) is not { } next)
            {
                return null;
            }

            var changed = await c.ExecuteAsync(Cmd(IncidentSql.Advance, new
            {
                row.Id,
                Step = (int)next,
                At = now,
                ClosedAt = next == IncidentStep.Closed ? now : (DateTimeOffset?)null,
                row.RowVersion,
            }, tx, ct)).ConfigureAwait(false);
            if (changed != 1)
            {
                return null;
            }

            var sequence = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentSql.InsertStepLog_Sqlite, IncidentSql.InsertStepLog_SqlServer),
                new { IncidentId = row.Id, Step = (int)next, At = now, input.Actor, input.Note }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "incident.advanced", "incident", row.Id,
                new { number = row.Number, from = ((IncidentStep)row.Step).ToString(), to = next.ToString(), note = input.Note }, ct).ConfigureAwait(false);
            return new IncidentEvent(row.Id, row.Number, row.Category, row.GridId, row.Title, next, (IncidentStep)row.Step, row.ReportedAt, row.DueAt, now)
            {
                Sequence = sequence,
            };
        }, ct).ConfigureAwait(false);

        if (e is null)
        {
            return null;
        }

        sink.Publish(e);
        return e.Step;
    }
}
