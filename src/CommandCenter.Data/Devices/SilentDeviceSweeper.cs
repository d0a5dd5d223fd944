using CommandCenter.Data.Cameras;
using CommandCenter.Data.History;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Devices;

/// <summary>
/// Finds silent devices. LastSeenAt is refreshed here, not on the write path: a point's newest reading (one index seek
/// per point) and a camera's newest platform event. A device that missed its expected interval by the margin
/// (<see cref="DeviceRules.IsSilent"/>) goes offline; one that reported since it went offline comes back online.
/// A camera's change is written as a <c>camera_offline</c> / <c>camera_online</c> event through
/// <see cref="RaiseCameraAlertHandler"/>, so the live board gets it as a <c>CameraStatusEvent</c> whose sequence is the
/// row's id; a point's status is stored on the point (<c>WaterPoint.IsOnline</c>, <c>StatusAt</c>) and published as a
/// <see cref="WaterPointStatusEvent"/> whose sequence is stamped from <c>StatusAt</c> and the point's id.
/// </summary>
public sealed class SilentDeviceSweeper(DbConnectionFactory db, RaiseCameraAlertHandler alerts, TimeProvider time, HistoryOptions options,
    ILiveEventSink sink, ILogger<SilentDeviceSweeper> logger)
{
    public static readonly Actor JobActor = Actor.System("silent-devices");

    public sealed record Result(IReadOnlyList<string> CamerasOffline, IReadOnlyList<string> CamerasOnline, IReadOnlyList<string> PointsOffline, IReadOnlyList<string> PointsOnline);

    public async Task<Result> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            // A device never given a status is watched from now on (else "never seen" would never be silent).
            await c.ExecuteAsync(Cmd(DeviceSql.StampCameraStatus, new { Now = now }, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(DeviceSql.StampPointStatus, new { Now = now }, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(DeviceSql.RefreshPointsLastSeen, null, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(DeviceSql.RefreshCamerasLastSeen, new { OfflineKind = AlertKinds.CameraOffline }, tx, ct)).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);

        List<StatusRow> cameras, points;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            cameras = (await c.QueryAsync<StatusRow>(Cmd(DeviceSql.CameraStatuses, null, null, ct)).ConfigureAwait(false)).ToList();
            points = (await c.QueryAsync<StatusRow>(Cmd(DeviceSql.PointStatuses, null, null, ct)).ConfigureAwait(false)).ToList();
        }

        var camOff = new List<string>();
        var camOn = new List<string>();
        foreach (var cam in cameras)
        {
            var change = Decide(cam, now);
            if (change is null) continue;
            try
            {
                await alerts.HandleAsync(new RaiseCameraAlert
                {
                    CameraId = cam.Code, Kind = change.Value ? AlertKinds.CameraOnline : AlertKinds.CameraOffline, OccurredAt = now,
                }, JobActor, ct).ConfigureAwait(false);
                (change.Value ? camOn : camOff).Add(cam.Code);
            }
            catch (InputValidationException ex)
            {
                logger.LogWarning("Silent-device check could not mark camera {Code}: {Reason}", cam.Code, ex.Message);
            }
        }

        var pointOff = new List<string>();
        var pointOn = new List<string>();
        foreach (var p in points)
        {
            var change = Decide(p, now);
            if (change is null) continue;
            var changed = await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(DeviceSql.SetPointStatus, new { IsOnline = change.Value, At = now, p.Id }, tx, ct)), ct).ConfigureAwait(false);
            if (changed != 1) continue;
            (change.Value ? pointOn : pointOff).Add(p.Code);
            sink.Publish(WaterPointStatusEvent.Of(p.Id, change.Value, now));
        }

        if (camOff.Count + camOn.Count + pointOff.Count + pointOn.Count > 0)
        {
            logger.LogInformation("Silent devices: cameras offline {CamerasOffline}, back {CamerasOnline}; points offline {PointsOffline}, back {PointsOnline}",
                camOff, camOn, pointOff, pointOn);
        }

        return new Result(camOff, camOn, pointOff, pointOn);
    }

    /// <summary>True: goes online; false: goes offline; null: stays.</summary>
    private bool? Decide(StatusRow d, DateTimeOffset now)
    {
        var silent = DeviceRules.IsSilent(d.LastSeenAt, d.StatusAt ?? now, d.ExpectedIntervalSeconds, now, options.SilentFactor, options.SilentGrace);
        if (d.IsOnline && silent) return false;
        if (!d.IsOnline && !silent && d.LastSeenAt is { } seen && (d.StatusAt is null || seen > d.StatusAt)) return true;
        return null;
    }

    private sealed class StatusRow
    {
        public int Id { get; init; }
        public string Code { get; init; } = "";
        public int ExpectedIntervalSeconds { get; init; }
        public bool IsOnline { get; init; }
        public DateTimeOffset? StatusAt { get; init; }
        public DateTimeOffset? LastSeenAt { get; init; }
    }
}
