using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Assessments;

/// <summary>
/// The rows behind a grid's visit, patrol, alert and points indicators on the test street (grid 1: households 1 (key)
/// and 2, staff 1, camera 1; grid 2: water point 1; grid 3 in community 2), for 2026-W47 in Shanghai time.
/// </summary>
public sealed class GridEvidenceQueryTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = BoardClock.FindZone("Asia/Shanghai");
    private static readonly Period W47 = Period.Parse("2026-W47");
    private static readonly DateTimeOffset W47Start = new(2026, 11, 15, 16, 0, 0, TimeSpan.Zero); // Monday 00:00 local
    private static readonly Actor Street = new(ActorKind.User, "u", "u");

    private SqliteDatabase _db = null!;
    private GridEvidenceQuery _query = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _query = new GridEvidenceQuery(_db.Factory, new BoardClock(new FakeTimeProvider(W47Start.AddDays(8)), Zone));
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync("INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt) VALUES (1, 1, @In), (1, 2, @Before)",
            new { In = W47Start.AddHours(10), Before = W47Start.AddSeconds(-1) });
        await c.ExecuteAsync("INSERT INTO ContactVisit (StaffId, HouseholdId, VisitedAt, RecordedAt, RecordedBy) VALUES (1, 2, @At, @At, 'admin')", new { At = W47Start.AddHours(8) });
        await c.ExecuteAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 1, @At), (1, 3, @At)", new { At = W47Start.AddHours(1) });
        await c.ExecuteAsync("INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) VALUES (1, 'crowd', 0.9, @At, @At, 2, @Ack)",
            new { At = W47Start.AddHours(2), Ack = W47Start.AddHours(2).AddMinutes(7) });
        await c.ExecuteAsync("INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm) VALUES (1, 2, @At, 31, 35)", new { At = W47Start.AddHours(3) });
        await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, GridId, CommunityId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt) " +
            "VALUES (1, 1, 1, 1, 1, 1, 'VISIT', 2, '2026-W47', '2026-11', @At, @At), (1, 1, 1, 1, 1, 1, 'VISIT', 2, '2026-W46', '2026-11', @Before, @Before)",
            new { At = W47Start.AddHours(10), Before = W47Start.AddDays(-2) });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Visits_HouseholdAndContactVisitsOfTheStreetWeek_InTimeOrder()
    {
        var e = await _query.GetAsync(EvidenceKind.Visits, 1, W47, Street);

        Assert.Equal(["contact", "visit"], e.Rows.Select(r => r.Source));
        Assert.Equal(["1-102", "1-101"], e.Rows.Select(r => r.What));
        Assert.Equal([false, true], e.Rows.Select(r => r.KeyHousehold));
        Assert.All(e.Rows, r => Assert.Equal("王五", r.Who));
        Assert.False(e.Truncated);
    }

    [Fact]
    public async Task Alerts_CameraAlertsAndWaterAlarmsOfTheGrid_WithTheirAcknowledgement()
    {
        var grid1 = await _query.GetAsync(EvidenceKind.Alerts, 1, W47, Street);
        var grid2 = await _query.GetAsync(EvidenceKind.Alerts, 2, W47, Street);

        var camera = Assert.Single(grid1.Rows);
        Assert.Equal(("camera", "Gate", "crowd"), (camera.Source, camera.What, camera.Detail));
        Assert.Equal(TimeSpan.FromMinutes(7), camera.AcknowledgedAt - camera.At);
        var water = Assert.Single(grid2.Rows);
        Assert.Equal(("water", "下穿隧道", "alarm"), (water.Source, water.WhatZh, water.Detail));
        Assert.Null(water.AcknowledgedAt);
    }

    [Fact]
    public async Task PatrolsAndPoints_OfTheGridAndPeriodOnly()
    {
        Assert.Single((await _query.GetAsync(EvidenceKind.Patrols, 1, W47, Street)).Rows);
        var points = Assert.Single((await _query.GetAsync(EvidenceKind.Points, 1, W47, Street)).Rows);
        Assert.Equal(("VISIT", 2), (points.What, points.Points));
        Assert.Equal(2, (await _query.GetAsync(EvidenceKind.Points, 1, Period.Parse("2026-11"), Street)).Rows.Count);
    }

    [Fact]
    public async Task CommunityScopedActor_GetsNothingForAGridOutsideItsCommunity()
    {
        var south = new Actor(ActorKind.User, "u", "u", CommunityId: 2);

        Assert.Empty((await _query.GetAsync(EvidenceKind.Visits, 1, W47, south)).Rows);
        Assert.Single((await _query.GetAsync(EvidenceKind.Patrols, 3, W47, south)).Rows);
    }
}
