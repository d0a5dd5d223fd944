using System.Data.Common;
using System.Globalization;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Ingestion;

/// <summary>
/// The one way data enters: validate → write in one transaction → commit → publish to the live board.
/// HTTP endpoints, the simulator and (later) MQTT and Quartz jobs all call this.
/// A method returns only after the commit, so whatever it acknowledges is durable.
/// </summary>
public sealed class IngestionService(
    DbConnectionFactory db,
    ILiveEventSink sink,
    BoardClock clock,
    ILogger<IngestionService> logger)
{
    public const int MaxReadingsPerBatch = 5000;
    public static readonly Actor SystemActor = Actor.System("system");
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<IncidentAccepted> ReportIncidentAsync(ReportIncident input, CancellationToken ct = default) => ReportIncidentAsync(input, SystemActor, ct);

    public async Task<IncidentAccepted> ReportIncidentAsync(ReportIncident input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var category = v.RequiredText("category", input.Category, 64);
        if (category is not null && !IncidentCategories.IsKnown(category))
        {
            v.Add("category", $"'{category}' is not a known category; use one of: {string.Join(", ", IncidentCategories.All.Select(c => c.Entry.Code))}.");
        }

        var gridId = v.Required("gridId", input.GridId);
        IncidentSource source = IncidentSource.GridPatrol;
        if (string.IsNullOrWhiteSpace(input.Source)) v.Add("source", "is required.");
        else if (!Enum.TryParse(input.Source, ignoreCase: true, out source) || !Enum.IsDefined(source) || int.TryParse(input.Source, out _))
        {
            v.Add("source", $"'{input.Source}' is not a known source; use one of: {string.Join(", ", Enum.GetNames<IncidentSource>())}.");
        }

        var reporter = v.RequiredText("reporterName", input.ReporterName, 100);
        var phone = v.OptionalText("reporterPhone", input.ReporterPhone, 32);
        var title = v.RequiredText("title", input.Title, 200);
        var description = v.OptionalText("description", input.Description, 4000) ?? "";
        var address = v.OptionalText("address", input.Address, 300);
        var externalId = v.OptionalText("externalId", input.ExternalId, 100);
        v.Coordinates("", input.Lon, input.Lat);
        var reportedAt = v.Instant("reportedAt", input.ReportedAt, now, MaxAge);
        v.ThrowIfInvalid();

        var dueAt = IncidentCategories.DueAt(category!, reportedAt);
        var (accepted, published) = await db.WriteAsync(async (c, tx) =>
        {
            if (externalId is not null)
            {
                var existing = await c.QuerySingleOrDefaultAsync<IncidentRow>(Cmd(IngestionSql.IncidentByExternalId, new { ExternalId = externalId }, tx, ct)).ConfigureAwait(false);
                if (existing is not null)
                {
                    return (new IncidentAccepted(existing.Id, existing.Number, ((IncidentStep)existing.Step).ToString(), existing.ReportedAt, existing.DueAt, true), (IncidentEvent?)null);
                }
            }

            await RequireGridAsync(c, tx, gridId!.Value, "gridId", actor, ct).ConfigureAwait(false);
            var id = await c.ExecuteScalarAsync<long>(Cmd(db.IsSqlite ? IngestionSql.InsertIncident_Sqlite : IngestionSql.InsertIncident_SqlServer, new
            {
                Number = "pending-" + Guid.NewGuid().ToString("N"),
                Category = category,
                GridId = gridId,
                Source = (int)source,
                ReporterName = reporter,
                ReporterPhone = phone,
                Title = title,
                Description = description,
                Address = address,
                input.Lon,
                input.Lat,
                Step = (int)IncidentStep.Reported,
                Cycle = (int)IncidentCycle.Micro,
                ReportedAt = reportedAt,
                DueAt = dueAt,
                UpdatedAt = now,
                ExternalId = externalId,
            }, tx, ct)).ConfigureAwait(false);
            var number = IncidentNumber(reportedAt, id);
            await c.ExecuteAsync(Cmd(IngestionSql.SetIncidentNumber, new { Number = number, Id = id }, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(IngestionSql.InsertStepLog, new { IncidentId = id, Step = (int)IncidentStep.Reported, At = now, Actor = reporter, Note = (string?)null }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "incident.reported", "incident", id, new { number, category, gridId, source = source.ToString() }, ct).ConfigureAwait(false);
            var e = new IncidentEvent(id, number, category!, gridId!.Value, title!, IncidentStep.Reported, null, reportedAt, dueAt, now);
            return (new IncidentAccepted(id, number, IncidentStep.Reported.ToString(), reportedAt, dueAt, false), (IncidentEvent?)e);
        }, ct).ConfigureAwait(false);

        if (published is not null)
        {
            sink.Publish(published);
            logger.LogInformation("Incident {Number} reported in grid {GridId} ({Category}, {Source})", accepted.Number, gridId, category, source);
        }

        return accepted;
    }

    /// <summary>Moves an incident one step along the closed loop. Returns the new step, or null if it is unknown or closed.</summary>
    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<IncidentStep?> AdvanceIncidentAsync(AdvanceIncident input, CancellationToken ct = default) => AdvanceIncidentAsync(input, SystemActor, ct);

    public async Task<IncidentStep?> AdvanceIncidentAsync(AdvanceIncident input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var e = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<IncidentRow>(Cmd(IngestionSql.IncidentForAdvance, new { Id = input.IncidentId }, tx, ct)).ConfigureAwait(false);
            if (row is null || !InScope(actor, row.CommunityId) || IncidentSteps.Next((IncidentStep)row.Step) is not { } next)
            {
                return null;
            }

            var changed = await c.ExecuteAsync(Cmd(IngestionSql.AdvanceIncident, new
            {
                Id = row.Id,
                Step = (int)next,
                At = now,
                ClosedAt = next == IncidentStep.Closed ? now : (DateTimeOffset?)null,
                row.RowVersion,
            }, tx, ct)).ConfigureAwait(false);
            if (changed != 1)
            {
                return null;
            }

            await c.ExecuteAsync(Cmd(IngestionSql.InsertStepLog, new { IncidentId = row.Id, Step = (int)next, At = now, input.Actor, input.Note }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "incident.advanced", "incident", row.Id, new { number = row.Number, from = ((IncidentStep)row.Step).ToString(), to = next.ToString(), note = input.Note }, ct).ConfigureAwait(false);
            return new IncidentEvent(row.Id, row.Number, row.Category, row.GridId, row.Title, next, (IncidentStep)row.Step, row.ReportedAt, row.DueAt, now);
        }, ct).ConfigureAwait(false);

        if (e is null)
        {
            return null;
        }

        sink.Publish(e);
        return e.Step;
    }

    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<ReadingsAccepted> RecordReadingsAsync(RecordReadings input, CancellationToken ct = default) => RecordReadingsAsync(input, SystemActor, ct);

    public async Task<ReadingsAccepted> RecordReadingsAsync(RecordReadings input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        if (input.Readings is null || input.Readings.Count == 0)
        {
            v.Add("readings", "must hold at least one reading.");
            v.ThrowIfInvalid();
        }

        if (input.Readings!.Count > MaxReadingsPerBatch)
        {
            v.Add("readings", $"must hold at most {MaxReadingsPerBatch} readings per batch.");
            v.ThrowIfInvalid();
        }

        var points = await PointsByCodeAsync(ct).ConfigureAwait(false);
        var rows = new List<Reading>(input.Readings.Count);
        for (var i = 0; i < input.Readings.Count; i++)
        {
            var r = input.Readings[i];
            var path = $"readings[{i}].";
            if (r is null)
            {
                v.Add($"readings[{i}]", "must be an object.");
                continue;
            }

            var code = v.RequiredText(path + "sensorId", r.SensorId, 64);
            var depth = v.Required(path + "depthCm", r.DepthCm);
            if (depth is < 0 or > 500) v.Add(path + "depthCm", "must be between 0 and 500.");
            var at = v.Instant(path + "measuredAt", r.MeasuredAt, now, MaxAge);
            if (code is not null && (!points.TryGetValue(code, out var known) || !InScope(actor, known.CommunityId))) v.Add(path + "sensorId", $"'{code}' is not a known sensor.");
            if (code is not null && depth is not null && points.TryGetValue(code, out var p) && InScope(actor, p.CommunityId))
            {
                rows.Add(new Reading(p.Id, depth.Value, at));
            }
        }

        v.ThrowIfInvalid();
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(IngestionSql.InsertReading,
                rows.Select(r => new { r.WaterPointId, r.DepthCm, r.MeasuredAt, ReceivedAt = now }), tx, ct)).ConfigureAwait(false);
            return rows.Count;
        }, ct).ConfigureAwait(false);
        sink.Publish(new ReadingsEvent(rows));
        return new ReadingsAccepted(rows.Count);
    }

    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<AlertAccepted> RaiseCameraAlertAsync(RaiseCameraAlert input, CancellationToken ct = default) => RaiseCameraAlertAsync(input, SystemActor, ct);

    public async Task<AlertAccepted> RaiseCameraAlertAsync(RaiseCameraAlert input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var code = v.RequiredText("cameraId", input.CameraId, 64);
        var kind = v.RequiredText("kind", input.Kind, 64);
        if (kind is not null && !AlertKinds.IsKnown(kind))
        {
            v.Add("kind", $"'{kind}' is not a known alert kind; use one of: {string.Join(", ", AlertKinds.All.Select(k => k.Code))}.");
        }

        var confidence = input.Confidence ?? 1.0;
        if (confidence is < 0 or > 1 || double.IsNaN(confidence)) v.Add("confidence", "must be between 0 and 1.");
        var occurredAt = v.Instant("occurredAt", input.OccurredAt, now, MaxAge);
        var externalId = v.OptionalText("externalId", input.ExternalId, 100);
        v.ThrowIfInvalid();

        var statusChange = kind is AlertKinds.CameraOffline or AlertKinds.CameraOnline;
        var (result, alertEvent, statusEvent) = await db.WriteAsync(async (c, tx) =>
        {
            var cam = await c.QuerySingleOrDefaultAsync<CameraRow>(Cmd(IngestionSql.CameraByCode, new { Code = code }, tx, ct)).ConfigureAwait(false);
            if (cam is null || !InScope(actor, cam.CommunityId))
            {
                Fail("cameraId", $"'{code}' is not a known camera.");
            }

            if (externalId is not null)
            {
                var existing = await c.ExecuteScalarAsync<long?>(Cmd(IngestionSql.AlertByExternalId, new { ExternalId = externalId, CameraId = cam!.Id }, tx, ct)).ConfigureAwait(false);
                if (existing is not null)
                {
                    return (new AlertAccepted(existing.Value, true), (CameraAlertEvent?)null, (CameraStatusEvent?)null);
                }
            }

            var id = await c.ExecuteScalarAsync<long>(Cmd(db.IsSqlite ? IngestionSql.InsertAlert_Sqlite : IngestionSql.InsertAlert_SqlServer, new
            {
                CameraId = cam!.Id,
                Kind = kind,
                Confidence = confidence,
                OccurredAt = occurredAt,
                ReceivedAt = now,
                Status = (int)(statusChange ? AlertStatus.Acknowledged : AlertStatus.New),
                ExternalId = externalId,
            }, tx, ct)).ConfigureAwait(false);
            CameraStatusEvent? status = null;
            if (statusChange)
            {
                var online = kind == AlertKinds.CameraOnline;
                await c.ExecuteAsync(Cmd(IngestionSql.SetCameraStatus, new { IsOnline = online, At = occurredAt, cam.Id }, tx, ct)).ConfigureAwait(false);
                status = new CameraStatusEvent(cam.Id, online, occurredAt);
            }

            return (new AlertAccepted(id, false), new CameraAlertEvent(id, cam.Id, kind!, confidence, occurredAt), status);
        }, ct).ConfigureAwait(false);

        if (statusEvent is not null) sink.Publish(statusEvent);
        if (alertEvent is not null) sink.Publish(alertEvent);
        return result;
    }

    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<Accepted> CheckInPatrolAsync(CheckInPatrol input, CancellationToken ct = default) => CheckInPatrolAsync(input, SystemActor, ct);

    public async Task<Accepted> CheckInPatrolAsync(CheckInPatrol input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var gridId = v.Required("gridId", input.GridId);
        var at = v.Instant("checkedInAt", input.CheckedInAt, now, MaxAge);
        v.Coordinates("", input.Lon, input.Lat);
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var id = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, ct).ConfigureAwait(false);
            await RequireGridAsync(c, tx, gridId!.Value, "gridId", actor, ct).ConfigureAwait(false);
            return await c.ExecuteScalarAsync<long>(Cmd(db.IsSqlite ? IngestionSql.InsertPatrol_Sqlite : IngestionSql.InsertPatrol_SqlServer,
                new { StaffId = staffId, GridId = gridId, CheckedInAt = at, input.Lon, input.Lat, Note = note }, tx, ct)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        sink.Publish(new PatrolEvent(gridId!.Value, staffId!.Value, at));
        return new Accepted(id);
    }

    /// <summary>As the system (the simulator, jobs).</summary>
    public Task<Accepted> RecordVisitAsync(RecordVisit input, CancellationToken ct = default) => RecordVisitAsync(input, SystemActor, ct);

    public async Task<Accepted> RecordVisitAsync(RecordVisit input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var householdId = v.Required("householdId", input.HouseholdId);
        var at = v.Instant("visitedAt", input.VisitedAt, now, MaxAge);
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var (id, household) = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, ct).ConfigureAwait(false);
            var h = await c.QuerySingleOrDefaultAsync<HouseholdRow>(Cmd(IngestionSql.HouseholdForVisit, new { Id = householdId }, tx, ct)).ConfigureAwait(false)
                ?? Fail<HouseholdRow>("householdId", $"{householdId} is not a known household.");
            if (!InScope(actor, h.CommunityId)) Fail("householdId", $"{householdId} is not a known household.");
            var newId = await c.ExecuteScalarAsync<long>(Cmd(db.IsSqlite ? IngestionSql.InsertVisit_Sqlite : IngestionSql.InsertVisit_SqlServer,
                new { StaffId = staffId, HouseholdId = householdId, VisitedAt = at, Note = note }, tx, ct)).ConfigureAwait(false);
            return (newId, h);
        }, ct).ConfigureAwait(false);
        sink.Publish(new VisitEvent(household.Id, household.GridId, household.KeyFlags != 0, at));
        return new Accepted(id);
    }

    public static string IncidentNumber(DateTimeOffset reportedAt, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"SJ{reportedAt.UtcDateTime:yyyyMMdd}{id:D6}");

    private readonly Lock _pointsLock = new();
    private Dictionary<string, (int Id, int CommunityId)>? _points;

    private async Task<Dictionary<string, (int Id, int CommunityId)>> PointsByCodeAsync(CancellationToken ct)
    {
        lock (_pointsLock)
        {
            if (_points is not null) return _points;
        }

        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var map = (await c.QueryAsync<(int Id, string Code, int CommunityId)>(Cmd(IngestionSql.WaterPointsByCode, null, null, ct)).ConfigureAwait(false))
            .ToDictionary(p => p.Code, p => (p.Id, p.CommunityId), StringComparer.OrdinalIgnoreCase);
        lock (_pointsLock)
        {
            _points = map;
        }

        return map;
    }

    /// <summary>Forgets cached reference data (after an import or seeding).</summary>
    public void InvalidateReferenceData()
    {
        lock (_pointsLock)
        {
            _points = null;
        }
    }

    /// <summary>The grid must exist and, for an actor scoped to a community, lie in it (else it is reported as unknown).</summary>
    private static async Task RequireGridAsync(DbConnection c, DbTransaction tx, int gridId, string field, Actor actor, CancellationToken ct)
    {
        var community = await c.ExecuteScalarAsync<int?>(Cmd(IngestionSql.GridCommunity, new { Id = gridId }, tx, ct)).ConfigureAwait(false);
        if (community is null || !InScope(actor, community.Value))
        {
            Fail(field, $"{gridId} is not a known grid.");
        }
    }

    private static bool InScope(Actor actor, int communityId) => actor.CommunityId is null || actor.CommunityId == communityId;

    private static async Task RequireStaffAsync(DbConnection c, DbTransaction tx, int staffId, CancellationToken ct)
    {
        if (await c.ExecuteScalarAsync<long>(Cmd(IngestionSql.StaffExists, new { Id = staffId }, tx, ct)).ConfigureAwait(false) == 0)
        {
            Fail("staffId", $"{staffId} is not a known active staff member.");
        }
    }

    private static void Fail(string field, string message) => Fail<object>(field, message);

    private static T Fail<T>(string field, string message) =>
        throw new InputValidationException(new Dictionary<string, string[]> { [field] = [message] });

    private static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    private sealed class IncidentRow
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public string Category { get; init; } = "";
        public int GridId { get; init; }
        public string Title { get; init; } = "";
        public int Step { get; init; }
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public long RowVersion { get; init; }
        public int CommunityId { get; init; }
    }

    private sealed class CameraRow
    {
        public int CommunityId { get; init; }
        public int Id { get; init; }
    }

    private sealed class HouseholdRow
    {
        public int CommunityId { get; init; }
        public long Id { get; init; }
        public int GridId { get; init; }
        public int KeyFlags { get; init; }
    }
}
