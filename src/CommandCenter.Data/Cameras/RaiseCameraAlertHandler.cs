using CommandCenter.Data.Infrastructure;
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
/// </summary>
public sealed class RaiseCameraAlertHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
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
        var (result, alertEvent, statusEvent) = await db.WriteAsync(async (c, tx) =>
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

                    return (new AlertAccepted(existing.Id, true), (CameraAlertEvent?)null, (CameraStatusEvent?)null);
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

            return (new AlertAccepted(id, false), new CameraAlertEvent(id, cam.Id, kind!, confidence, occurredAt) { Sequence = id }, status);
        }, ct).ConfigureAwait(false);

        if (statusEvent is not null) sink.Publish(statusEvent);
        if (alertEvent is not null) sink.Publish(alertEvent);
        return result;
    }

    private sealed class StoredAlert
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
    }
}
