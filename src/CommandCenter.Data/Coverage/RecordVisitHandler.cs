using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Coverage;

/// <summary>Stores a grid member's visit to a household.</summary>
public sealed class RecordVisitHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    public async Task<RecordStored> HandleAsync(RecordVisit input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var householdId = v.Required("householdId", input.HouseholdId);
        var at = v.Instant("visitedAt", input.VisitedAt, now, Validator.MaxAge);
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var (id, household) = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, actor, ct).ConfigureAwait(false);
            var h = await c.QuerySingleOrDefaultAsync<HouseholdRow>(Cmd(CoverageSql.HouseholdForVisit, new { Id = householdId }, tx, ct)).ConfigureAwait(false);
            if (h is null || !actor.Sees(h.CommunityId))
            {
                throw InputValidationException.For("householdId", $"{householdId} is not a known household.");
            }

            var newId = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(CoverageSql.InsertVisit_Sqlite, CoverageSql.InsertVisit_SqlServer),
                new { StaffId = staffId, HouseholdId = householdId, VisitedAt = at, Note = note }, tx, ct)).ConfigureAwait(false);
            return (newId, h);
        }, ct).ConfigureAwait(false);
        sink.Publish(new VisitEvent(household.Id, household.GridId, household.KeyFlags != 0, at) { Sequence = id });
        return new RecordStored(id);
    }

    private sealed class HouseholdRow
    {
        public int CommunityId { get; init; }
        public long Id { get; init; }
        public int GridId { get; init; }
        public int KeyFlags { get; init; }
    }
}
