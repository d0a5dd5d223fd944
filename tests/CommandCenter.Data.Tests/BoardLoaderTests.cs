using CommandCenter.Tests.Shared;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

public sealed class BoardLoaderTests
{
    [Fact]
    public async Task LoadAsync_AfterIngestion_BoardFromDatabaseEqualsBoardFromEvents()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(db.Factory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero));
        var clock = new BoardClock(time, BoardClock.FindZone("Asia/Shanghai"));
        var loader = new BoardLoader(db.Factory, clock);
        var live = new LiveBoard(clock);
        live.Load(await loader.LoadAsync());
        var service = new TestHandlers(db.Factory, live, clock);

        var a = await service.ReportIncidentAsync(new ReportIncident { Category = "fire", GridId = 1, Source = "Camera", ReporterName = "cam", Title = "Smoke" });
        await service.ReportIncidentAsync(new ReportIncident { Category = "noise", GridId = 3, Source = "Resident", ReporterName = "r", Title = "Noise" });
        for (var i = 0; i < 5; i++) await service.AdvanceIncidentAsync(a.Id);
        await service.RecordReadingsAsync(new RecordReadings { Readings = [new() { SensorId = "WL-01", DepthCm = 17 }] });
        await service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "camera_offline" });
        await service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.7 });
        await service.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 2 });
        await service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 1 });
        var fromDb = new LiveBoard(clock);
        fromDb.Load(await loader.LoadAsync());

        var expected = live.GetSnapshot();
        var actual = fromDb.GetSnapshot();
        Assert.Equal(expected.Incidents.Open, actual.Incidents.Open);
        Assert.Equal(1, actual.Incidents.Open);
        Assert.Equal(expected.Incidents.ReportedToday, actual.Incidents.ReportedToday);
        Assert.Equal(expected.Incidents.ClosedToday, actual.Incidents.ClosedToday);
        Assert.Equal(1, actual.Incidents.ClosedToday);
        Assert.Equal(expected.Coverage, actual.Coverage);
        Assert.Equal(expected.Cameras, actual.Cameras);
        Assert.Equal(expected.RecentAlerts.Select(x => x.Id), actual.RecentAlerts.Select(x => x.Id));
        Assert.Equal(WaterLevel.Warning, actual.WaterPoints.Single().Level);
        Assert.Equal(expected.WaterPoints.Single().Trend, actual.WaterPoints.Single().Trend);
        Assert.Equal(5, actual.Grids[0].Polygon.Count);
    }

    [Theory]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3,4],[5,6],[1,2]]]}", 4)]
    [InlineData("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[0,1],[0,0]]],[[[0,0],[2,0],[2,2],[0,2],[0,0]]]]}", 5)]
    [InlineData(null, 0)]
    public void ParseRing_GeoJson_ReturnsTheOuterRing(string? json, int points)
    {
        Assert.Equal(points, BoardLoader.ParseRing(json).Count);
    }
}
