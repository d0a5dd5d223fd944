using CommandCenter.Data.Alarms;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Cameras;

/// <summary>
/// Stores a camera's AI alert, or its going on- or offline (<c>camera_offline</c> / <c>camera_online</c>, which also
/// sets the camera's status). A retry by the same caller with the same <c>externalId</c> and
/// the same content returns the alert stored already; the same id with different content is a <see cref="ConflictException"/>.
/// A repeat of an open (New or Acknowledged) alert of the same camera and kind within <see cref="AlarmOptions.FoldWindow"/>
/// of its last occurrence folds into it (RepeatCount + 1, LastOccurredAt) and is answered with its id and <c>folded</c>; the repeat
/// is kept as a <c>CameraAlertRepeat</c> row (migration 0022) with its <c>externalId</c>, so a redelivered repeat is a duplicate
/// too (answered with the alert it folded into) and the fold reaches the live board as a <see cref="CameraAlertFoldedEvent"/>.
/// </summary>
public sealed class RaiseCameraAlertHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock, AlarmOptions? options = null)
{
    private readonly AlarmOptions _options = options ?? new AlarmOptions();

    public async Task<AlertAccepted> HandleAsync(RaiseCameraAlert input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var code = v.RequiredText("cameraId", input.CameraId, 64);
        var kind = v.RequiredText("kind", input.Kind, 64);
        if (kind is not null && !AlertKinds.IsKnown(kind))
        {
            v.Add("kind", $"'{Validator.Quote(kind)}' is not a known alert kind; use one of: {string.Join(", ", AlertKinds.All.Select(k => k.Code))}.");
        }

        var confidence = v.Finite("confidence", input.Confidence ?? 1.0) ?? 1.0;
        if (confidence is < 0 or > 1) v.Add("confidence", "must be between 0 and 1.");
        var occurredAt = v.Instant("occurredAt", input.OccurredAt, now, Validator.MaxAge);
        var externalId = v.OptionalText("externalId", input.ExternalId, 100);
        v.ThrowIfInvalid();

        var statusChange = kind is AlertKinds.CameraOffline or AlertKinds.CameraOnline;
        var caller = CallerOf(actor);
        var (result, alertEvent, statusEvent, foldEvent) = await db.WriteAsync(async (c, tx) =>
        {
            var cam = await c.QuerySingleOrDefaultAsync<CameraRow>(Cmd(CameraSql.ByCode, new { Code = code }, tx, ct)).ConfigureAwait(false);
            if (cam is null || !actor.Sees(cam.CommunityId))
            {
                throw InputValidationException.For("cameraId", $"'{Validator.Quote(code)}' is not a known camera.");
            }

            if (cam.RetiredAt is not null)
            {
                throw InputValidationException.For("cameraId", $"'{Validator.Quote(code)}' is retired: its events are no longer accepted.");
            }

            // Idempotency keys are per caller and camera: another caller's id neither answers for nor blocks this one.
            // A replay counts as one only when it says the same; the same id for a different alert is a conflict.
            if (externalId is not null)
            {
                var existing = await c.QuerySingleOrDefaultAsync<StoredAlert>(Cmd(db.Pick(CameraSql.AlertByExternalId_Sqlite, CameraSql.AlertByExternalId_SqlServer),
                    new { ExternalId = externalId, CameraId = cam.Id, Caller = caller }, tx, ct)).ConfigureAwait(false);
                if (existing is not null)
                {
                    if (existing.Kind != kind || existing.Confidence != confidence || (input.OccurredAt is not null && existing.OccurredAt != occurredAt))
                    {
                        throw new ConflictException("externalId", $"'{Validator.Quote(externalId)}' was used for a different alert of this camera.");
                    }

                    return (new AlertAccepted(existing.Id, true), (CameraAlertEvent?)null, (CameraStatusEvent?)null, (CameraAlertFoldedEvent?)null);
                }

                // A repeat folded earlier under this id: the same answer as then, and nothing counted again.
                var repeat = await c.QuerySingleOrDefaultAsync<StoredRepeat>(Cmd(db.Pick(CameraAlertSql.RepeatByExternalId_Sqlite, CameraAlertSql.RepeatByExternalId_SqlServer),
                    new { ExternalId = externalId, CameraId = cam.Id, Caller = caller }, tx, ct)).ConfigureAwait(false);
                if (repeat is not null)
                {
                    if (repeat.Kind != kind || repeat.Confidence != confidence || (input.OccurredAt is not null && repeat.OccurredAt != occurredAt))
                    {
                        throw new ConflictException("externalId", $"'{Validator.Quote(externalId)}' was used for a different alert of this camera.");
                    }

                    return (new AlertAccepted(repeat.AlertId, true, Folded: true), (CameraAlertEvent?)null, (CameraStatusEvent?)null, (CameraAlertFoldedEvent?)null);
                }
            }

            // A repeat of an open alert of this camera and kind within the fold window adds to its count (no new row).
            if (!statusChange && _options.FoldWindow > TimeSpan.Zero)
            {
                var window = _options.FoldWindow;
                var folded = await c.QuerySingleOrDefaultAsync<long?>(Cmd(db.Pick(CameraAlertSql.Foldable_Sqlite, CameraAlertSql.Foldable_SqlServer), new
                {
                    CameraId = cam.Id,
                    Kind = kind,
                    New = (int)AlertStatus.New,
                    Acknowledged = (int)AlertStatus.Acknowledged,
                    Since = occurredAt - window,
                    Until = occurredAt + window,
                }, tx, ct)).ConfigureAwait(false);
                if (folded is { } openId)
                {
                    await c.ExecuteAsync(Cmd(CameraAlertSql.Fold, new { Id = openId, OccurredAt = occurredAt }, tx, ct)).ConfigureAwait(false);
                    var repeatId = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(CameraAlertSql.InsertRepeat_Sqlite, CameraAlertSql.InsertRepeat_SqlServer), new
                    {
                        AlertId = openId,
                        CameraId = cam.Id,
                        Kind = kind,
                        Confidence = confidence,
                        OccurredAt = occurredAt,
                        ReceivedAt = now,
                        ExternalId = externalId,
                        Caller = caller,
                    }, tx, ct)).ConfigureAwait(false);
                    var state = await c.QuerySingleAsync<FoldState>(Cmd(CameraAlertSql.FoldState, new { Id = openId }, tx, ct)).ConfigureAwait(false);
                    return (new AlertAccepted(openId, false, Folded: true), (CameraAlertEvent?)null, (CameraStatusEvent?)null,
                        (CameraAlertFoldedEvent?)new CameraAlertFoldedEvent(openId, cam.Id, state.RepeatCount, state.LastOccurredAt) { Sequence = repeatId });
                }
            }

            var id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(CameraSql.InsertAlert_Sqlite, CameraSql.InsertAlert_SqlServer), new
            {
                CameraId = cam.Id,
                Kind = kind,
                Confidence = confidence,
                OccurredAt = occurredAt,
                ReceivedAt = now,
                Status = (int)(statusChange ? AlertStatus.Acknowledged : AlertStatus.New),
                ExternalId = externalId,
                Caller = caller,
                input.HasSnapshot,
            }, tx, ct)).ConfigureAwait(false);
            CameraStatusEvent? status = null;
            if (statusChange)
            {
                var online = kind == AlertKinds.CameraOnline;
                if (await c.ExecuteAsync(Cmd(CameraSql.SetStatus, new { IsOnline = online, At = occurredAt, cam.Id }, tx, ct)).ConfigureAwait(false) == 1)
                {
                    status = new CameraStatusEvent(cam.Id, online, occurredAt) { Sequence = id };
                }
            }

            return (new AlertAccepted(id, false), new CameraAlertEvent(id, cam.Id, kind!, confidence, occurredAt) { Sequence = id }, status, (CameraAlertFoldedEvent?)null);
        }, ct).ConfigureAwait(false);

        if (statusEvent is not null) sink.Publish(statusEvent);
        if (alertEvent is not null) sink.Publish(alertEvent);
        if (foldEvent is not null) sink.Publish(foldEvent);
        return result;
    }

    private sealed class StoredAlert
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed class StoredRepeat
    {
        public long AlertId { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed class FoldState
    {
        public int RepeatCount { get; init; }
        public DateTimeOffset LastOccurredAt { get; init; }
    }
}
