using System.Data.Common;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Incidents;

/// <summary>The incident an alert or alarm became; <see cref="Existing"/> when it had been converted already.</summary>
public sealed record ConvertedIncident(long IncidentId, string Number, string Step, DateTimeOffset ReportedAt, DateTimeOffset DueAt, bool Existing);

/// <summary>
/// Turns a camera alert or a waterlogging alarm into an incident with one action (issue 9): source Camera / Sensor,
/// the alert's grid and coordinates, a title from the kind; linked both ways (Incident.SourceAlertId / SourceAlarmId,
/// CameraAlert.IncidentId with status Converted, WaterAlarm.IncidentId), with the timeline's first row and the audit
/// row, in one transaction; then published to the board. Converting twice answers the incident made the first time.
/// </summary>
public sealed class ConvertToIncidentHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock, LoopSettingsProvider settingsProvider,
    ILogger<ConvertToIncidentHandler> logger)
{
    /// <summary>Null when the alert is unknown or outside the actor's community; 409 for a status alert (camera offline/online).</summary>
    public Task<ConvertedIncident?> ConvertCameraAlertAsync(long alertId, Actor actor, CancellationToken ct = default) =>
        ConvertAsync(actor, ct, async (c, tx) =>
        {
            var a = await c.QuerySingleOrDefaultAsync<AlertRow>(Cmd(db.Pick(ConversionSql.Alert_Sqlite, ConversionSql.Alert_SqlServer), new { Id = alertId }, tx, ct)).ConfigureAwait(false);
            if (a is null || !actor.Sees(a.CommunityId)) return null;
            var existing = a.IncidentId ?? await c.ExecuteScalarAsync<long?>(Cmd(ConversionSql.IncidentOfAlert, new { Id = alertId }, tx, ct)).ConfigureAwait(false);
            var category = SourceConversion.CategoryOf(a.Kind);
            if (existing is null && category is null)
            {
                throw new ConflictException("id", $"Alert {alertId} is a camera status ({a.Kind}), not a detection: it does not become an incident.");
            }

            return new Source(existing, category ?? "", a.GridId, a.Lon, a.Lat, IncidentSource.Camera, SourceConversion.PriorityOf(a.Kind),
                SourceConversion.CameraTitle(a.Kind, a.Name, a.NameZh),
                SourceConversion.CameraDescription(a.Kind, a.Code, a.Confidence, a.OccurredAt, a.RepeatCount),
                ConversionSql.SetIncidentAlert, ConversionSql.LinkAlert, alertId, "camera-alert", AlarmSource.CameraAlert, AlertStatus.Converted);
        });

    /// <summary>Null when the alarm is unknown or outside the actor's community.</summary>
    public Task<ConvertedIncident?> ConvertWaterAlarmAsync(long alarmId, Actor actor, CancellationToken ct = default) =>
        ConvertAsync(actor, ct, async (c, tx) =>
        {
            var a = await c.QuerySingleOrDefaultAsync<AlarmRow>(Cmd(db.Pick(ConversionSql.Alarm_Sqlite, ConversionSql.Alarm_SqlServer), new { Id = alarmId }, tx, ct)).ConfigureAwait(false);
            if (a is null || !actor.Sees(a.CommunityId)) return null;
            var existing = a.IncidentId ?? await c.ExecuteScalarAsync<long?>(Cmd(ConversionSql.IncidentOfAlarm, new { Id = alarmId }, tx, ct)).ConfigureAwait(false);
            return new Source(existing, SourceConversion.WaterCategory, a.GridId, a.Lon, a.Lat, IncidentSource.Sensor, SourceConversion.WaterPriorityOf(a.Kind),
                SourceConversion.WaterTitle(a.Kind, a.Name, a.NameZh),
                SourceConversion.WaterDescription(a.Code, a.DepthCm, a.PeakDepthCm, a.RaisedAt),
                ConversionSql.SetIncidentAlarm, ConversionSql.LinkAlarm, alarmId, "water-alarm", AlarmSource.WaterAlarm, AlertStatus.Acknowledged);
        });

    private sealed record Source(long? ExistingIncidentId, string Category, int GridId, double? Lon, double? Lat, IncidentSource Kind, IncidentPriority Priority,
        string Title, string Description, string SetIncidentSql, string LinkSourceSql, long SourceId, string SourceType,
        AlarmSource NoticeSource, AlertStatus StatusAfter);

    private async Task<ConvertedIncident?> ConvertAsync(Actor actor, CancellationToken ct, Func<DbConnection, DbTransaction, Task<Source?>> load)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var settings = await settingsProvider.GetAsync(ct).ConfigureAwait(false);
        var now = clock.Now;
        var (result, published) = await db.WriteAsync(async (c, tx) =>
        {
            var s = await load(c, tx).ConfigureAwait(false);
            if (s is null) return ((ConvertedIncident?)null, (Published?)null);
            if (s.ExistingIncidentId is { } existingId)
            {
                var row = await c.QuerySingleAsync<SummaryRow>(Cmd(ConversionSql.IncidentSummary, new { Id = existingId }, tx, ct)).ConfigureAwait(false);
                return (new ConvertedIncident(row.Id, row.Number, ((IncidentStep)row.Step).ToString(), row.ReportedAt, row.DueAt, true), null);
            }

            var dueAt = settings.Deadlines.DueAt(s.Category, IncidentCycle.Micro, now);
            var id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentSql.Insert_Sqlite, IncidentSql.Insert_SqlServer), new
            {
                Number = "pending-" + Guid.NewGuid().ToString("N"),
                s.Category,
                s.GridId,
                Source = (int)s.Kind,
                ReporterName = Cut(actor.Name, 100),
                ReporterPhone = (string?)null,
                s.Title,
                s.Description,
                Address = (string?)null,
                s.Lon,
                s.Lat,
                Step = (int)IncidentStep.Reported,
                Cycle = (int)IncidentCycle.Micro,
                ReportedAt = now,
                DueAt = dueAt,
                UpdatedAt = now,
                ExternalId = (string?)null,
                Caller = CallerOf(actor),
                Priority = (int)s.Priority,
                Building = (string?)null,
                BuildingUnit = (string?)null,
                PhotoLinks = (string?)null,
                ReporterEmail = (string?)null,
                ReporterDeviceId = (string?)null,
                ReporterAccountId = (string?)null,
            }, tx, ct)).ConfigureAwait(false);
            var number = IncidentNumbers.Format(clock.LocalDate(now), id);
            await c.ExecuteAsync(Cmd(IncidentSql.SetNumber, new { Number = number, Id = id }, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(s.SetIncidentSql, new { Id = id, s.SourceId }, tx, ct)).ConfigureAwait(false);
            if (await c.ExecuteAsync(Cmd(s.LinkSourceSql, new { Id = s.SourceId, IncidentId = id, At = now, UserId = AlarmRows.UserIdOf(actor) }, tx, ct)).ConfigureAwait(false) != 1)
            {
                throw new ConflictException("id", $"The {s.SourceType} {s.SourceId} was converted meanwhile. Reload it.");
            }

            var note = $"from {s.SourceType} {s.SourceId}";
            var sequence = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentSql.InsertStepLog_Sqlite, IncidentSql.InsertStepLog_SqlServer),
                new { IncidentId = id, Step = (int)IncidentStep.Reported, At = now, Actor = Cut(actor.Name, 100), Note = note }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "incident.converted", "incident", id,
                new { number, source = s.SourceType, sourceId = s.SourceId, category = s.Category, gridId = s.GridId }, ct).ConfigureAwait(false);
            var e = new IncidentEvent(id, number, s.Category, s.GridId, s.Title, IncidentStep.Reported, null, now, dueAt, now) { Sequence = sequence };
            // The alert's/alarm's notice goes down as it does when acknowledged (the row changed in this transaction).
            var handled = new AlarmHandledEvent(s.NoticeSource, s.SourceId, s.StatusAfter, now);
            return (new ConvertedIncident(id, number, IncidentStep.Reported.ToString(), now, dueAt, false), new Published(e, handled));
        }, ct).ConfigureAwait(false);

        if (published is not null)
        {
            sink.Publish(published.Incident);
            sink.Publish(published.Handled);
            logger.LogInformation("Incident {Number} made from {Source} by {Actor}", published.Incident.Number, published.Incident.Title, actor.Name);
        }

        return result;
    }

    private sealed record Published(IncidentEvent Incident, AlarmHandledEvent Handled);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private sealed class AlertRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public int RepeatCount { get; init; }
        public long? IncidentId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string? NameZh { get; init; }
        public int GridId { get; init; }
        public double? Lon { get; init; }
        public double? Lat { get; init; }
        public int CommunityId { get; init; }
    }

    private sealed class AlarmRow
    {
        public long Id { get; init; }
        public int Kind { get; init; }
        public DateTimeOffset RaisedAt { get; init; }
        public double DepthCm { get; init; }
        public double PeakDepthCm { get; init; }
        public long? IncidentId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string? NameZh { get; init; }
        public int GridId { get; init; }
        public double? Lon { get; init; }
        public double? Lat { get; init; }
        public int CommunityId { get; init; }
    }

    private sealed class SummaryRow
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public int Step { get; init; }
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
    }
}
