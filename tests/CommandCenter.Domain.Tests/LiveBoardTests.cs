using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

public sealed class LiveBoardTests
{
    // 2026-11-23 14:00 in Shanghai (UTC+8), a Monday.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly LiveBoard _board;
    private readonly List<LiveChange> _changes = [];

    public LiveBoardTests()
    {
        _board = new LiveBoard(new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai")), new CommandCenter.Domain.Devices.SilenceMargin(2, TimeSpan.Zero)); // 300 s × 2: the 10 minutes of a default point;
        _board.Load(Seed());
        _board.Subscribe(_changes.Add);
    }

    private static BoardSeed Seed() => new()
    {
        StreetName = "Test",
        StreetNameZh = "测试",
        Communities = [new(1, "North", "北"), new(2, "South", "南")],
        Grids =
        [
            new(1, 1, "G1", "Grid 1", "网格1", GridKind.Basic, [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], true),
            new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]], false),
            new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]], true),
        ],
        Cameras = [new(1, "CAM-1", "Gate", 1, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, false)],
        WaterPoints = [new(1, "WL-01", "Underpass", "下穿", 2, 1.5, 0.5, 15, 30, [new Reading(1, 2, Now.AddMinutes(-1))])],
        OpenIncidents =
        [
            new(10, "N10", "fire", 1, "Smoke", IncidentStep.Dispatched, Now.AddHours(-6), Now.AddHours(-2)),
            new(11, "N11", "noise", 3, "Noise", IncidentStep.Reported, Now.AddHours(-1), Now.AddHours(47)),
        ],
        ReportedTodayByGrid = new Dictionary<int, int> { [1] = 3, [3] = 2 },
        ClosedTodayByGrid = new Dictionary<int, int> { [1] = 3 },
        HouseholdsByGrid = new Dictionary<int, int> { [1] = 60, [2] = 30, [3] = 10 },
        KeyHouseholdsByGrid = new Dictionary<int, int> { [1] = 6, [2] = 4 },
        VisitedHouseholdGrids = new Dictionary<long, int> { [1] = 1, [2] = 1, [3] = 2 },
        GridsPatrolledToday = [1],
        HouseholdsVisitedThisMonth = [1, 2, 3],
        KeyHouseholdsVisitedThisWeek = [1],
    };

    private static IncidentEvent Reported(long id, int grid = 2, string category = "sanitation") =>
        new(id, "N" + id, category, grid, "t", IncidentStep.Reported, null, Now, Now.AddHours(24), Now);

    [Fact]
    public void GetSnapshot_AfterLoad_ReflectsTheSeed()
    {
        var s = _board.GetSnapshot();

        Assert.Equal(2, s.Incidents.Open);
        Assert.Equal(1, s.Incidents.Overdue);
        Assert.Equal(5, s.Incidents.ReportedToday);
        Assert.Equal(1, s.Incidents.ByStep.Single(x => x.Step == IncidentStep.Dispatched).Count);
        Assert.Equal(new[] { "1:1", "2:1" }, s.Incidents.ByCommunity.Select(k => $"{k.Key}:{k.Count}"));
        Assert.Equal(new CoverageStats(3, 2, 1, 100, 3, 10, 1, 1), s.Coverage);
        Assert.Equal(new CameraStats(2, 1, 1, 0), s.Cameras);
        Assert.Equal(WaterLevel.Normal, s.WaterPoints.Single().Level);
        Assert.Equal(new MapBounds(0, 0, 3, 1), s.Street.Bounds);
    }

    [Fact]
    public void Publish_NewIncident_RaisesVersionCountsAndGridHeat()
    {
        var before = _board.Version;

        _board.Publish(Reported(12));

        var change = Assert.Single(_changes);
        Assert.Equal(before + 1, change.Version);
        Assert.Equal(ChangeKind.Incident, change.Kind);
        Assert.True(change.Sections.HasFlag(LiveSections.Incidents));
        Assert.Equal(12, change.Incident!.Id);
        Assert.Equal(6, _board.GetSnapshot().Incidents.ReportedToday);
        Assert.Equal(3, _board.GetSnapshot().Incidents.Open);
        Assert.Equal(new GridHeat(2, 1, false), change.Grid);
        Assert.Equal(before + 1, _board.GetSnapshot().Version);
    }

    [Fact]
    public void Publish_IncidentClosed_LeavesOpenSetAndCountsClosedToday()
    {
        _board.Publish(new IncidentEvent(10, "N10", "fire", 1, "Smoke", IncidentStep.Closed, IncidentStep.FeedbackGiven, Now.AddHours(-6), Now.AddHours(-2), Now));

        var s = _board.GetSnapshot();
        Assert.Equal(1, s.Incidents.Open);
        Assert.Equal(4, s.Incidents.ClosedToday);
        Assert.Equal(0, s.Incidents.Overdue);
        Assert.Equal(0, s.Grids.Single(g => g.Id == 1).OpenIncidents);
    }

    [Fact]
    public void Publish_StepChangeOfOpenIncident_DoesNotCountAsReportedToday()
    {
        _board.Publish(new IncidentEvent(11, "N11", "noise", 3, "Noise", IncidentStep.Verified, IncidentStep.Reported, Now.AddHours(-1), Now.AddHours(47), Now));

        var s = _board.GetSnapshot();
        Assert.Equal(5, s.Incidents.ReportedToday);
        Assert.Equal(1, s.Incidents.ByStep.Single(x => x.Step == IncidentStep.Verified).Count);
        Assert.Equal(0, s.Incidents.ByStep.Single(x => x.Step == IncidentStep.Reported).Count);
    }

    [Fact]
    public void Publish_Readings_MoveLevelToAlarmAndFillTheTrend()
    {
        _board.Publish(new ReadingsEvent([new Reading(1, 18, Now), new Reading(1, 31, Now.AddSeconds(5))]));

        var w = Assert.Single(Assert.Single(_changes).WaterPoints!);
        Assert.Equal(WaterLevel.Alarm, w.Level);
        Assert.Equal(31, w.DepthCm);
        Assert.Equal(LiveBoard.TrendBuckets, w.Trend.Count);
        Assert.Equal(31, w.Trend[^1]);
    }

    [Fact]
    public void Publish_CameraOnlineThenAlert_UpdatesCountsCoverageAndFeedNewestFirst()
    {
        _board.Publish(new CameraStatusEvent(2, true, Now));
        _board.Publish(new CameraAlertEvent(100, 1, "crowd", 0.9, Now));
        _board.Publish(new CameraAlertEvent(101, 2, "fire_smoke", 0.8, Now));

        var s = _board.GetSnapshot();
        Assert.Equal(new CameraStats(2, 2, 0, 2), s.Cameras);
        Assert.Equal(2, s.Coverage.GridsWithOnlineCamera);
        Assert.Equal(new long[] { 101, 100 }, s.RecentAlerts.Select(a => a.Id));
        Assert.Equal("Market", s.RecentAlerts[0].CameraName);
    }

    [Fact]
    public void Publish_PatrolAndVisits_CountDistinctGridsAndHouseholds()
    {
        _board.Publish(new PatrolEvent(2, 1, Now));
        _board.Publish(new PatrolEvent(2, 1, Now));
        _board.Publish(new VisitEvent(5, 1, true, Now));
        _board.Publish(new VisitEvent(5, 1, true, Now));

        var c = _board.GetSnapshot().Coverage;
        Assert.Equal(2, c.GridsPatrolledToday);
        Assert.Equal(4, c.HouseholdsVisitedThisMonth);
        Assert.Equal(2, c.KeyHouseholdsVisitedThisWeek);
    }

    [Fact]
    public void Tick_IncidentPassesItsDeadline_CountsOverdue()
    {
        Assert.False(_board.Tick());
        _time.Advance(TimeSpan.FromHours(48));

        Assert.True(_board.Tick());

        Assert.Equal(2, _board.GetSnapshot().Incidents.Overdue);
    }

    [Fact]
    public void Tick_SensorSilentTooLong_GoesSilent()
    {
        _time.Advance(TimeSpan.FromMinutes(12));

        _board.Tick();

        Assert.Equal(WaterLevel.Silent, _board.GetSnapshot().WaterPoints.Single().Level);
    }

    [Fact]
    public void Tick_NewDayInStreetZone_ResetsTodayCounts()
    {
        // 14:00 → 00:30 the next day in Shanghai.
        _time.Advance(TimeSpan.FromHours(10.5));

        _board.Tick();

        var s = _board.GetSnapshot();
        Assert.Equal(0, s.Incidents.ReportedToday);
        Assert.Equal(0, s.Incidents.ClosedToday);
        Assert.Equal(0, s.Coverage.GridsPatrolledToday);
        Assert.Equal(1, s.Coverage.KeyHouseholdsVisitedThisWeek); // same week (Tuesday)
        Assert.Equal(2, s.Incidents.Open);
    }

    [Fact]
    public void GetSnapshot_SameVersion_ReturnsTheCachedInstance()
    {
        var a = _board.GetSnapshot();
        var b = _board.GetSnapshot();
        _board.Publish(Reported(13));
        var c = _board.GetSnapshot();

        Assert.Same(a, b);
        Assert.NotSame(b, c);
    }

    [Fact]
    public void Subscribe_Disposed_StopsDelivery()
    {
        var seen = 0;
        var sub = _board.Subscribe(_ => seen++);
        _board.Publish(Reported(14));
        sub.Dispose();
        _board.Publish(Reported(15));

        Assert.Equal(1, seen);
    }

    [Fact]
    public void Publish_ConcurrentWriters_VersionCountsEveryChange()
    {
        var before = _board.Version;
        Parallel.For(0, 200, i => _board.Publish(Reported(1000 + i)));

        Assert.Equal(before + 200, _board.Version);
        Assert.Equal(202, _board.GetSnapshot().Incidents.Open);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => before + i), _changes.Select(c => c.Version));
    }
}
