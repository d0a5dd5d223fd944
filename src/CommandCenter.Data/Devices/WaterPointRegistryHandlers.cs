using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Devices;

/// <summary>Registers a waterlogging point with its level settings (audited in the same transaction).</summary>
public sealed class RegisterWaterPointHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<WaterPointDetails> HandleAsync(WaterPointInput input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var p = DeviceRules.Validate(input);
        var now = clock.Now;
        var created = await db.WriteAsync(async (c, tx) =>
        {
            await DeviceWrites.InsertWaterPointAsync(db, c, tx, p, actor, now, ct).ConfigureAwait(false);
            return await DeviceWrites.WaterPointAsync(c, tx, p.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("water point " + p.Code + " registered", ct).ConfigureAwait(false);
        return created;
    }
}

/// <summary>Edits a point's names, place, grid, coordinates and level settings; the code never changes, a retired point is refused.</summary>
public sealed class EditWaterPointHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<WaterPointDetails> HandleAsync(string code, WaterPointInput input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var updated = await db.WriteAsync(async (c, tx) =>
        {
            var before = await DeviceWrites.WaterPointAsync(c, tx, code, actor, ct).ConfigureAwait(false);
            if (before.RetiredAt is not null) throw DeviceWrites.Retired("Water point", before.Code);
            var p = DeviceRules.Validate(input, before.Code);
            await RequireGridAsync(c, tx, p.GridId, "gridId", actor, ct).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(DeviceSql.UpdateWaterPoint, new
            {
                before.Id, p.Name, p.NameZh, p.GridId, p.Place, p.Lon, p.Lat, p.WarningDepthCm, p.AlarmDepthCm, p.HysteresisCm,
                p.PendingSeconds, p.RiseLimitCmPerMin, p.ExpectedIntervalSeconds,
            }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "device.waterpoint.update", DeviceWrites.WaterPointEntity, before.Code,
                new { before = Snapshot(before), after = p }, ct).ConfigureAwait(false);
            return await DeviceWrites.WaterPointAsync(c, tx, before.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("water point " + updated.Code + " edited", ct).ConfigureAwait(false);
        return updated;
    }

    private static object Snapshot(WaterPointDetails d) => new
    {
        d.Name, d.NameZh, d.GridId, d.Place, d.Lon, d.Lat, d.WarningDepthCm, d.AlarmDepthCm, d.HysteresisCm, d.PendingSeconds,
        d.RiseLimitCmPerMin, d.ExpectedIntervalSeconds,
    };
}

/// <summary>Retires a point: it leaves the wall, and readings for it are refused with "retired".</summary>
public sealed class RetireWaterPointHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<WaterPointDetails> HandleAsync(string code, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var retired = await db.WriteAsync(async (c, tx) =>
        {
            var p = await DeviceWrites.WaterPointAsync(c, tx, code, actor, ct).ConfigureAwait(false);
            if (p.RetiredAt is not null) throw DeviceWrites.Retired("Water point", p.Code);
            await c.ExecuteAsync(Cmd(DeviceSql.RetireWaterPoint, new { p.Id, Now = now }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "device.waterpoint.retire", DeviceWrites.WaterPointEntity, p.Code, null, ct).ConfigureAwait(false);
            return await DeviceWrites.WaterPointAsync(c, tx, p.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("water point " + retired.Code + " retired", ct).ConfigureAwait(false);
        return retired;
    }
}
