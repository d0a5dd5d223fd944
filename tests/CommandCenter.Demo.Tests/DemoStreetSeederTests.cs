using CommandCenter.Tests.Shared;
using System.Diagnostics;
using System.Text.Json;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Data.Street;
using CommandCenter.Data.Tests;
using CommandCenter.Demo.Street;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CommandCenter.Demo.Tests;

/// <summary>One demo street seeded once for the read-only tests of this class.</summary>
public sealed class SeededDemoStreet : IAsyncLifetime
{
    public const int Seed = 2022;
    public static readonly DateTimeOffset Now = new(2026, 7, 15, 6, 30, 0, TimeSpan.Zero); // Wednesday 14:30 in Shanghai

    public SqliteDatabase Db { get; private set; } = null!;
    public BoardClock Clock { get; } = new(new FakeTimeProvider(Now), BoardClock.FindZone("Asia/Shanghai"));
    public bool Seeded { get; private set; }
    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        Db = await SqliteDatabase.CreateAsync();
        var watch = Stopwatch.StartNew();
        Seeded = await new DemoStreetSeeder(Db.Factory, Clock, Log).SeedIfEmptyAsync(Seed);
        Elapsed = watch.Elapsed;
    }

    public ListLogger<DemoStreetSeeder> Log { get; } = new();

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

public sealed class DemoStreetSeederTests(SeededDemoStreet street, ITestOutputHelper output) : IClassFixture<SeededDemoStreet>
{
    private static readonly DateTimeOffset Now = SeededDemoStreet.Now;

    private async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await street.Db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value");
    }

    private async Task<List<T>> Query<T>(string sql, object? args = null)
    {
        await using var c = await street.Db.Factory.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyDatabase_WritesTheHierarchyAtLongshanScale()
    {
        output.WriteLine($"Seeding took {street.Elapsed.TotalMilliseconds:0} ms");
        foreach (var line in street.Log.Lines) output.WriteLine(line);
        Assert.Contains(street.Log.Lines, l => l.Contains("Seeded demo street", StringComparison.Ordinal));
        Assert.True(street.Seeded);
        Assert.Equal("370402003", await Scalar<string>("SELECT Code FROM Street WHERE Id = 1"));
        Assert.Equal("龙山路街道", await Scalar<string>("SELECT NameZh FROM Street WHERE Id = 1"));
        Assert.Equal(6, await Scalar<int>("SELECT COUNT(*) FROM Community"));
        Assert.Equal(52, await Scalar<int>("SELECT COUNT(*) FROM Grid"));
        Assert.Equal(44, await Scalar<int>("SELECT COUNT(*) FROM Grid WHERE Kind = 1"));
        Assert.Equal(8, await Scalar<int>("SELECT COUNT(*) FROM Grid WHERE Kind = 2"));
        Assert.Equal([12, 8, 8, 8, 8, 8], await Query<int>("SELECT COUNT(*) FROM Grid GROUP BY CommunityId ORDER BY CommunityId"));
        Assert.Equal(453, await Scalar<int>("SELECT COUNT(*) FROM Building"));
        Assert.Equal(1194, await Scalar<int>("SELECT COUNT(*) FROM Unit"));
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM Household"), 12_500, 13_500);
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM Merchant"), 1_000, 1_200);
        Assert.Equal(220, await Scalar<int>("SELECT COUNT(*) FROM Camera"));
        // Every camera has a Chinese name for the wall, all distinct.
        Assert.Equal(220, await Scalar<int>("SELECT COUNT(DISTINCT NameZh) FROM Camera WHERE NameZh LIKE '%门%' OR NameZh LIKE '%路口%' OR LENGTH(NameZh) > 0"));
        Assert.Equal(12, await Scalar<int>("SELECT COUNT(*) FROM WaterPoint"));

        // Hierarchical codes: every grid code is its community's code plus three digits, 15 digits in all.
        var codes = await Query<(string Grid, string Community)>("SELECT g.Code, c.Code FROM Grid g JOIN Community c ON c.Id = g.CommunityId");
        Assert.All(codes, x =>
        {
            Assert.Equal(15, x.Grid.Length);
            Assert.StartsWith(x.Community, x.Grid, StringComparison.Ordinal);
            Assert.True(x.Grid.All(char.IsAsciiDigit));
        });

        // Households sit in the grid of their building; key households are about 6%.
        Assert.Equal(0, await Scalar<int>(
            "SELECT COUNT(*) FROM Household h JOIN Unit u ON u.Id = h.UnitId JOIN Building b ON b.Id = u.BuildingId WHERE b.GridId <> h.GridId"));
        var key = await Scalar<double>("SELECT 1.0 * SUM(CASE WHEN KeyFlags <> 0 THEN 1 ELSE 0 END) / COUNT(*) FROM Household");
        Assert.InRange(key, 0.04, 0.08);
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM Household WHERE Members NOT BETWEEN 1 AND 5"));
        Assert.Matches(@"^\d{3}\*{4}\d{4}$", await Scalar<string>("SELECT Phone FROM Household WHERE Phone IS NOT NULL ORDER BY Id"));

        // Every grid is staffed: a leader, at least one member, an instructor, volunteers.
        foreach (var role in new[] { StaffRole.GridLeader, StaffRole.GridMember, StaffRole.Instructor, StaffRole.Volunteer })
        {
            Assert.Equal(52, await Scalar<int>("SELECT COUNT(DISTINCT GridId) FROM StaffAssignment WHERE Role = @Role", new { Role = (int)role }));
        }

        Assert.Equal(52, await Scalar<int>("SELECT COUNT(*) FROM StaffAssignment WHERE Role = 1"));
        Assert.InRange(await Scalar<double>("SELECT AVG(1.0 * IsPartyMember) FROM Staff"), 0.5, 0.7);

        // Cameras: all but a few grids have one; about 4% are offline.
        Assert.InRange(await Scalar<int>("SELECT COUNT(DISTINCT GridId) FROM Camera"), 46, 51);
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM Camera WHERE IsOnline = 0"), 5, 15);
        Assert.Equal(220, await Scalar<int>("SELECT COUNT(DISTINCT Code) FROM Camera"));
        Assert.Equal(220, await Scalar<int>("SELECT COUNT(DISTINCT Name) FROM Camera"));
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM WaterPoint WHERE WarningDepthCm NOT BETWEEN 15 AND 20 OR AlarmDepthCm NOT BETWEEN 30 AND 40"));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyDatabase_GridPolygonsTileTheLattice()
    {
        var grids = await Query<(int Id, string BoundaryGeoJson, double CenterLon, double CenterLat)>(
            "SELECT Id, BoundaryGeoJson, CenterLon, CenterLat FROM Grid ORDER BY Id");
        Assert.Equal(52, grids.Count);
        var rings = grids.ToDictionary(g => g.Id, g => ParsePolygon(g.BoundaryGeoJson));
        var sum = 0.0;
        var edges = new Dictionary<(double, double, double, double), int>();
        foreach (var (id, ring) in rings)
        {
            Assert.Equal(5, ring.Count);
            Assert.Equal(ring[0], ring[^1]);
            var area = PolygonGeometry.SignedArea(ring);
            Assert.True(area > 0, $"grid {id} is not counter-clockwise");
            sum += area;
            for (var k = 0; k < ring.Count - 1; k++)
            {
                var (a, b) = (ring[k], ring[k + 1]);
                var edge = a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) ? (a[0], a[1], b[0], b[1]) : (b[0], b[1], a[0], a[1]);
                edges[edge] = edges.GetValueOrDefault(edge) + 1;
            }

            var g = grids.Single(x => x.Id == id);
            Assert.True(PolygonGeometry.Contains(ring, g.CenterLon, g.CenterLat), $"grid {id}'s center is outside it");
        }

        // Neighbours share their edges exactly; only the street's outline (2 × (13 + 4) edges) belongs to one grid.
        Assert.All(edges.Values, n => Assert.InRange(n, 1, 2));
        Assert.Equal(34, edges.Values.Count(n => n == 1));
        var outline = PolygonGeometry.SignedArea(DemoStreetLayout.Build(new Random(SeededDemoStreet.Seed)).OuterRing());
        Assert.True(Math.Abs(sum - outline) <= outline * 1e-9, $"sum of grid areas {sum} differs from the outline's {outline}");

        // Buildings, cameras and water points lie inside their grid.
        foreach (var table in new[] { "Building", "Camera", "WaterPoint" })
        {
            var points = await Query<(int GridId, double Lon, double Lat)>($"SELECT GridId, Lon, Lat FROM {table}");
            Assert.All(points, p => Assert.True(PolygonGeometry.Contains(rings[p.GridId], p.Lon, p.Lat), $"a {table} lies outside grid {p.GridId}"));
        }
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyDatabase_WritesNinetyDaysOfConsistentHistory()
    {
        var incidents = await Query<(long Id, string Number, int Step, DateTimeOffset ReportedAt, DateTimeOffset DueAt, DateTimeOffset? ClosedAt, int RowVersion)>(
            "SELECT Id, Number, Step, ReportedAt, DueAt, ClosedAt, RowVersion FROM Incident ORDER BY Id");
        Assert.InRange(incidents.Count, 90 * 16, 90 * 24);
        Assert.All(incidents, i => Assert.Equal(IncidentNumbers.Format(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i.ReportedAt, CommandCenter.Domain.Live.BoardClock.FindZone("Asia/Shanghai")).DateTime), i.Id), i.Number));
        Assert.True(incidents.Zip(incidents.Skip(1)).All(p => p.First.ReportedAt <= p.Second.ReportedAt), "ids rise with report time");
        Assert.All(incidents, i => Assert.True(i.ReportedAt <= Now && i.ReportedAt >= Now.AddDays(-91)));
        Assert.All(incidents, i => Assert.Equal(i.Step == 6, i.ClosedAt is not null));

        var old = incidents.Where(i => i.ReportedAt < Now.AddDays(-7)).ToList();
        Assert.True(old.Count(i => i.Step == 6) >= old.Count * 0.97, "older incidents are closed");
        var recent = incidents.Where(i => i.ReportedAt >= Now.AddDays(-2) && i.Step < 6).ToList();
        output.WriteLine("open by step: " + string.Join(", ", incidents.Where(i => i.Step < 6).GroupBy(i => i.Step).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}")));
        output.WriteLine("recent open by step: " + string.Join(", ", recent.GroupBy(i => i.Step).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}")));
        Assert.True(recent.Select(i => i.Step).Distinct().Count() >= 3, "recent open incidents are spread over the loop");
        var overdue = incidents.Count(i => i.Step < 6 && i.DueAt < Now);
        Assert.InRange(overdue, 1, 30);

        // One step log row per step passed, in order.
        var logs = (await Query<(long IncidentId, int Step, DateTimeOffset At)>("SELECT IncidentId, Step, At FROM IncidentStepLog ORDER BY IncidentId, Step"))
            .ToLookup(l => l.IncidentId);
        Assert.All(incidents, i =>
        {
            var steps = logs[i.Id].ToList();
            Assert.Equal(Enumerable.Range(1, i.Step), steps.Select(s => s.Step));
            Assert.Equal(i.RowVersion, steps.Count);
            Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First.At <= p.Second.At) && steps[^1].At <= Now);
        });

        // Readings: hourly, then every 5 minutes for 48 hours; rainstorms push some points past their alarm depth.
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM SensorReading WHERE MeasuredAt >= @Since", new { Since = Now.AddHours(-48) }), 12 * 570, 12 * 580);
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM SensorReading"), 12 * (88 * 24 + 570), 12 * (89 * 24 + 580));
        Assert.True(await Scalar<int>("SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint p ON p.Id = r.WaterPointId WHERE r.DepthCm >= p.AlarmDepthCm") > 0);
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint p ON p.Id = r.WaterPointId WHERE r.MeasuredAt >= @Since AND r.DepthCm >= p.WarningDepthCm",
            new { Since = Now.AddHours(-48) }));

        // Alerts: about 50 a day, fresh ones still new, converted ones linked to their incident.
        Assert.InRange(await Scalar<int>("SELECT COUNT(*) FROM CameraAlert"), 90 * 40, 90 * 62);
        Assert.True(await Scalar<int>("SELECT COUNT(*) FROM CameraAlert WHERE Status = 1 AND OccurredAt >= @Since", new { Since = Now.AddHours(-3) }) > 0);
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM CameraAlert WHERE Status = 1 AND OccurredAt < @Since", new { Since = Now.AddHours(-3) }));
        Assert.Equal(
            await Scalar<int>("SELECT COUNT(*) FROM CameraAlert WHERE Status = 4"),
            await Scalar<int>("SELECT COUNT(*) FROM CameraAlert a JOIN Incident i ON i.Id = a.IncidentId WHERE a.Status = 4 AND i.Source = 4"));

        // Patrols: every grid, every day, including today before now; key households visited weekly.
        var clock = street.Clock;
        Assert.Equal(52, await Scalar<int>("SELECT COUNT(DISTINCT GridId) FROM PatrolCheckIn WHERE CheckedInAt >= @Since", new { Since = clock.DayStart }));
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM PatrolCheckIn WHERE CheckedInAt > @Now", new { Now }));
        var keyHouseholds = await Scalar<int>("SELECT COUNT(*) FROM Household WHERE KeyFlags <> 0");
        var lastWeek = await Scalar<int>(
            "SELECT COUNT(DISTINCT v.HouseholdId) FROM HouseholdVisit v JOIN Household h ON h.Id = v.HouseholdId WHERE h.KeyFlags <> 0 AND v.VisitedAt >= @From AND v.VisitedAt < @To",
            new { From = clock.WeekStart.AddDays(-7), To = clock.WeekStart });
        Assert.InRange(lastWeek, keyHouseholds * 0.9, keyHouseholds);
        Assert.Equal(0, await Scalar<int>("SELECT COUNT(*) FROM HouseholdVisit WHERE VisitedAt > @Now", new { Now }));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyDatabase_AlertsAndAlarmsAreAcknowledgedAsTheDutyDeskWould()
    {
        var alerts = await Query<AlertAck>(
            "SELECT a.Kind, a.Confidence, a.Status, a.OccurredAt, a.AcknowledgedAt, a.ClosedAt, i.ReportedAt AS IncidentReportedAt " +
            "FROM CameraAlert a LEFT JOIN Incident i ON i.Id = a.IncidentId WHERE a.Kind NOT IN ('camera_offline', 'camera_online')");
        var handled = alerts.Where(a => a.Status != (int)AlertStatus.New).ToList();

        // Nothing older than the desk's longest delay is still New; everything handled has its acknowledgement.
        Assert.All(alerts.Where(a => a.Status == (int)AlertStatus.New), a => Assert.True(a.OccurredAt > Now.AddMinutes(-15) && a.AcknowledgedAt is null));
        Assert.All(handled, a => Assert.NotNull(a.AcknowledgedAt));
        Assert.All(handled, a => Assert.True(a.AcknowledgedAt <= Now));

        // Plausible delays: 1–15 minutes (1–5 for a confident fire/smoke detection); a converted alert at its incident's report.
        var detections = handled.Where(a => a.Status != (int)AlertStatus.Converted).ToList();
        Assert.All(detections, a => Assert.InRange(a.Minutes, 1, 15));
        Assert.All(detections.Where(a => a.Kind == "fire_smoke" && a.Confidence >= 0.8), a => Assert.InRange(a.Minutes, 1, 5));
        Assert.All(handled.Where(a => a.Status == (int)AlertStatus.Converted), a => Assert.Equal(a.IncidentReportedAt, a.AcknowledgedAt));
        var mean = handled.Average(a => a.Minutes);
        output.WriteLine($"{handled.Count} handled alerts, mean {mean:0.0} min, " +
            $"{detections.Count(a => a.Minutes <= 10) * 100.0 / detections.Count:0}% within 10 min, dismissed {handled.Count(a => a.Status == (int)AlertStatus.Dismissed)}");
        Assert.InRange(mean, 2.5, 7);
        Assert.InRange(detections.Count(a => a.Minutes <= 10) / (double)detections.Count, 0.7, 0.9);

        // About 85 % acknowledged, 12 % dismissed as false (with its closing instant), the rest converted.
        var dismissed = handled.Where(a => a.Status == (int)AlertStatus.Dismissed).ToList();
        Assert.InRange(dismissed.Count / (double)handled.Count, 0.08, 0.16);
        Assert.All(dismissed, a => Assert.Equal(a.AcknowledgedAt, a.ClosedAt));
        Assert.InRange(handled.Count(a => a.Status == (int)AlertStatus.Acknowledged) / (double)handled.Count, 0.8, 0.9);

        // The rainstorms' warnings and alarms: raised, cleared, acknowledged within 1–15 minutes.
        var water = await Query<(int Kind, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt, DateTimeOffset? AcknowledgedAt, double DepthCm, double PeakDepthCm)>(
            "SELECT Kind, RaisedAt, ClearedAt, AcknowledgedAt, DepthCm, PeakDepthCm FROM WaterAlarm ORDER BY Id");
        output.WriteLine($"{water.Count} water alarms: {water.Count(w => w.Kind == 2)} at the Alarm level");
        Assert.Contains(water, w => w.Kind == (int)WaterAlarmKind.Warning);
        Assert.Contains(water, w => w.Kind == (int)WaterAlarmKind.Alarm);
        Assert.True(water.Zip(water.Skip(1)).All(p => p.First.RaisedAt <= p.Second.RaisedAt), "ids rise with time");
        Assert.All(water, w =>
        {
            Assert.True(w.ClearedAt > w.RaisedAt && w.ClearedAt <= Now);
            Assert.InRange((w.AcknowledgedAt!.Value - w.RaisedAt).TotalMinutes, 1, 15);
            Assert.True(w.PeakDepthCm >= w.DepthCm);
        });

        // The assessment's indicator has figures: last week's acknowledgements per grid.
        await using var c = await street.Db.Factory.OpenAsync();
        var weekStart = street.Clock.WeekStart;
        var acks = (await c.QueryAsync<(int GridId, long Acknowledged, double AckMinutesSum)>(CommandCenter.Data.Assessments.AssessmentSql.Acks_Sqlite,
            new { From = weekStart.AddDays(-7), To = weekStart })).ToList();
        Assert.True(acks.Count >= 40, $"only {acks.Count} grids with acknowledgements last week");
        Assert.All(acks, a => Assert.InRange(a.AckMinutesSum / a.Acknowledged, 1, 15));
    }

    private sealed class AlertAck
    {
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public int Status { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public DateTimeOffset? IncidentReportedAt { get; init; }
        public double Minutes => (AcknowledgedAt!.Value - OccurredAt).TotalMinutes;
    }

    [Fact]
    public async Task SeedIfEmptyAsync_SeededStreet_LoadsIntoTheLiveBoard()
    {
        var seed = await new BoardLoader(street.Db.Factory, street.Clock).LoadAsync();
        var board = new LiveBoard(street.Clock);
        board.Load(seed);
        var snapshot = board.GetSnapshot();

        Assert.Equal(52, snapshot.Grids.Count);
        Assert.All(snapshot.Grids, g => Assert.Equal(5, g.Polygon.Count));
        Assert.All(snapshot.Grids, g => Assert.True(g.Staffed));
        Assert.Equal(12, snapshot.WaterPoints.Count);
        Assert.All(snapshot.WaterPoints, w => Assert.Equal(WaterLevel.Normal, w.Level));
        Assert.True(snapshot.Incidents.Open > 0);
        Assert.True(snapshot.Incidents.ReportedToday > 0);
        Assert.Equal(52, snapshot.Coverage.GridsPatrolledToday);
        Assert.True(snapshot.Coverage.KeyHouseholdsVisitedThisWeek > 0);
        Assert.InRange(snapshot.Cameras.Online, 205, 215);
        Assert.NotEmpty(snapshot.RecentAlerts);
    }

    [Fact]
    public async Task SeedIfEmptyAsync_StreetExists_ReturnsFalseAndWritesNothing()
    {
        var households = await Scalar<int>("SELECT COUNT(*) FROM Household");
        var incidents = await Scalar<int>("SELECT COUNT(*) FROM Incident");

        var again = await new DemoStreetSeeder(street.Db.Factory, street.Clock, NullLogger<DemoStreetSeeder>.Instance).SeedIfEmptyAsync(7);

        Assert.False(again);
        Assert.Equal(households, await Scalar<int>("SELECT COUNT(*) FROM Household"));
        Assert.Equal(incidents, await Scalar<int>("SELECT COUNT(*) FROM Incident"));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_SameSeedAndTime_GivesTheSameStreet()
    {
        await using var other = await SqliteDatabase.CreateAsync();
        var clock = new BoardClock(new FakeTimeProvider(Now), BoardClock.FindZone("Asia/Shanghai"));
        Assert.True(await new DemoStreetSeeder(other.Factory, clock, NullLogger<DemoStreetSeeder>.Instance).SeedIfEmptyAsync(SeededDemoStreet.Seed));

        const string Digest =
            "SELECT (SELECT COUNT(*) FROM Household) || '|' || (SELECT SUM(Members) FROM Household) || '|' || " +
            "(SELECT COUNT(*) FROM Incident) || '|' || (SELECT COUNT(*) FROM CameraAlert) || '|' || (SELECT COUNT(*) FROM HouseholdVisit) || '|' || " +
            "(SELECT MAX(Number) FROM Incident) || '|' || (SELECT SUM(DepthCm) FROM SensorReading)";
        await using var a = await street.Db.Factory.OpenAsync();
        await using var b = await other.Factory.OpenAsync();
        Assert.Equal(
            await a.QueryAsync<(string, string)>("SELECT Code, BoundaryGeoJson FROM Grid ORDER BY Id"),
            await b.QueryAsync<(string, string)>("SELECT Code, BoundaryGeoJson FROM Grid ORDER BY Id"));
        Assert.Equal(
            await a.QueryAsync<string>("SELECT HeadName || Room FROM Household ORDER BY Id"),
            await b.QueryAsync<string>("SELECT HeadName || Room FROM Household ORDER BY Id"));
        Assert.Equal(await a.ExecuteScalarAsync<string>(Digest), await b.ExecuteScalarAsync<string>(Digest));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_DifferentSeed_GivesADifferentLattice()
    {
        var a = DemoStreetLayout.Build(new Random(1)).Vertex(5, 2);
        var b = DemoStreetLayout.Build(new Random(2)).Vertex(5, 2);

        Assert.NotEqual(a, b);
        Assert.InRange(a[0], 117.55, 117.60);
        Assert.InRange(a[1], 34.85, 34.875);
        await Task.CompletedTask;
    }

    private static List<double[]> ParsePolygon(string geoJson)
    {
        using var doc = JsonDocument.Parse(geoJson);
        Assert.Equal("Polygon", doc.RootElement.GetProperty("type").GetString());
        return doc.RootElement.GetProperty("coordinates")[0].EnumerateArray()
            .Select(p => new[] { p[0].GetDouble(), p[1].GetDouble() }).ToList();
    }
}

/// <summary>Keeps formatted log lines, for tests that check or show what was logged.</summary>
public sealed class ListLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) { return [.. _lines]; } }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) { _lines.Add($"{logLevel}: {formatter(state, exception)}"); }
    }
}
