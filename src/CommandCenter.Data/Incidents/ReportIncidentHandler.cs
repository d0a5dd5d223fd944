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

/// <summary>
/// Reports an incident: validate (Domain) → write incident, first step-log row and audit in one transaction →
/// commit → publish. Returns only after the commit, so whatever it acknowledges is durable. HTTP, the simulator
/// and (later) MQTT and jobs call it alike.
/// </summary>
public sealed class ReportIncidentHandler(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock, ILogger<ReportIncidentHandler> logger)
{
    public Task<IncidentAccepted> HandleAsync(ReportIncident input, Actor actor, CancellationToken ct = default) =>
        HandleAsync(input, actor, staffId: null, ct);

    /// <summary>
    /// Reports as <paramref name="actor"/>, attributed to the staff member <paramref name="staffId"/> when a staff member
    /// reports (field API, /field, an operator linked to a staff record): the first timeline row then carries the staff id
    /// and <c>ActorKind = 'Staff'</c>, as every later action of that person does.
    /// </summary>
    public async Task<IncidentAccepted> HandleAsync(ReportIncident input, Actor actor, int? staffId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var r = input.Validate(now);
        var caller = CallerOf(actor);
        var (accepted, published) = await db.WriteAsync(async (c, tx) =>
        {
            // The grid first: a caller is told about nothing outside its community, stored incidents included.
            await RequireGridAsync(c, tx, r.GridId, "gridId", actor, ct).ConfigureAwait(false);
            if (r.ExternalId is not null)
            {
                // Idempotency keys are per caller: another caller's id neither answers for nor blocks this one. A replay
                // counts as one only when it says the same; the same id for a different incident is a conflict.
                var existing = await c.QuerySingleOrDefaultAsync<IncidentRow>(Cmd(db.Pick(IncidentSql.ByExternalId_Sqlite, IncidentSql.ByExternalId_SqlServer),
                    new { Caller = caller, r.ExternalId }, tx, ct)).ConfigureAwait(false);
                if (existing is not null)
                {
                    if (!SameAs(existing, r, input.ReportedAt is not null))
                    {
                        throw new ConflictException("externalId", $"'{Validator.Quote(r.ExternalId)}' was used for a different incident.");
                    }

                    return (new IncidentAccepted(existing.Id, existing.Number, ((IncidentStep)existing.Step).ToString(), existing.ReportedAt, existing.DueAt, true), (IncidentEvent?)null);
                }
            }

            var id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentSql.Insert_Sqlite, IncidentSql.Insert_SqlServer), new
            {
                Number = "pending-" + Guid.NewGuid().ToString("N"),
                r.Category,
                r.GridId,
                Source = (int)r.Source,
                r.ReporterName,
                r.ReporterPhone,
                r.Title,
                r.Description,
                r.Address,
                r.Lon,
                r.Lat,
                Step = (int)IncidentStep.Reported,
                Cycle = (int)IncidentCycle.Micro,
                r.ReportedAt,
                r.DueAt,
                UpdatedAt = now,
                r.ExternalId,
                Caller = caller,
                Priority = (int)r.Priority,
                r.Building,
                r.BuildingUnit,
                PhotoLinks = r.PhotoLinks.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(r.PhotoLinks),
                r.ReporterEmail,
                r.ReporterDeviceId,
                r.ReporterAccountId,
            }, tx, ct)).ConfigureAwait(false);
            var number = IncidentNumbers.Format(clock.LocalDate(r.ReportedAt), id);
            await c.ExecuteAsync(Cmd(IncidentSql.SetNumber, new { Number = number, Id = id }, tx, ct)).ConfigureAwait(false);
            var sequence = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(IncidentSql.InsertReportLog_Sqlite, IncidentSql.InsertReportLog_SqlServer), new
            {
                IncidentId = id,
                Step = (int)IncidentStep.Reported,
                At = now,
                Actor = r.ReporterName,
                Note = (string?)null,
                ActorKind = staffId is null ? actor.Kind.ToString() : "Staff",
                ActorId = Cut(actor.Id, 100),
                UserId = UserIdOf(actor),
                StaffId = staffId,
                Version = 1,
            }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "incident.reported", "incident", id,
                new { number, category = r.Category, gridId = r.GridId, source = r.Source.ToString() }, ct).ConfigureAwait(false);
            var e = new IncidentEvent(id, number, r.Category, r.GridId, r.Title, IncidentStep.Reported, null, r.ReportedAt, r.DueAt, now) { Sequence = sequence };
            return (new IncidentAccepted(id, number, IncidentStep.Reported.ToString(), r.ReportedAt, r.DueAt, false), (IncidentEvent?)e);
        }, ct).ConfigureAwait(false);

        if (published is not null)
        {
            sink.Publish(published);
            logger.LogInformation("Incident {Number} reported in grid {GridId} ({Category}, {Source})", accepted.Number, r.GridId, r.Category, r.Source);
        }

        return accepted;
    }

    private static int? UserIdOf(Actor actor) =>
        actor.Kind == ActorKind.User && int.TryParse(actor.Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>Whether a report says what a stored incident says (its time only when the report gives one: a retry without it is "now" again).</summary>
    private static bool SameAs(IncidentRow row, ValidReport r, bool compareReportedAt) =>
        row.Category == r.Category && row.GridId == r.GridId && row.Source == (int)r.Source && row.ReporterName == r.ReporterName
        && row.ReporterPhone == r.ReporterPhone && row.Title == r.Title && row.Description == r.Description && row.Address == r.Address
        && row.Lon == r.Lon && row.Lat == r.Lat && (!compareReportedAt || row.ReportedAt == r.ReportedAt);
}
