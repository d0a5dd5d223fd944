using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Devices;

/// <summary>Registers a camera (audited in the same transaction); the code must be new, the grid known.</summary>
public sealed class RegisterCameraHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<CameraDetails> HandleAsync(CameraInput input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var cam = DeviceRules.Validate(input);
        var now = clock.Now;
        var created = await db.WriteAsync(async (c, tx) =>
        {
            await DeviceWrites.InsertCameraAsync(db, c, tx, cam, actor, now, ct).ConfigureAwait(false);
            return await DeviceWrites.CameraAsync(c, tx, cam.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("camera " + cam.Code + " registered", ct).ConfigureAwait(false);
        return created;
    }
}

/// <summary>Edits a camera's names, place, grid, coordinates and expected interval; the code never changes, a retired camera is refused.</summary>
public sealed class EditCameraHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<CameraDetails> HandleAsync(string code, CameraInput input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var updated = await db.WriteAsync(async (c, tx) =>
        {
            var before = await DeviceWrites.CameraAsync(c, tx, code, actor, ct).ConfigureAwait(false);
            if (before.RetiredAt is not null) throw DeviceWrites.Retired("Camera", before.Code);
            var cam = DeviceRules.Validate(input, before.Code);
            await RequireGridAsync(c, tx, cam.GridId, "gridId", actor, ct).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(DeviceSql.UpdateCamera, new
            {
                before.Id, cam.Name, cam.NameZh, cam.GridId, cam.Place, cam.Lon, cam.Lat, cam.ExpectedIntervalSeconds,
            }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "device.camera.update", DeviceWrites.CameraEntity, before.Code,
                new { before = Snapshot(before), after = cam }, ct).ConfigureAwait(false);
            return await DeviceWrites.CameraAsync(c, tx, before.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("camera " + updated.Code + " edited", ct).ConfigureAwait(false);
        return updated;
    }

    private static object Snapshot(CameraDetails d) => new { d.Name, d.NameZh, d.GridId, d.Place, d.Lon, d.Lat, d.ExpectedIntervalSeconds };
}

/// <summary>Retires a camera: it stays in the registry (its code and history), leaves the wall, and ingestion refuses it.</summary>
public sealed class RetireCameraHandler(DbConnectionFactory db, DeviceRegistryEvents events, BoardClock clock)
{
    public async Task<CameraDetails> HandleAsync(string code, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var retired = await db.WriteAsync(async (c, tx) =>
        {
            var cam = await DeviceWrites.CameraAsync(c, tx, code, actor, ct).ConfigureAwait(false);
            if (cam.RetiredAt is not null) throw DeviceWrites.Retired("Camera", cam.Code);
            await c.ExecuteAsync(Cmd(DeviceSql.RetireCamera, new { cam.Id, Now = now }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "device.camera.retire", DeviceWrites.CameraEntity, cam.Code, null, ct).ConfigureAwait(false);
            return await DeviceWrites.CameraAsync(c, tx, cam.Code, actor, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        await events.PublishAsync("camera " + retired.Code + " retired", ct).ConfigureAwait(false);
        return retired;
    }
}
