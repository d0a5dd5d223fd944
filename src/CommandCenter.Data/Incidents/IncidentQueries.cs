using CommandCenter.Data.Cameras;
using CommandCenter.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Dapper;

namespace CommandCenter.Data.Incidents;

public sealed record IncidentRowView(
    long Id, string Number, string Category, int GridId, string GridName, int CommunityId, string Title, string Step,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt);

public sealed record AlertRowView(
    long Id, string CameraCode, string CameraName, int GridId, int CommunityId, string Kind, double Confidence,
    DateTimeOffset OccurredAt, string Status)
{
    /// <summary>The Frigate event whose snapshot the console can link to (<see cref="CommandCenter.Domain.Cameras.FrigateSnapshot"/>); null: none.</summary>
    public string? SnapshotEventId { get; init; }
}

/// <summary>
/// Reads of incidents and alerts for people and keys. A community scope is part of every query's WHERE
/// clause, so a scoped reader cannot see another community's rows: they do not exist for it.
/// </summary>
public sealed class IncidentQueries(DbConnectionFactory db, TimeProvider time)
{
    public async Task<IReadOnlyList<IncidentRowView>> ListOpenAsync(int? communityId, int top = 200, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<IncidentRow>(new CommandDefinition(db.Pick(IncidentQuerySql.Open_Sqlite, IncidentQuerySql.Open_SqlServer),
            new { CommunityId = communityId, Top = Math.Clamp(top, 1, 1000) }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new IncidentRowView(r.Id, r.Number, r.Category, r.GridId, r.GridName, r.CommunityId, r.Title,
            ((IncidentStep)r.Step).ToString(), r.ReportedAt, r.DueAt)).ToList();
    }

    public async Task<IReadOnlyList<AlertRowView>> ListRecentAlertsAsync(int? communityId, int top = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AlertRow>(new CommandDefinition(db.Pick(IncidentQuerySql.Alerts_Sqlite, IncidentQuerySql.Alerts_SqlServer),
            new { CommunityId = communityId, Top = Math.Clamp(top, 1, 1000) }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(a => new AlertRowView(a.Id, a.CameraCode, a.CameraName, a.GridId, a.CommunityId, a.Kind, a.Confidence, a.OccurredAt,
            ((AlertStatus)a.Status).ToString())
        {
            SnapshotEventId = FrigateSnapshot.EventId(a.ExternalId, a.HasSnapshot),
        }).ToList();
    }

    /// <summary>An operator acknowledges or dismisses a new alert. False if unknown, out of scope, or no longer new.</summary>
    public async Task<bool> SetAlertStatusAsync(Actor actor, long alertId, AlertStatus status, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (status is not (AlertStatus.Acknowledged or AlertStatus.Dismissed))
        {
            throw new InputValidationException(new Dictionary<string, string[]> { ["status"] = ["must be Acknowledged or Dismissed."] });
        }

        return await AuditLog.ChangeAndAuditAsync(db, IncidentQuerySql.SetAlertStatus, new { Id = alertId, Status = (int)status, actor.CommunityId },
            actor, time.GetUtcNow(), status == AlertStatus.Acknowledged ? "alert.acknowledged" : "alert.dismissed", "camera-alert", alertId, ct).ConfigureAwait(false);
    }
}

public static class IncidentQuerySql
{
    private const string DetailColumns =
        "i.Id, i.Number, i.Category, i.GridId, g.Name AS GridName, g.CommunityId, i.Source, i.ReporterName, i.Title, i.Description, " +
        "i.Address, i.Lon, i.Lat, i.Step, i.ReportedAt, i.DueAt, i.ClosedAt, i.UpdatedAt FROM Incident i JOIN Grid g ON g.Id = i.GridId ";

    private const string OpenWhere = "WHERE i.Step < " + SqlEnums.StepClosed + " AND (@CommunityId IS NULL OR g.CommunityId = @CommunityId) ORDER BY i.DueAt";

    public const string Open_Sqlite = "SELECT " + DetailColumns + OpenWhere + " LIMIT @Top";

    public const string Open_SqlServer = "SELECT TOP (@Top) " + DetailColumns + OpenWhere;

    private const string AlertColumns =
        "a.Id, c.Code AS CameraCode, c.Name AS CameraName, c.GridId, g.CommunityId, a.Kind, a.Confidence, a.OccurredAt, a.Status, a.ExternalId, a.HasSnapshot " +
        "FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId " +
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) ORDER BY a.Id DESC";

    public const string Alerts_Sqlite = "SELECT " + AlertColumns + " LIMIT @Top";

    public const string Alerts_SqlServer = "SELECT TOP (@Top) " + AlertColumns;

    public const string SetAlertStatus =
        "UPDATE CameraAlert SET Status = @Status WHERE Id = @Id AND Status = " + SqlEnums.AlertNew + " AND " +
        "(@CommunityId IS NULL OR CameraId IN (SELECT c.Id FROM Camera c JOIN Grid g ON g.Id = c.GridId WHERE g.CommunityId = @CommunityId))";
}
