using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Cameras;

/// <summary>
/// Frigate tells that an event has a snapshot often only in a later message (an <c>update</c> or its <c>end</c>), which is a
/// duplicate of the alert stored already: this marks that alert (the caller's, under that id, of that camera). Machine
/// ingestion, not a person's change: no audit row; the wall does not show snapshots, so nothing is published.
/// </summary>
public sealed class MarkAlertSnapshotHandler(DbConnectionFactory db)
{
    /// <summary>True when an alert was marked now; false when there is none or it was marked already.</summary>
    public async Task<bool> HandleAsync(string cameraCode, string externalId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var caller = CallerOf(actor);
        return await db.WriteAsync(async (c, tx) =>
            await c.ExecuteAsync(Cmd(CameraSql.MarkSnapshot, new { Caller = caller, ExternalId = externalId, Code = cameraCode }, tx, ct)).ConfigureAwait(false) == 1,
            ct).ConfigureAwait(false);
    }
}
