using System.Text.Json;
using CommandCenter.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Data.Street;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using Dapper;

namespace CommandCenter.Data.Incidents;

/// <summary>An incident as Open311 shows it: no reporter, the place's names in both languages, the cycle for the agency.</summary>
public sealed class Open311Row
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public string Category { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public int Step { get; init; }
    public int Cycle { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string GridCode { get; init; } = "";
    public string GridName { get; init; } = "";
    public string GridNameZh { get; init; } = "";
    public string CommunityName { get; init; } = "";
    public string CommunityNameZh { get; init; } = "";
    /// <summary>The incident's photo links (JSON array): the first is <c>media_url</c>.</summary>
    public string? PhotoLinks { get; init; }
    /// <summary>The latest timeline row: its action (null for the report), the step and cycle it led to, and its note.</summary>
    public int? LastAction { get; init; }
    public int? LastStep { get; init; }
    public int? LastToCycle { get; init; }
    public string? LastNote { get; init; }

    /// <summary>The first photo link, when it is an absolute http(s) URL (the schema's <c>uri</c>).</summary>
    public string? MediaUrl()
    {
        if (string.IsNullOrEmpty(PhotoLinks)) return null;
        try
        {
            return JsonSerializer.Deserialize<List<string>>(PhotoLinks)?.FirstOrDefault(l =>
                Uri.TryCreate(l, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The reads of Open311 GeoReport v2: service requests by number or by filter, and the grid a report falls in. Every
/// query is cut by the caller's community, as <see cref="IncidentQueries"/> is: another community's rows do not exist
/// for a scoped caller.
/// </summary>
public sealed class Open311Queries(DbConnectionFactory db)
{
    /// <summary>One request by its number (<c>service_request_id</c>), or null if unknown to the caller.</summary>
    public async Task<Open311Row?> GetAsync(string number, int? communityId, CancellationToken ct = default) =>
        (await ListAsync(new Open311Filter([number], null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, true, true), communityId, ct).ConfigureAwait(false))
        .FirstOrDefault();

    /// <summary>The requests of a filter, newest first, at most <see cref="Open311.MaxResults"/>.</summary>
    public async Task<IReadOnlyList<Open311Row>> ListAsync(Open311Filter filter, int? communityId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        if (filter.Ids.Count > 0)
        {
            var rows = await c.QueryAsync<Open311Row>(new CommandDefinition(db.Pick(Open311Sql.ByNumbers_Sqlite, Open311Sql.ByNumbers_SqlServer),
                new { Numbers = JsonSerializer.Serialize(filter.Ids), CommunityId = communityId }, cancellationToken: ct)).ConfigureAwait(false);
            return rows.ToList();
        }

        if (!filter.Open && !filter.Closed)
        {
            return [];
        }

        var list = await c.QueryAsync<Open311Row>(new CommandDefinition(db.Pick(Open311Sql.List_Sqlite, Open311Sql.List_SqlServer), new
        {
            filter.Start,
            filter.End,
            Category = filter.ServiceCode,
            OpenOnly = filter.Open && !filter.Closed ? 1 : 0,
            ClosedOnly = filter.Closed && !filter.Open ? 1 : 0,
            CommunityId = communityId,
            Top = Open311.MaxResults,
        }, cancellationToken: ct)).ConfigureAwait(false);
        return list.ToList();
    }

    /// <summary>
    /// The grid whose boundary holds the point, among the grids the caller may report to; null if none does. A grid
    /// whose stored boundary cannot be read is skipped (the board draws it without one too).
    /// </summary>
    public async Task<int?> GridAtAsync(double lon, double lat, int? communityId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var grids = await c.QueryAsync<GridBoundaryRow>(new CommandDefinition(Open311Sql.GridBoundaries, new { CommunityId = communityId }, cancellationToken: ct)).ConfigureAwait(false);
        foreach (var g in grids)
        {
            IReadOnlyList<double[]> ring;
            try
            {
                ring = BoardLoader.ParseRing(g.BoundaryGeoJson);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                continue;
            }

            if (ring.Count >= 3 && PolygonGeometry.Contains(ring, lon, lat))
            {
                return g.Id;
            }
        }

        return null;
    }

    /// <summary>The grid of a code (<c>address_id</c>), among the grids the caller may report to; null if none.</summary>
    public async Task<int?> GridByCodeAsync(string code, int? communityId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<int?>(new CommandDefinition(Open311Sql.GridByCode, new { Code = code, CommunityId = communityId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    private sealed class GridBoundaryRow
    {
        public int Id { get; init; }
        public string? BoundaryGeoJson { get; init; }
    }
}

/// <summary>The SQL of the Open311 reads; <c>_Sqlite</c> / <c>_SqlServer</c> variants where the engines differ (JSON lists, paging).</summary>
public static class Open311Sql
{
    private const string Scope = "(@CommunityId IS NULL OR g.CommunityId = @CommunityId)";

    /// <summary>@Numbers is a JSON array of incident numbers.</summary>
    public const string ByNumbers_Sqlite = "SELECT " + ListColumns + "WHERE i.Number IN (SELECT value FROM json_each(@Numbers)) AND " + Scope + " ORDER BY i.ReportedAt DESC, i.Id DESC";

    public const string ByNumbers_SqlServer = "SELECT " + ListColumns + "WHERE i.Number IN (SELECT value FROM OPENJSON(@Numbers)) AND " + Scope + " ORDER BY i.ReportedAt DESC, i.Id DESC";

    /// <summary>
    /// The columns Open311 shows (never the reporter's name, phone or e-mail), with the latest timeline row (by id, through
    /// IX_IncidentStepLog_IncidentId) for <c>status_notes</c>.
    /// </summary>
    private const string ListColumns =
        "i.Id, i.Number, i.Category, i.Title, i.Description, i.Address, i.Lon, i.Lat, i.Step, i.Cycle, i.ReportedAt, i.DueAt, i.ClosedAt, i.UpdatedAt, " +
        "i.PhotoLinks, l.LoopAction AS LastAction, l.Step AS LastStep, l.ToCycle AS LastToCycle, l.Note AS LastNote, " +
        "g.Code AS GridCode, g.Name AS GridName, g.NameZh AS GridNameZh, c.Name AS CommunityName, c.NameZh AS CommunityNameZh " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId JOIN Community c ON c.Id = g.CommunityId " +
        "LEFT JOIN IncidentStepLog l ON l.Id = (SELECT MAX(l2.Id) FROM IncidentStepLog l2 WHERE l2.IncidentId = i.Id) ";

    private const string ListWhere =
        "WHERE i.ReportedAt >= @Start AND i.ReportedAt <= @End AND " + Scope + " AND (@Category IS NULL OR i.Category = @Category) " +
        "AND (@OpenOnly = 0 OR i.Step < " + SqlEnums.StepClosed + ") AND (@ClosedOnly = 0 OR i.Step = " + SqlEnums.StepClosed + ") " +
        "ORDER BY i.ReportedAt DESC, i.Id DESC";

    public const string List_Sqlite = "SELECT " + ListColumns + ListWhere + " LIMIT @Top";

    public const string List_SqlServer = "SELECT TOP (@Top) " + ListColumns + ListWhere;

    public const string GridBoundaries = "SELECT g.Id, g.BoundaryGeoJson FROM Grid g WHERE g.BoundaryGeoJson IS NOT NULL AND " + Scope + " ORDER BY g.Id";

    public const string GridByCode = "SELECT g.Id FROM Grid g WHERE g.Code = @Code AND " + Scope;
}
