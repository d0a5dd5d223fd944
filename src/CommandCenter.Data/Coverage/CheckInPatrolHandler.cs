using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Coverage;

/// <summary>Stores a grid member's patrol check-in in a grid (both the member and the grid within the actor's community).</summary>
public sealed class CheckInPatrolHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    public async Task<RecordStored> HandleAsync(CheckInPatrol input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var gridId = v.Required("gridId", input.GridId);
        var at = v.Instant("checkedInAt", input.CheckedInAt, now, Validator.MaxAge);
        v.Coordinates("", input.Lon, input.Lat);
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var id = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, actor, ct).ConfigureAwait(false);
            await RequireGridAsync(c, tx, gridId!.Value, "gridId", actor, ct).ConfigureAwait(false);
            return await c.ExecuteScalarAsync<long>(Cmd(db.Pick(CoverageSql.InsertPatrol_Sqlite, CoverageSql.InsertPatrol_SqlServer),
                new { StaffId = staffId, GridId = gridId, CheckedInAt = at, input.Lon, input.Lat, Note = note }, tx, ct)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        sink.Publish(new PatrolEvent(gridId!.Value, staffId!.Value, at) { Sequence = id });
        return new RecordStored(id);
    }
}
