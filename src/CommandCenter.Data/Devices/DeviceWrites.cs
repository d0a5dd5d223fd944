using System.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Devices;

/// <summary>The registry's writes inside a caller's transaction, each with its audit row: shared by the handlers and the CSV import.</summary>
internal static class DeviceWrites
{
    public const string CameraEntity = "Camera";
    public const string WaterPointEntity = "WaterPoint";

    public static async Task<int> InsertCameraAsync(DbConnectionFactory db, DbConnection c, DbTransaction tx, ValidCamera cam, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await RequireGridAsync(c, tx, cam.GridId, "gridId", actor, ct).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>(Cmd(DeviceSql.CameraCodeTaken, new { cam.Code }, tx, ct)).ConfigureAwait(false) > 0)
        {
            throw new ConflictException("code", $"'{Validator.Quote(cam.Code)}' is registered already (retired devices keep their code).");
        }

        var id = await c.ExecuteScalarAsync<int>(Cmd(db.Pick(DeviceSql.InsertCamera_Sqlite, DeviceSql.InsertCamera_SqlServer), new
        {
            cam.Code, cam.Name, cam.NameZh, cam.GridId, cam.Place, cam.Lon, cam.Lat, cam.ExpectedIntervalSeconds, Now = now,
        }, tx, ct)).ConfigureAwait(false);
        await AuditLog.WriteAsync(c, tx, actor, now, "device.camera.create", CameraEntity, cam.Code, cam, ct).ConfigureAwait(false);
        return id;
    }

    public static async Task<int> InsertWaterPointAsync(DbConnectionFactory db, DbConnection c, DbTransaction tx, ValidWaterPoint p, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await RequireGridAsync(c, tx, p.GridId, "gridId", actor, ct).ConfigureAwait(false);
        if (await c.ExecuteScalarAsync<long>(Cmd(DeviceSql.WaterPointCodeTaken, new { p.Code }, tx, ct)).ConfigureAwait(false) > 0)
        {
            throw new ConflictException("code", $"'{Validator.Quote(p.Code)}' is registered already (retired devices keep their code).");
        }

        var id = await c.ExecuteScalarAsync<int>(Cmd(db.Pick(DeviceSql.InsertWaterPoint_Sqlite, DeviceSql.InsertWaterPoint_SqlServer), new
        {
            p.Code, p.Name, p.NameZh, p.GridId, p.Place, p.Lon, p.Lat, p.WarningDepthCm, p.AlarmDepthCm, p.HysteresisCm, p.PendingSeconds,
            p.RiseLimitCmPerMin, p.ExpectedIntervalSeconds, Now = now,
        }, tx, ct)).ConfigureAwait(false);
        await AuditLog.WriteAsync(c, tx, actor, now, "device.waterpoint.create", WaterPointEntity, p.Code, p, ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>The camera by code, in the actor's community, or "not known" (404 by the API).</summary>
    public static async Task<CameraDetails> CameraAsync(DbConnection c, DbTransaction? tx, string code, Actor actor, CancellationToken ct)
    {
        var cam = await c.QuerySingleOrDefaultAsync<CameraDetails>(Cmd(DeviceSql.CameraByCode, new { Code = code }, tx, ct)).ConfigureAwait(false);
        if (cam is null || !actor.Sees(cam.CommunityId)) throw new DeviceNotFoundException("camera", code);
        return cam;
    }

    public static async Task<WaterPointDetails> WaterPointAsync(DbConnection c, DbTransaction? tx, string code, Actor actor, CancellationToken ct)
    {
        var p = await c.QuerySingleOrDefaultAsync<WaterPointDetails>(Cmd(DeviceSql.WaterPointByCode, new { Code = code }, tx, ct)).ConfigureAwait(false);
        if (p is null || !actor.Sees(p.CommunityId)) throw new DeviceNotFoundException("water point", code);
        return p;
    }

    public static ConflictException Retired(string what, string code) =>
        new("code", $"{what} '{Validator.Quote(code)}' is retired; a retired device cannot be changed.");
}

/// <summary>No device with this code (or not in the caller's community): the API answers 404.</summary>
public sealed class DeviceNotFoundException(string kind, string code) : Exception($"No {kind} '{Validator.Quote(code)}' is registered.")
{
    public string Kind { get; } = kind;
    public string Code { get; } = code;
}
