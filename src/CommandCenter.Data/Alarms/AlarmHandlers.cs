using System.Data.Common;
using System.Globalization;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Alarms;

/// <summary>Rows as Dapper reads them, and their views.</summary>
internal static class AlarmRows
{
    public static object StatusArgs => new
    {
        New = (int)AlertStatus.New,
        Acknowledged = (int)AlertStatus.Acknowledged,
        Dismissed = (int)AlertStatus.Dismissed,
    };

    /// <summary>The person's user id for the <c>…ByUserId</c> columns; null for a key, a device or the system.</summary>
    public static int? UserIdOf(Actor actor) =>
        actor.Kind == ActorKind.User && int.TryParse(actor.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    public sealed class AlertRow
    {
        public long Id { get; init; }
        public int CameraId { get; init; }
        public string CameraCode { get; init; } = "";
        public string CameraName { get; init; } = "";
        public int GridId { get; init; }
        public int CommunityId { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset? LastOccurredAt { get; init; }
        public int RepeatCount { get; init; }
        public int Status { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public int? AcknowledgedByUserId { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public long? IncidentId { get; init; }
        public bool HasSnapshot { get; init; }

        public CameraAlertView ToView() => new(Id, CameraId, CameraCode, CameraName, GridId, Kind, Confidence, OccurredAt, LastOccurredAt,
            RepeatCount, ((AlertStatus)Status).ToString(), AcknowledgedAt, AcknowledgedByUserId, ClosedAt, IncidentId,
            AlertLifecycle.SecondsToAcknowledge(OccurredAt, AcknowledgedAt), HasSnapshot);
    }

    public sealed class WaterRow
    {
        public long Id { get; init; }
        public int WaterPointId { get; init; }
        public string PointCode { get; init; } = "";
        public string PointName { get; init; } = "";
        public string PointNameZh { get; init; } = "";
        public int CommunityId { get; init; }
        public int GridId { get; init; }
        public int Kind { get; init; }
        public DateTimeOffset RaisedAt { get; init; }
        public double DepthCm { get; init; }
        public double PeakDepthCm { get; init; }
        public DateTimeOffset? ClearedAt { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public int? AcknowledgedByUserId { get; init; }
        public long? IncidentId { get; init; }

        public WaterAlarmView ToView() => new(Id, WaterPointId, PointCode, PointName, PointNameZh, GridId, ((WaterAlarmKind)Kind).ToString(),
            RaisedAt, DepthCm, PeakDepthCm, ClearedAt, AcknowledgedAt, AcknowledgedByUserId, IncidentId,
            AlertLifecycle.SecondsToAcknowledge(RaisedAt, AcknowledgedAt));
    }
}

/// <summary>
/// Acknowledges or dismisses a camera alert (an operator's action, audited in its transaction). Idempotent: acting again
/// answers the current state and writes nothing; dismissing an alert turned into an incident is a <see cref="ConflictException"/>.
/// Null when there is no such alert in the actor's community.
/// </summary>
public sealed class CameraAlertActionHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    public async Task<CameraAlertView?> HandleAsync(long id, AlertAction action, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var (view, changed) = await db.WriteAsync(async (c, tx) =>
        {
            var row = await ReadAsync(c, tx, id, ct).ConfigureAwait(false);
            if (row is null || !actor.Sees(row.CommunityId)) return ((CameraAlertView?)null, false);
            switch (AlertLifecycle.Decide((AlertStatus)row.Status, action))
            {
                case ActionOutcome.Conflict:
                    throw new ConflictException("status", $"Alert {id} is {(AlertStatus)row.Status} already; it cannot be dismissed.");
                case ActionOutcome.AlreadyDone:
                    return (row.ToView(), false);
            }

            var sql = action == AlertAction.Dismiss ? CameraAlertSql.Dismiss : CameraAlertSql.Acknowledge;
            var args = new DynamicParameters(AlarmRows.StatusArgs);
            args.AddDynamicParams(new { Id = id, At = now, UserId = AlarmRows.UserIdOf(actor) });
            await c.ExecuteAsync(Cmd(sql, args, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, action == AlertAction.Dismiss ? "alert.dismissed" : "alert.acknowledged",
                "camera-alert", id, new { from = ((AlertStatus)row.Status).ToString() }, ct).ConfigureAwait(false);
            return ((await ReadAsync(c, tx, id, ct).ConfigureAwait(false))!.ToView(), true);
        }, ct).ConfigureAwait(false);

        if (changed && view is not null)
        {
            sink.Publish(new AlarmHandledEvent(AlarmSource.CameraAlert, id, Enum.Parse<AlertStatus>(view.Status), now));
        }

        return view;
    }

    private Task<AlarmRows.AlertRow?> ReadAsync(DbConnection c, DbTransaction tx, long id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<AlarmRows.AlertRow>(Cmd(db.Pick(CameraAlertSql.ById_Sqlite, CameraAlertSql.ById_SqlServer), new { Id = id }, tx, ct));
}

/// <summary>
/// Acknowledges a waterlogging alarm (audited). Acknowledging again answers the current state and writes nothing (200).
/// Null when there is no such alarm in the actor's community.
/// </summary>
public sealed class AcknowledgeWaterAlarmHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    public async Task<WaterAlarmView?> HandleAsync(long id, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var (view, changed) = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<AlarmRows.WaterRow>(Cmd(WaterAlarmSql.ById, new { Id = id }, tx, ct)).ConfigureAwait(false);
            if (row is null || !actor.Sees(row.CommunityId)) return ((WaterAlarmView?)null, false);
            if (row.AcknowledgedAt is not null) return (row.ToView(), false);
            await c.ExecuteAsync(Cmd(WaterAlarmSql.Acknowledge, new { Id = id, At = now, UserId = AlarmRows.UserIdOf(actor) }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "water-alarm.acknowledged", "water-alarm", id, null, ct).ConfigureAwait(false);
            row = await c.QuerySingleAsync<AlarmRows.WaterRow>(Cmd(WaterAlarmSql.ById, new { Id = id }, tx, ct)).ConfigureAwait(false);
            return (row.ToView(), true);
        }, ct).ConfigureAwait(false);

        if (changed) sink.Publish(new AlarmHandledEvent(AlarmSource.WaterAlarm, id, AlertStatus.Acknowledged, now));
        return view;
    }
}

/// <summary>The alarm lists, cut to the caller's community.</summary>
public sealed class AlarmQueries(DbConnectionFactory db)
{
    public const int MaxLimit = 500;

    /// <summary><paramref name="status"/>: New, Acknowledged, Dismissed, Converted, or <c>open</c> (New and Acknowledged); null for all.</summary>
    public async Task<IReadOnlyList<CameraAlertView>> CameraAlertsAsync(string? status, string? kind, string? cameraCode, int? limit, int? communityId, CancellationToken ct = default)
    {
        var v = new Validator();
        int? statusValue = null;
        var open = false;
        if (string.Equals(status, "open", StringComparison.OrdinalIgnoreCase)) open = true;
        else if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<AlertStatus>(status, true, out var s) && Enum.IsDefined(s) && !int.TryParse(status, out _)) statusValue = (int)s;
            else v.Add("status", $"'{Validator.Quote(status)}' is not a status; use open, New, Acknowledged, Dismissed or Converted.");
        }

        var top = CheckLimit(v, limit);
        v.ThrowIfInvalid();
        var args = new DynamicParameters(AlarmRows.StatusArgs);
        args.AddDynamicParams(new { CommunityId = communityId, Status = statusValue, Open = open ? 1 : 0, Kind = Blank(kind), CameraCode = Blank(cameraCode), Limit = top });
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AlarmRows.AlertRow>(Cmd(db.Pick(CameraAlertSql.List_Sqlite, CameraAlertSql.List_SqlServer), args, null, ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToView())];
    }

    /// <summary><paramref name="open"/>: only the alarms not yet cleared or not yet acknowledged.</summary>
    public async Task<IReadOnlyList<WaterAlarmView>> WaterAlarmsAsync(bool open, string? pointCode, int? limit, int? communityId, CancellationToken ct = default)
    {
        var v = new Validator();
        var top = CheckLimit(v, limit);
        v.ThrowIfInvalid();
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AlarmRows.WaterRow>(Cmd(db.Pick(WaterAlarmSql.List_Sqlite, WaterAlarmSql.List_SqlServer),
            new { CommunityId = communityId, Open = open ? 1 : 0, PointCode = Blank(pointCode), Limit = top }, null, ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToView())];
    }

    private static int CheckLimit(Validator v, int? limit)
    {
        if (limit is < 1 or > MaxLimit) v.Add("limit", $"must be between 1 and {MaxLimit}.");
        return limit ?? 100;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
