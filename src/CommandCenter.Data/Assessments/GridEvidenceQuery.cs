using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>What a grid's non-incident indicators count, as the review lists them.</summary>
public enum EvidenceKind
{
    /// <summary>Household visits and party members' contact visits (visit coverage, key households visited).</summary>
    Visits = 1,
    /// <summary>Patrol check-ins (patrol coverage).</summary>
    Patrols = 2,
    /// <summary>Camera alerts and waterlogging alarms, with their acknowledgement (minutes to acknowledge).</summary>
    Alerts = 3,
    /// <summary>Points earned in the grid (points per member).</summary>
    Points = 4,
}

/// <summary>
/// One row behind a grid's number. <see cref="Source"/>: <c>visit</c>, <c>contact</c>, <c>patrol</c>, <c>camera</c>,
/// <c>water</c> or <c>points</c>; <see cref="What"/> the room, the camera or water point, or the rule code;
/// <see cref="Detail"/> the alert kind; <see cref="KeyHousehold"/> for a key household.
/// </summary>
public sealed record EvidenceRow(
    string Source, DateTimeOffset At, string? Who, string What, string? WhatZh, string? Detail, DateTimeOffset? AcknowledgedAt, int? Points, bool KeyHousehold);

/// <summary>The rows behind one of a grid's numbers for a period (the earliest <see cref="Limit"/>), in time order.</summary>
public sealed record GridEvidence(EvidenceKind Kind, int GridId, Period Period, IReadOnlyList<EvidenceRow> Rows, bool Truncated);

/// <summary>
/// The review's drill-down from a grid's visit, patrol, alert and points indicators to the rows they count, for the
/// period [start, end) in the street's time zone. A community-scoped actor gets nothing for a grid outside its community.
/// </summary>
public sealed class GridEvidenceQuery(DbConnectionFactory db, BoardClock clock)
{
    public const int Limit = 300;

    public async Task<GridEvidence> GetAsync(EvidenceKind kind, int gridId, Period period, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        if (actor.CommunityId is { } community
            && await c.ExecuteScalarAsync<int?>(Cmd(GridEvidenceSql.GridCommunity, new { GridId = gridId }, null, ct)).ConfigureAwait(false) != community)
        {
            return new GridEvidence(kind, gridId, period, [], false);
        }

        var args = new { GridId = gridId, From = period.Start(clock.Zone), To = period.End(clock.Zone), Period = period.ToString(), Take = Limit + 1 };
        var sql = kind switch
        {
            EvidenceKind.Visits => db.Pick(GridEvidenceSql.Visits_Sqlite, GridEvidenceSql.Visits_SqlServer),
            EvidenceKind.Patrols => db.Pick(GridEvidenceSql.Patrols_Sqlite, GridEvidenceSql.Patrols_SqlServer),
            EvidenceKind.Alerts => db.Pick(GridEvidenceSql.Alerts_Sqlite, GridEvidenceSql.Alerts_SqlServer),
            _ => period.Kind == PeriodKind.Week
                ? db.Pick(GridEvidenceSql.PointsWeek_Sqlite, GridEvidenceSql.PointsWeek_SqlServer)
                : db.Pick(GridEvidenceSql.PointsMonth_Sqlite, GridEvidenceSql.PointsMonth_SqlServer),
        };
        var rows = (await c.QueryAsync<Row>(Cmd(sql, args, null, ct)).ConfigureAwait(false))
            .Select(r => new EvidenceRow(r.Source, r.At, r.Who, r.What, r.WhatZh, r.Detail, r.AcknowledgedAt, r.Points, r.KeyFlags != 0))
            .ToList();
        var truncated = rows.Count > Limit;
        return new GridEvidence(kind, gridId, period, truncated ? rows.Take(Limit).ToList() : rows, truncated);
    }

    private sealed class Row
    {
        public string Source { get; init; } = "";
        public DateTimeOffset At { get; init; }
        public string? Who { get; init; }
        public string What { get; init; } = "";
        public string? WhatZh { get; init; }
        public string? Detail { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public int? Points { get; init; }
        public int KeyFlags { get; init; }
    }
}

/// <summary>The SQL of <see cref="GridEvidenceQuery"/>: rows of a grid in [@From, @To), the first @Take in time order.</summary>
public static class GridEvidenceSql
{
    public const string GridCommunity = "SELECT g.CommunityId FROM Grid g WHERE g.Id = @GridId";

    private const string VisitsBody =
        "SELECT 'visit' AS Source, hv.VisitedAt AS At, s.Name AS Who, h.Room AS What, h.Room AS WhatZh, NULL AS Detail, NULL AS AcknowledgedAt, NULL AS Points, h.KeyFlags " +
        "FROM HouseholdVisit hv JOIN Household h ON h.Id = hv.HouseholdId JOIN Staff s ON s.Id = hv.StaffId " +
        "WHERE h.GridId = @GridId AND hv.VisitedAt >= @From AND hv.VisitedAt < @To " +
        "UNION ALL SELECT 'contact', cv.VisitedAt, s.Name, h.Room, h.Room, NULL, NULL, NULL, h.KeyFlags " +
        "FROM ContactVisit cv JOIN Household h ON h.Id = cv.HouseholdId JOIN Staff s ON s.Id = cv.StaffId " +
        "WHERE h.GridId = @GridId AND cv.VisitedAt >= @From AND cv.VisitedAt < @To";

    public const string Visits_Sqlite = "SELECT * FROM (" + VisitsBody + ") x ORDER BY x.At LIMIT @Take";

    public const string Visits_SqlServer = "SELECT TOP (@Take) * FROM (" + VisitsBody + ") x ORDER BY x.At";

    private const string PatrolsBody =
        "SELECT 'patrol' AS Source, p.CheckedInAt AS At, s.Name AS Who, COALESCE(p.Note, '') AS What, NULL AS WhatZh, NULL AS Detail, NULL AS AcknowledgedAt, NULL AS Points, 0 AS KeyFlags " +
        "FROM PatrolCheckIn p JOIN Staff s ON s.Id = p.StaffId WHERE p.GridId = @GridId AND p.CheckedInAt >= @From AND p.CheckedInAt < @To";

    public const string Patrols_Sqlite = "SELECT * FROM (" + PatrolsBody + ") x ORDER BY x.At LIMIT @Take";

    public const string Patrols_SqlServer = "SELECT TOP (@Take) * FROM (" + PatrolsBody + ") x ORDER BY x.At";

    private const string AlertsBody =
        "SELECT 'camera' AS Source, ca.OccurredAt AS At, NULL AS Who, c.Name AS What, c.Name AS WhatZh, ca.Kind AS Detail, ca.AcknowledgedAt, NULL AS Points, 0 AS KeyFlags " +
        "FROM CameraAlert ca JOIN Camera c ON c.Id = ca.CameraId WHERE c.GridId = @GridId AND ca.OccurredAt >= @From AND ca.OccurredAt < @To " +
        "UNION ALL SELECT 'water', wa.RaisedAt, NULL, w.Name, w.NameZh, CASE wa.Kind WHEN 1 THEN 'warning' WHEN 2 THEN 'alarm' ELSE 'rateOfRise' END, wa.AcknowledgedAt, NULL, 0 " +
        "FROM WaterAlarm wa JOIN WaterPoint w ON w.Id = wa.WaterPointId WHERE w.GridId = @GridId AND wa.RaisedAt >= @From AND wa.RaisedAt < @To";

    public const string Alerts_Sqlite = "SELECT * FROM (" + AlertsBody + ") x ORDER BY x.At LIMIT @Take";

    public const string Alerts_SqlServer = "SELECT TOP (@Take) * FROM (" + AlertsBody + ") x ORDER BY x.At";

    private const string PointsColumns =
        "SELECT 'points' AS Source, l.OccurredAt AS At, s.Name AS Who, l.RuleCode AS What, NULL AS WhatZh, NULL AS Detail, NULL AS AcknowledgedAt, l.Points, 0 AS KeyFlags " +
        "FROM PointsLedger l LEFT JOIN Staff s ON s.Id = l.StaffId WHERE l.Kind = 1 AND l.GridId = @GridId";

    public const string PointsWeek_Sqlite = PointsColumns + " AND l.Week = @Period ORDER BY l.OccurredAt, l.Id LIMIT @Take";

    public const string PointsWeek_SqlServer = "SELECT TOP (@Take) 'points' AS Source, l.OccurredAt AS At, s.Name AS Who, l.RuleCode AS What, NULL AS WhatZh, NULL AS Detail, NULL AS AcknowledgedAt, l.Points, 0 AS KeyFlags " +
        "FROM PointsLedger l LEFT JOIN Staff s ON s.Id = l.StaffId WHERE l.Kind = 1 AND l.GridId = @GridId AND l.Week = @Period ORDER BY l.OccurredAt, l.Id";

    public const string PointsMonth_Sqlite = PointsColumns + " AND l.Month = @Period ORDER BY l.OccurredAt, l.Id LIMIT @Take";

    public const string PointsMonth_SqlServer = "SELECT TOP (@Take) 'points' AS Source, l.OccurredAt AS At, s.Name AS Who, l.RuleCode AS What, NULL AS WhatZh, NULL AS Detail, NULL AS AcknowledgedAt, l.Points, 0 AS KeyFlags " +
        "FROM PointsLedger l LEFT JOIN Staff s ON s.Id = l.StaffId WHERE l.Kind = 1 AND l.GridId = @GridId AND l.Month = @Period ORDER BY l.OccurredAt, l.Id";
}
