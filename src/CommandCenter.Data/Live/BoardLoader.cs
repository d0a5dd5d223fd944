using System.Data;
using System.Data.Common;
using System.Text.Json;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Common;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Readings;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Data.Live;

/// <summary>Reads the live board's state from the database: at start and on re-sync, never per change.</summary>
public sealed class BoardLoader(DbConnectionFactory db, BoardClock clock)
{
    /// <summary>
    /// Reads the board's state in one read transaction (SQLite in WAL mode reads one snapshot; SQL Server reads under
    /// SNAPSHOT isolation where the database allows it), with the high-water mark of each event stream, so that the
    /// events published while it reads can be replayed on top without counting anything twice. Rows that cannot be
    /// shown are skipped and named in <see cref="BoardSeed.Skipped"/>; nothing the API accepted can make it fail.
    /// </summary>
    public async Task<BoardSeed> LoadAsync(int recentAlerts = LiveBoard.RecentAlertCapacity, CancellationToken ct = default)
    {
        var now = clock.Now;
        var trends = new TrendSeedBuilder(clock);
        var args = new
        {
            TrendDaysStart = trends.DaysStart,
            TrendHoursStart = trends.HoursStart,
            DayStart = clock.DayStart,
            WeekStart = clock.WeekStart,
            MonthStart = clock.MonthStart,
            EscalationsSince = now.AddHours(-1),
            TrendStart = now - (LiveBoard.TrendBucket * LiveBoard.TrendBuckets),
            Top = recentAlerts,
        };
        var skipped = new List<string>();
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await BeginReadAsync(c, ct).ConfigureAwait(false);
        CommandDefinition Q(string sql) => new(sql, args, tx, cancellationToken: ct);

        var marks = await c.QuerySingleAsync<HighWaterRow>(Q(BoardSql.HighWater)).ConfigureAwait(false);
        var street = await c.QueryFirstOrDefaultAsync<(string Name, string NameZh)?>(Q(BoardSql.Street)).ConfigureAwait(false);
        var communities = (await c.QueryAsync<CommunityRow>(Q(BoardSql.Communities)).ConfigureAwait(false))
            .Select(r => new CommunitySummary(r.Id, r.Name, r.NameZh))
            .ToList();
        var grids = new List<GridSeed>();
        foreach (var g in await c.QueryAsync<GridRow>(Q(BoardSql.Grids)).ConfigureAwait(false))
        {
            IReadOnlyList<double[]> ring;
            try
            {
                ring = ParseRing(g.BoundaryGeoJson);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                skipped.Add($"grid {g.Id}: boundary is not a readable GeoJSON polygon ({ex.Message}); drawn without it");
                ring = [];
            }

            grids.Add(new GridSeed(g.Id, g.CommunityId, g.Code, g.Name, g.NameZh, (GridKind)g.Kind, ring, g.Staffed > 0));
        }

        var cameraStatus = (await c.QueryAsync<(int Id, string NameEn, DateTimeOffset? StatusAt)>(Q(BoardSql.CameraStatuses)).ConfigureAwait(false))
            .ToDictionary(r => r.Id);
        var cameras = (await c.QueryAsync<CameraRow>(Q(BoardSql.Cameras)).ConfigureAwait(false))
            .Select(r => new CameraMark(r.Id, r.Code, r.Name, r.GridId, r.Lon, r.Lat, r.IsOnline)
            {
                NameEn = cameraStatus.TryGetValue(r.Id, out var st) ? st.NameEn : null,
                StatusAt = cameraStatus.TryGetValue(r.Id, out var st2) ? st2.StatusAt : null,
            })
            .ToList();
        var readings = (await c.QueryAsync<ReadingRow>(Q(BoardSql.RecentReadings)).ConfigureAwait(false))
            .ToLookup(r => r.WaterPointId);
        // Two readings of one point at one instant were accepted by earlier builds: any one of them will do.
        var latest = (await c.QueryAsync<ReadingRow>(Q(BoardSql.LatestReadings)).ConfigureAwait(false))
            .GroupBy(r => r.WaterPointId)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.DepthCm)!);
        var points = (await c.QueryAsync<WaterPointRow>(Q(BoardSql.WaterPoints)).ConfigureAwait(false))
            .Select(p =>
            {
                var recent = readings[p.Id].Select(r => new Reading(p.Id, r.DepthCm, r.MeasuredAt)).ToList();
                if (latest.TryGetValue(p.Id, out var last) && (recent.Count == 0 || recent[^1].MeasuredAt < last.MeasuredAt))
                {
                    recent.Add(new Reading(p.Id, last.DepthCm, last.MeasuredAt));
                }

                return new WaterPointSeed(p.Id, p.Code, p.Name, p.NameZh, p.GridId, p.Lon, p.Lat, p.WarningDepthCm, p.AlarmDepthCm, recent);
            })
            .ToList();
        points = await AlarmSeed.WithAlarmStateAsync(c, tx, points, ct).ConfigureAwait(false);
        // The silent-device job's mark and the interval it judges by: the board holds the same status and rule.
        var statuses = (await c.QueryAsync<PointStatusRow>(Q(BoardSql.PointStatuses)).ConfigureAwait(false)).ToDictionary(r => r.Id);
        points = [.. points.Select(p => statuses.TryGetValue(p.Id, out var st)
            ? p with { ExpectedIntervalSeconds = st.ExpectedIntervalSeconds, IsOnline = st.IsOnline, StatusAt = st.StatusAt }
            : p)];
        var pointStatusMark = statuses.Values.Where(r => r.StatusAt is not null)
            .Select(r => WaterPointStatusEvent.StampOf(r.StatusAt!.Value, r.Id)).DefaultIfEmpty(0).Max();
        var notices = await AlarmSeed.OpenNoticesAsync(c, tx, db, now, ct).ConfigureAwait(false);
        var open = new List<OpenIncidentSeed>();
        foreach (var i in await c.QueryAsync<IncidentRow>(Q(BoardSql.OpenIncidents)).ConfigureAwait(false))
        {
            if (!Enum.IsDefined((IncidentStep)i.Step))
            {
                skipped.Add($"incident {i.Id}: step {i.Step} is not a step of the loop");
                continue;
            }

            open.Add(new OpenIncidentSeed(i.Id, i.Number, i.Category, i.GridId, i.Title, (IncidentStep)i.Step, i.ReportedAt, i.DueAt)
            {
                Cycle = Enum.IsDefined((IncidentCycle)i.Cycle) ? (IncidentCycle)i.Cycle : IncidentCycle.Micro,
            });
        }

        var closures = (await c.QueryAsync<(int GridId, DateTimeOffset ReportedAt, DateTimeOffset ClosedAt, long OnTime)>(Q(BoardSql.ClosedThisWeek)).ConfigureAwait(false))
            .Select(r => new ClosureSeed(r.GridId, r.ReportedAt, r.ClosedAt, r.OnTime != 0)).ToList();
        var escalations = (await c.QueryAsync<(long IncidentId, int GridId, DateTimeOffset At)>(Q(BoardSql.RecentEscalations)).ConfigureAwait(false))
            .Select(r => new EscalationSeed(r.IncidentId, r.GridId, r.At)).ToList();

        var counts = await c.QuerySingleAsync<LastEventsRow>(Q(BoardSql.LastEvents)).ConfigureAwait(false);
        var patrolled = (await c.QueryAsync<int>(Q(BoardSql.GridsPatrolledToday)).ConfigureAwait(false)).ToList();
        var visited = (await c.QueryAsync<(long HouseholdId, int GridId)>(Q(BoardSql.HouseholdsVisitedThisMonth)).ConfigureAwait(false)).ToList();
        var keyVisited = (await c.QueryAsync<(long HouseholdId, int GridId)>(Q(BoardSql.KeyHouseholdsVisitedThisWeek)).ConfigureAwait(false)).ToList();
        async Task<Dictionary<int, int>> ByGridAsync(string sql) =>
            (await c.QueryAsync<(int GridId, int Count)>(Q(sql)).ConfigureAwait(false))
                .GroupBy(r => r.GridId).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        var households = (await c.QueryAsync<(int GridId, int Households, int KeyHouseholds)>(Q(BoardSql.HouseholdsByGrid)).ConfigureAwait(false)).ToList();
        var reportedToday = await ByGridAsync(BoardSql.ReportedTodayByGrid).ConfigureAwait(false);
        var closedToday = await ByGridAsync(BoardSql.ClosedTodayByGrid).ConfigureAwait(false);
        var alertsToday = await ByGridAsync(BoardSql.AlertsTodayByGrid).ConfigureAwait(false);
        var alerts = (await c.QueryAsync<AlertRow>(Q(db.Pick(BoardSql.RecentAlerts_Sqlite, BoardSql.RecentAlerts_SqlServer))).ConfigureAwait(false))
            .Select(a => new AlertItem(a.Id, a.CameraId, a.CameraName, a.GridId, a.Kind, a.Confidence, a.OccurredAt, (AlertStatus)a.Status)
            {
                RepeatCount = Math.Max(1, a.RepeatCount),
                LastOccurredAt = a.LastOccurredAt,
            })
            .ToList();
        await LoadTrendsAsync(c, tx, args, trends, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        var lastEvent = new[] { counts.LastIncidentAt, counts.LastAlertAt, counts.LastReadingAt }
            .Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty().Max();

        return new BoardSeed
        {
            StreetName = street?.Name ?? "",
            StreetNameZh = street?.NameZh ?? "",
            Communities = communities,
            Grids = grids,
            Cameras = cameras,
            WaterPoints = points,
            OpenIncidents = open,
            ClosedThisWeek = closures,
            RecentEscalations = escalations,
            GridsPatrolledToday = patrolled,
            HouseholdsVisitedThisMonth = visited.Select(v => v.HouseholdId).ToList(),
            KeyHouseholdsVisitedThisWeek = keyVisited.Select(v => v.HouseholdId).ToList(),
            VisitedHouseholdGrids = visited.Concat(keyVisited).DistinctBy(v => v.HouseholdId).ToDictionary(v => v.HouseholdId, v => v.GridId),
            ReportedTodayByGrid = reportedToday,
            ClosedTodayByGrid = closedToday,
            AlertsTodayByGrid = alertsToday,
            HouseholdsByGrid = households.ToDictionary(h => h.GridId, h => h.Households),
            KeyHouseholdsByGrid = households.ToDictionary(h => h.GridId, h => h.KeyHouseholds),
            RecentAlerts = alerts,
            Notices = notices,
            LastEventAt = lastEvent == default ? null : lastEvent,
            HighWater = new Dictionary<EventStream, long>
            {
                [EventStream.Incident] = marks.StepLog,
                [EventStream.CameraAlert] = marks.Alert,
                [EventStream.CameraStatus] = marks.Alert,
                [EventStream.CameraAlertRepeat] = marks.AlertRepeat,
                [EventStream.Readings] = marks.Reading,
                [EventStream.Patrol] = marks.Patrol,
                [EventStream.Visit] = marks.Visit,
                [EventStream.WaterPointStatus] = pointStatusMark,
            },
            Skipped = skipped,
            Trends = trends.Build(),
        };
    }

    /// <summary>
    /// The trends' history, read as compact rows and counted by the street's local day and hour in C# (correct for any
    /// zone): incidents reported in the last 30 days or closed in the last 8, camera alerts of the last 30 days, and the
    /// waterlogging alarms the level machine raised at the Alarm level in the last 30 days (<c>WaterAlarm</c> rows).
    /// </summary>
    private async Task LoadTrendsAsync(DbConnection c, DbTransaction tx, object args, TrendSeedBuilder trends, CancellationToken ct)
    {
        await foreach (var i in c.QueryUnbufferedAsync<IncidentRow>(BoardSql.TrendIncidents, args, tx).WithCancellation(ct).ConfigureAwait(false))
        {
            if (i.ReportedAt >= trends.DaysStart) trends.Add(TrendKind.Reported, i.GridId, i.Category, i.ReportedAt);
            if (i.ClosedAt is { } closed) trends.Add(TrendKind.Closed, i.GridId, i.Category, closed);
        }

        await foreach (var a in c.QueryUnbufferedAsync<TrendAtRow>(BoardSql.TrendAlerts, args, tx).WithCancellation(ct).ConfigureAwait(false))
        {
            trends.Add(TrendKind.Alert, a.GridId, null, a.At);
        }

        await foreach (var a in c.QueryUnbufferedAsync<TrendAlarmRow>(BoardSql.TrendAlarms, args, tx).WithCancellation(ct).ConfigureAwait(false))
        {
            if (TrendSeedBuilder.CountsAsAlarm((WaterAlarmKind)a.Kind)) trends.Add(TrendKind.Alarm, a.GridId, null, a.At);
        }
    }

    private async Task<DbTransaction> BeginReadAsync(DbConnection c, CancellationToken ct)
    {
        if (c is SqliteConnection sqlite)
        {
            // Deferred: a read transaction that takes no write lock; in WAL mode its first read fixes the snapshot.
            return sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        }

        var snapshotAllowed = await c.ExecuteScalarAsync<int>(new CommandDefinition(BoardSql.SnapshotAllowed_SqlServer, cancellationToken: ct)).ConfigureAwait(false) == 1;
        return await c.BeginTransactionAsync(snapshotAllowed ? IsolationLevel.Snapshot : IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
    }

    /// <summary>The outer ring of a GeoJSON Polygon (or the largest ring of a MultiPolygon), as [lon, lat] pairs.</summary>
    public static IReadOnlyList<double[]> ParseRing(string? geoJson)
    {
        if (string.IsNullOrWhiteSpace(geoJson))
        {
            return [];
        }

        using var doc = JsonDocument.Parse(geoJson);
        var root = doc.RootElement;
        var type = root.GetProperty("type").GetString();
        var coords = root.GetProperty("coordinates");
        var ring = type switch
        {
            "Polygon" => coords[0],
            "MultiPolygon" => coords.EnumerateArray().Select(p => p[0]).MaxBy(r => r.GetArrayLength()),
            _ => default,
        };
        return ring.ValueKind != JsonValueKind.Array
            ? []
            : ring.EnumerateArray().Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToList();
    }

    private sealed class CommunityRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
    }

    private sealed class GridRow
    {
        public int Id { get; init; }
        public int CommunityId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int Kind { get; init; }
        public string? BoundaryGeoJson { get; init; }
        public int Staffed { get; init; }
    }

    private sealed class ReadingRow
    {
        public int WaterPointId { get; init; }
        public double DepthCm { get; init; }
        public DateTimeOffset MeasuredAt { get; init; }
    }

    private sealed class PointStatusRow
    {
        public int Id { get; init; }
        public int ExpectedIntervalSeconds { get; init; }
        public bool IsOnline { get; init; }
        public DateTimeOffset? StatusAt { get; init; }
    }

    private sealed class HighWaterRow
    {
        public long StepLog { get; init; }
        public long Alert { get; init; }
        public long AlertRepeat { get; init; }
        public long Reading { get; init; }
        public long Patrol { get; init; }
        public long Visit { get; init; }
    }

    private sealed class LastEventsRow
    {
        public DateTimeOffset? LastIncidentAt { get; init; }
        public DateTimeOffset? LastAlertAt { get; init; }
        public DateTimeOffset? LastReadingAt { get; init; }
    }

    private sealed class TrendAtRow
    {
        public int GridId { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private sealed class TrendAlarmRow
    {
        public int GridId { get; init; }
        public int Kind { get; init; }
        public DateTimeOffset At { get; init; }
    }
}

/// <summary>The board's load queries; shared text runs on both engines.</summary>
public static class BoardSql
{
    public const string HighWater =
        "SELECT " +
        "(SELECT COALESCE(MAX(Id), 0) FROM IncidentStepLog) AS StepLog, " +
        "(SELECT COALESCE(MAX(Id), 0) FROM CameraAlert) AS Alert, " +
        "(SELECT COALESCE(MAX(Id), 0) FROM CameraAlertRepeat) AS AlertRepeat, " +
        "(SELECT COALESCE(MAX(Id), 0) FROM SensorReading) AS Reading, " +
        "(SELECT COALESCE(MAX(Id), 0) FROM PatrolCheckIn) AS Patrol, " +
        "(SELECT COALESCE(MAX(Id), 0) FROM HouseholdVisit) AS Visit";

    public const string SnapshotAllowed_SqlServer = "SELECT CAST(snapshot_isolation_state AS INT) FROM sys.databases WHERE database_id = DB_ID()";

    public const string Street = "SELECT Name, NameZh FROM Street ORDER BY Id";

    public const string Communities = "SELECT Id, Name, NameZh FROM Community ORDER BY Id";

    public const string Grids =
        "SELECT g.Id, g.CommunityId, g.Code, g.Name, g.NameZh, g.Kind, g.BoundaryGeoJson, " +
        "(SELECT COUNT(*) FROM StaffAssignment sa JOIN Staff s ON s.Id = sa.StaffId WHERE sa.GridId = g.Id AND s.Active = 1 AND sa.Role IN (" + SqlEnums.RoleGridLeader + ", " + SqlEnums.RoleGridMember + ")) AS Staffed " +
        "FROM Grid g ORDER BY g.Id";

    /// <summary>Retired cameras leave the wall; the Chinese name where the registry has one (the wall is read in Chinese).</summary>
    public const string Cameras = "SELECT Id, Code, COALESCE(NameZh, Name) AS Name, GridId, Lon, Lat, IsOnline FROM Camera WHERE RetiredAt IS NULL ORDER BY Id";

    public const string WaterPoints =
        "SELECT Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm FROM WaterPoint WHERE RetiredAt IS NULL ORDER BY Id";

    /// <summary>A camera's English name and when it last went on- or offline (the wall's list of offline devices).</summary>
    public const string CameraStatuses = "SELECT Id, Name AS NameEn, StatusAt FROM Camera WHERE RetiredAt IS NULL";

    public const string PointStatuses =
        "SELECT Id, ExpectedIntervalSeconds, IsOnline, StatusAt FROM WaterPoint WHERE RetiredAt IS NULL";

    public const string RecentReadings =
        "SELECT WaterPointId, DepthCm, MeasuredAt FROM SensorReading WHERE MeasuredAt >= @TrendStart ORDER BY WaterPointId, MeasuredAt";

    public const string LatestReadings =
        "SELECT r.WaterPointId, r.DepthCm, r.MeasuredAt FROM SensorReading r " +
        "JOIN (SELECT WaterPointId, MAX(MeasuredAt) AS MeasuredAt FROM SensorReading GROUP BY WaterPointId) m " +
        "ON m.WaterPointId = r.WaterPointId AND m.MeasuredAt = r.MeasuredAt";

    public const string OpenIncidents =
        "SELECT Id, Number, Category, GridId, Title, Step, Cycle, ReportedAt, DueAt FROM Incident WHERE Step < " + SqlEnums.StepClosed;

    /// <summary>Incidents checked and closed this week (resolution 1; rejected ones are not closures of the loop), by the index on ClosedAt.</summary>
    public const string ClosedThisWeek =
        "SELECT GridId, ReportedAt, ClosedAt, COALESCE(ClosedOnTime, 0) AS OnTime FROM Incident WHERE ClosedAt >= @WeekStart AND Resolution = " + SqlEnums.ResolutionResolved;

    /// <summary>Escalations (loop action 7) of the last hour, by the index on (LoopAction, At).</summary>
    public const string RecentEscalations =
        "SELECT l.IncidentId, i.GridId, l.At FROM IncidentStepLog l JOIN Incident i ON i.Id = l.IncidentId WHERE l.LoopAction = " + SqlEnums.ActionEscalate + " AND l.At >= @EscalationsSince";

    public const string LastEvents =
        "SELECT " +
        "(SELECT MAX(UpdatedAt) FROM Incident) AS LastIncidentAt, " +
        "(SELECT MAX(ReceivedAt) FROM CameraAlert) AS LastAlertAt, " +
        "(SELECT MAX(ReceivedAt) FROM SensorReading) AS LastReadingAt";

    public const string GridsPatrolledToday = "SELECT DISTINCT GridId FROM PatrolCheckIn WHERE CheckedInAt >= @DayStart";

    public const string HouseholdsVisitedThisMonth =
        "SELECT DISTINCT v.HouseholdId, h.GridId FROM HouseholdVisit v JOIN Household h ON h.Id = v.HouseholdId WHERE v.VisitedAt >= @MonthStart";

    public const string KeyHouseholdsVisitedThisWeek =
        "SELECT DISTINCT v.HouseholdId, h.GridId FROM HouseholdVisit v JOIN Household h ON h.Id = v.HouseholdId " +
        "WHERE v.VisitedAt >= @WeekStart AND h.KeyFlags <> 0";

    public const string ReportedTodayByGrid = "SELECT GridId, COUNT(*) AS Count FROM Incident WHERE ReportedAt >= @DayStart GROUP BY GridId";

    public const string ClosedTodayByGrid = "SELECT GridId, COUNT(*) AS Count FROM Incident WHERE ClosedAt >= @DayStart GROUP BY GridId";

    public const string AlertsTodayByGrid =
        "SELECT c.GridId, COUNT(*) AS Count FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId WHERE a.OccurredAt >= @DayStart GROUP BY c.GridId";

    public const string HouseholdsByGrid =
        "SELECT GridId, COUNT(*) AS Households, SUM(CASE WHEN KeyFlags <> 0 THEN 1 ELSE 0 END) AS KeyHouseholds FROM Household GROUP BY GridId";

    private const string AlertColumns =
        "a.Id, a.CameraId, COALESCE(c.NameZh, c.Name) AS CameraName, c.GridId, a.Kind, a.Confidence, a.OccurredAt, a.Status, a.RepeatCount, a.LastOccurredAt " +
        "FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId ORDER BY a.OccurredAt DESC, a.Id DESC";

    public const string RecentAlerts_Sqlite = "SELECT " + AlertColumns + " LIMIT @Top";

    public const string RecentAlerts_SqlServer = "SELECT TOP (@Top) " + AlertColumns;

    // ---- trends: compact rows, counted by local day and hour in C# ----

    /// <summary>Incidents reported in the daily window or closed in the hourly one (indexes on ReportedAt and ClosedAt).</summary>
    public const string TrendIncidents =
        "SELECT GridId, Category, ReportedAt, ClosedAt FROM Incident WHERE ReportedAt >= @TrendDaysStart OR ClosedAt >= @TrendHoursStart";

    public const string TrendAlerts =
        "SELECT c.GridId, a.OccurredAt AS At FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId WHERE a.OccurredAt >= @TrendDaysStart";

    /// <summary>
    /// The waterlogging alarms raised in the daily window (index IX_WaterAlarm_RaisedAt), with their point's grid; those the
    /// trends count are chosen in C# by <see cref="TrendSeedBuilder.CountsAsAlarm(WaterAlarmKind)"/>, the rule the board applies to events.
    /// </summary>
    public const string TrendAlarms =
        "SELECT p.GridId, a.Kind, a.RaisedAt AS At FROM WaterAlarm a JOIN WaterPoint p ON p.Id = a.WaterPointId WHERE a.RaisedAt >= @TrendDaysStart";
}
