using System.Globalization;
using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>Each panel renders the numbers of a snapshot of the small test street.</summary>
public sealed class PanelTests
{
    [Fact]
    public async Task IncidentPanel_Snapshot_ShowsTodayOpenStepsOverdueClosedCategoriesAndCommunities()
    {
        await using var host = new WallScreenTestHost();
        var snapshot = host.Board.GetSnapshot();

        var cut = host.Ctx.Render<IncidentPanel>(p => p
            .Add(x => x.Stats, snapshot.Incidents)
            .Add(x => x.Communities, snapshot.Street.Communities));

        Assert.Equal("3", cut.Find("[data-stat=reported-today] .ws-big").TextContent);
        Assert.Equal("4", cut.Find("[data-stat=open] .ws-big").TextContent);
        Assert.Equal("1", cut.Find("[data-stat=overdue] .ws-big").TextContent);
        Assert.Contains("ws-tile-bad", cut.Find("[data-stat=overdue]").ClassName);
        Assert.Equal("2", cut.Find("[data-stat=closed-today] .ws-big").TextContent);

        var steps = cut.FindAll(".ws-step");
        Assert.Equal(
            ["Reported:1", "Verified:1", "Dispatched:1", "Processed:1", "Feedback given:0"],
            steps.Select(s => s.QuerySelector(".ws-label")!.TextContent + ":" + s.QuerySelector(".ws-big")!.TextContent));

        var categories = cut.FindAll("[data-category]");
        Assert.Equal(
            ["Environment & sanitation:2", "Fire prevention:1", "Noise:1"],
            categories.Select(c => c.QuerySelector("span")!.TextContent + ":" + c.QuerySelector("b")!.TextContent));
        Assert.Equal("--w:100%", cut.Find("[data-category=sanitation]").GetAttribute("style"));
        Assert.Equal("--w:50%", cut.Find("[data-category=fire]").GetAttribute("style"));

        var communities = cut.FindAll("[data-community]");
        Assert.Equal(
            ["Dongfeng Community:3", "Xinhua Community:1"],
            communities.Select(c => c.QuerySelector("span")!.TextContent + ":" + c.QuerySelector("b")!.TextContent));
        Assert.Equal("--w:33.3%", cut.Find("[data-community='2']").GetAttribute("style"));
    }

    [Fact]
    public async Task LoopPanel_ShowsOpenByCycle_Escalations_OnTimeRateAndHandlingTime_AndTheOverdueListWithHowLate()
    {
        await using var host = new WallScreenTestHost();
        var stats = new LoopStats(
            [new(IncidentCycle.Micro, 3), new(IncidentCycle.Small, 1), new(IncidentCycle.Large, 0)],
            [new OverdueItem(9, "SJ20250603000009", "fire", 1, "Blocked fire exit", IncidentStep.Dispatched, IncidentCycle.Small, DateTimeOffset.UnixEpoch, 130)],
            2, new ClosureStats(4, 3, 0.75, 5.5), new ClosureStats(10, 9, 0.9, 12.25));

        var figures = host.Ctx.Render<LoopPanel>(p => p.Add(x => x.Stats, stats));
        var overdue = host.Ctx.Render<LoopPanel>(p => p.Add(x => x.Stats, stats).Add(x => x.Part, "overdue"));

        Assert.Equal(
            ["Micro cycle:3", "Small cycle:1", "Large cycle:0"],
            figures.FindAll("[data-cycle]").Select(s => s.QuerySelector(".ws-label")!.TextContent + ":" + s.QuerySelector(".ws-big")!.TextContent));
        Assert.Equal("2", figures.Find("[data-stat=escalations] .ws-big").TextContent);
        Assert.Equal("75%", figures.Find("[data-stat=on-time-today] .ws-big").TextContent.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains("ws-tile-bad", figures.Find("[data-stat=on-time-today]").ClassName);
        Assert.Equal("90%", figures.Find("[data-stat=on-time-week] .ws-big").TextContent.Replace(" ", "", StringComparison.Ordinal));
        Assert.Equal("5.5 h", figures.Find("[data-stat=mean-today] .ws-big").TextContent);
        Assert.Equal("12.3 h", figures.Find("[data-stat=mean-week] .ws-big").TextContent);
        var row = overdue.Find("li[data-incident=SJ20250603000009]");
        Assert.Equal("Fire prevention", row.QuerySelector("span")!.TextContent);
        Assert.Contains("Blocked fire exit", row.GetAttribute("title"));
        Assert.Equal("2 h 10 min", row.QuerySelector("b")!.TextContent);
        Assert.Equal("Small cycle", row.QuerySelector("em")!.TextContent);
    }

    [Fact]
    public async Task CoveragePanel_Snapshot_ShowsCountsOfTotalsWithProportionBars()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<CoveragePanel>(p => p.Add(x => x.Coverage, host.Board.GetSnapshot().Coverage));

        (string Key, string Value, string Of, string Width, string Pct)[] expected =
        [
            ("staffed", "2", "of 3", "width:66.7%", "67%"),
            ("patrolled", "1", "of 3", "width:33.3%", "33%"),
            ("visited", "37", "of 200", "width:18.5%", "19%"),
            ("key-visited", "3", "of 20", "width:15%", "15%"),
            ("camera", "1", "of 3", "width:33.3%", "33%"),
        ];
        foreach (var e in expected)
        {
            var metric = cut.Find($"[data-stat={e.Key}]");
            Assert.Equal(e.Value, metric.QuerySelector(".ws-big")!.TextContent);
            Assert.Equal(e.Of, metric.QuerySelector(".ws-of")!.TextContent);
            Assert.Equal(e.Width, metric.QuerySelector(".ws-bar-fill")!.GetAttribute("style"));
            Assert.Equal(e.Pct, metric.QuerySelector(".ws-pct")!.TextContent);
        }

        Assert.Equal("Key households visited this week", cut.Find("[data-stat=key-visited] .ws-label").TextContent);
    }

    [Fact]
    public async Task AlertPanel_Snapshot_ShowsCameraCountsAndFeedNewestFirstInStreetTime()
    {
        await using var host = new WallScreenTestHost();
        host.Board.Publish(new CameraAlertEvent(12, 2, "fire_smoke", 0.934, WallScreenTestHost.Start));
        var snapshot = host.Board.GetSnapshot();

        var cut = host.Ctx.Render<AlertPanel>(p => p
            .Add(x => x.Cameras, snapshot.Cameras)
            .Add(x => x.Alerts, snapshot.RecentAlerts));

        Assert.Equal("1", cut.Find("[data-stat=cameras-online] .ws-big").TextContent);
        Assert.Equal("1", cut.Find("[data-stat=cameras-offline] .ws-big").TextContent);
        Assert.Equal("5", cut.Find("[data-stat=alerts-today] .ws-big").TextContent);

        var rows = cut.FindAll(".ws-alert");
        Assert.Equal(2, rows.Count);
        Assert.Equal("12", rows[0].GetAttribute("data-alert"));
        Assert.Equal("10:30:15", rows[0].QuerySelector(".ws-alert-time")!.TextContent);
        Assert.Equal("Fire / smoke", rows[0].QuerySelector(".ws-alert-kind")!.TextContent);
        Assert.Equal("Lane camera", rows[0].QuerySelector(".ws-alert-cam")!.TextContent);
        Assert.Equal("93%", rows[0].QuerySelector(".ws-alert-conf")!.TextContent);
        Assert.Equal("10:25:15", rows[1].QuerySelector(".ws-alert-time")!.TextContent);
        Assert.Equal("Garbage overflow", rows[1].QuerySelector(".ws-alert-kind")!.TextContent);
        Assert.Equal("87%", rows[1].QuerySelector(".ws-alert-conf")!.TextContent);
    }

    [Fact]
    public async Task AlertPanel_AFoldedRepeat_ShowsTheCountAndLastOccurrenceLive_AndAnAlertWithoutRepeatsShowsNone()
    {
        await using var host = new WallScreenTestHost();
        host.Board.Publish(new CameraAlertEvent(12, 2, "fire_smoke", 0.934, WallScreenTestHost.Start) { Sequence = 12 });
        host.Board.Publish(new CameraAlertFoldedEvent(12, 2, 3, WallScreenTestHost.Start.AddMinutes(2)) { Sequence = 1 });
        var snapshot = host.Board.GetSnapshot();

        var cut = host.Ctx.Render<AlertPanel>(p => p
            .Add(x => x.Cameras, snapshot.Cameras)
            .Add(x => x.Alerts, snapshot.RecentAlerts));

        var rows = cut.FindAll(".ws-alert");
        Assert.Equal("3", rows[0].QuerySelector(".ws-alert-repeat")!.GetAttribute("data-count"));
        Assert.Equal("×3 · last 10:32:15", rows[0].QuerySelector(".ws-alert-repeat")!.TextContent);
        Assert.Null(rows[1].QuerySelector(".ws-alert-repeat"));
    }

    [Fact]
    public async Task WaterPanel_Snapshot_ShowsDepthThresholdsLevelAndTrendSparkline()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<WaterPanel>(p => p.Add(x => x.Points, host.Board.GetSnapshot().WaterPoints));

        var row = cut.Find("[data-water='1']");
        Assert.Contains("ws-lv-normal", row.ClassName);
        Assert.Equal("Railway underpass", row.QuerySelector(".ws-wp-name")!.TextContent);
        Assert.Equal("8", row.QuerySelector(".ws-wp-depth .ws-big")!.TextContent);
        Assert.Equal("Normal", row.QuerySelector(".ws-chip")!.TextContent);
        Assert.Equal("Warning 15 · Alarm 30 cm", row.QuerySelector(".ws-wp-thr")!.TextContent);

        // Trend: 96 buckets, the last is the current quarter hour. 4 cm three hours ago (bucket 83), 8 cm a minute
        // ago (bucket 94, the previous quarter hour), nothing else: two separate points. Top = 1.25 × alarm = 37.5 cm.
        var path = row.QuerySelector(".ws-spark-line")!.GetAttribute("d")!;
        Assert.Equal("M83,34.9h0.6M94,30.9h0.6", path);
        Assert.Equal("23.8", row.QuerySelector(".ws-spark-warn")!.GetAttribute("y1"));
        Assert.Equal("8.6", row.QuerySelector(".ws-spark-alarm")!.GetAttribute("y1"));
    }

    [Fact]
    public async Task WaterPanel_DepthAboveAlarm_ShowsAlarmLevel()
    {
        await using var host = new WallScreenTestHost();
        host.Board.Publish(new ReadingsEvent([new Reading(1, 31.5, WallScreenTestHost.Start)]));

        var cut = host.Ctx.Render<WaterPanel>(p => p.Add(x => x.Points, host.Board.GetSnapshot().WaterPoints));

        var row = cut.Find("[data-water='1']");
        Assert.Contains("ws-lv-alarm", row.ClassName);
        Assert.Equal("31.5", row.QuerySelector(".ws-wp-depth .ws-big")!.TextContent);
        Assert.Equal("Alarm", row.QuerySelector(".ws-chip")!.TextContent);
    }

    [Theory]
    [InlineData(-0.0)]
    [InlineData(-0.04)]
    public async Task WaterPanel_NegativeZeroDepth_ShowsZeroNotMinusZero(double depth)
    {
        await using var host = new WallScreenTestHost();
        host.Board.Publish(new ReadingsEvent([new Reading(1, depth, WallScreenTestHost.Start)]));

        var cut = host.Ctx.Render<WaterPanel>(p => p.Add(x => x.Points, host.Board.GetSnapshot().WaterPoints));

        Assert.Equal("0", cut.Find("[data-water='1'] .ws-wp-depth .ws-big").TextContent);
    }

    [Fact]
    public async Task GridMap_Snapshot_DrawsProjectedGridsShadedByOpenCountsWithDeviceMarks()
    {
        await using var host = new WallScreenTestHost();
        var snapshot = host.Board.GetSnapshot();

        var cut = host.Ctx.Render<GridMap>(p => p
            .Add(x => x.Bounds, snapshot.Street.Bounds)
            .Add(x => x.Grids, snapshot.Grids)
            .Add(x => x.Cameras, snapshot.CameraMarks)
            .Add(x => x.WaterPoints, snapshot.WaterPoints));

        // Bounds 117.50–117.52 × 34.80–34.82: x is scaled by cos(34.81°), so the map is taller than wide.
        var cos = Math.Cos(34.81 * Math.PI / 180);
        var scale = (1000 - 24) / (0.02 * cos);
        var viewBox = cut.Find("svg.ws-map-svg").GetAttribute("viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1000, viewBox[2]);
        Assert.Equal(24 + (0.02 * scale), viewBox[3], 0.1);

        // One path per kind and heat bin; here each grid falls in its own layer.
        var layers = cut.FindAll("path.ws-grid");
        Assert.Equal(["3", "1", "2"], layers.Select(l => l.GetAttribute("data-grids"))); // basic by bin, then exclusive
        var g1 = cut.Find("[data-grids='1']");
        var g2 = cut.Find("[data-grids='2']");
        var g3 = cut.Find("[data-grids='3']");
        Assert.Contains("ws-h2", g1.ClassList);
        Assert.Contains("ws-h1", g2.ClassList);
        Assert.Contains("ws-grid-excl", g2.ClassList);
        Assert.Contains("ws-h1", g3.ClassList);
        Assert.DoesNotContain("ws-grid-excl", g1.ClassList);

        // South-west corners: grid 1 at the bottom left, grid 2 east of it, grid 3 north of it (y flipped).
        var (x1, y1) = FirstPoint(g1.GetAttribute("d")!);
        var (x2, y2) = FirstPoint(g2.GetAttribute("d")!);
        var (x3, y3) = FirstPoint(g3.GetAttribute("d")!);
        Assert.Equal(12, x1, 0.1);
        Assert.Equal(12 + (0.02 * scale), y1, 0.2);
        Assert.Equal(12 + (0.01 * cos * scale), x2, 0.2);
        Assert.Equal(y1, y2, 0.1);
        Assert.Equal(x1, x3, 0.1);
        Assert.Equal(12 + (0.01 * scale), y3, 0.2);

        // Camera 1 (online) at 117.505, 34.805; camera 2 (offline) at 117.505, 34.815: one dot each.
        var camX = 12 + (0.005 * cos * scale);
        var online = cut.Find("path.ws-cams-on");
        var offline = cut.Find("path.ws-cams-off");
        Assert.Equal("1", online.GetAttribute("data-count"));
        Assert.Equal("1", offline.GetAttribute("data-count"));
        var (cx1, cy1) = Dot(online.GetAttribute("d")!);
        var (cx2, cy2) = Dot(offline.GetAttribute("d")!);
        Assert.Equal(camX, cx1, 0.1);
        Assert.Equal(12 + (0.015 * scale), cy1, 0.2);
        Assert.Equal(camX, cx2, 0.1);
        Assert.Equal(12 + (0.005 * scale), cy2, 0.2);
        Assert.Contains("ws-lv-normal", cut.Find("circle[data-water='1']").ClassList);
        Assert.Equal(6, cut.FindAll(".ws-legend-step").Count);
        Assert.Contains("Exclusive grid", cut.Find(".ws-legend").TextContent);
    }

    [Fact]
    public async Task GridMap_OpenIncidents_MarkedAtGridCentroid_RedWhenOverdue_CommunitiesNamed()
    {
        await using var host = new WallScreenTestHost();
        var snapshot = host.Board.GetSnapshot();
        var grids = snapshot.Grids.Select(g => g.Id == 1 ? g with { OpenIncidents = 3, OverdueIncidents = 1 } : g with { OverdueIncidents = 0 }).ToList();

        var cut = host.Ctx.Render<GridMap>(p => p
            .Add(x => x.Bounds, snapshot.Street.Bounds)
            .Add(x => x.Grids, grids)
            .Add(x => x.Cameras, snapshot.CameraMarks)
            .Add(x => x.WaterPoints, snapshot.WaterPoints)
            .Add(x => x.Communities, snapshot.Street.Communities));

        var mark = cut.Find(".ws-map-mark[data-grid='1']");
        Assert.Equal("3", mark.TextContent);
        Assert.Contains("ws-mark-overdue", mark.ClassList);
        Assert.Contains("left:", mark.GetAttribute("style"), StringComparison.Ordinal);
        Assert.All(cut.FindAll(".ws-map-mark").Where(m => m.GetAttribute("data-grid") != "1"), m => Assert.DoesNotContain("ws-mark-overdue", m.ClassList));
        var marked = cut.FindAll(".ws-map-mark").Select(m => m.GetAttribute("data-grid")).ToList();
        Assert.Equal(grids.Where(g => g.OpenIncidents > 0).Select(g => g.Id.ToString(CultureInfo.InvariantCulture)), marked);
        Assert.Equal("Dongfeng", cut.Find(".ws-map-community[data-community='1']").TextContent);
    }

    [Fact]
    public async Task GridMap_GridNamesOn_NamesGridsInShortFormOnlyWhereTheyFit()
    {
        await using var host = new WallScreenTestHost();
        var snapshot = host.Board.GetSnapshot();
        var community = snapshot.Street.Communities.Single(c => c.Id == 1);
        var shortCommunity = community.Name.Replace(" Community", "", StringComparison.Ordinal);
        var grids = snapshot.Grids.Select(g => g.Id switch
        {
            1 => g with { Name = shortCommunity + " Grid 1" },           // short form fits
            2 => g with { Name = "A very long exclusive grid name that cannot fit" },
            _ => g,
        }).ToList();

        IRenderedComponent<GridMap> Render(bool names) => host.Ctx.Render<GridMap>(p => p
            .Add(x => x.Bounds, snapshot.Street.Bounds)
            .Add(x => x.Grids, grids)
            .Add(x => x.Cameras, snapshot.CameraMarks)
            .Add(x => x.WaterPoints, snapshot.WaterPoints)
            .Add(x => x.Communities, snapshot.Street.Communities)
            .Add(x => x.GridNames, names));

        var named = Render(names: true);
        Assert.Equal("Grid 1", named.Find(".ws-map-grid-name[data-grid-name='1']").TextContent);
        Assert.Empty(named.FindAll(".ws-map-grid-name[data-grid-name='2']"));
        Assert.Empty(Render(names: false).FindAll(".ws-map-grid-name"));
    }

    [Fact]
    public async Task GridMap_GridsInSameKindAndBin_ShareOneLayerPath()
    {
        await using var host = new WallScreenTestHost();
        host.Board.Publish(new IncidentEvent(501, "E-501", "noise", 1, "t", IncidentStep.Closed, IncidentStep.Processed,
            WallScreenTestHost.Start, WallScreenTestHost.Start, WallScreenTestHost.Start)); // unknown id: no change in counts
        host.Board.Publish(new IncidentEvent(101, "E-101", "sanitation", 1, "t", IncidentStep.Closed, IncidentStep.Reported,
            WallScreenTestHost.Start, WallScreenTestHost.Start, WallScreenTestHost.Start)); // grid 1: 2 -> 1 open
        var snapshot = host.Board.GetSnapshot();

        var cut = host.Ctx.Render<GridMap>(p => p
            .Add(x => x.Bounds, snapshot.Street.Bounds)
            .Add(x => x.Grids, snapshot.Grids)
            .Add(x => x.Cameras, snapshot.CameraMarks)
            .Add(x => x.WaterPoints, snapshot.WaterPoints));

        var basic = cut.Find("[data-grids='1 3']");
        Assert.Contains("ws-h1", basic.ClassList);
        Assert.DoesNotContain("ws-grid-excl", basic.ClassList);
        Assert.Equal(2, basic.GetAttribute("d")!.Count(ch => ch == 'M'));
        Assert.Equal(2, cut.FindAll("path.ws-grid").Count);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(7, 4)]
    [InlineData(8, 5)]
    public void HeatBin_OpenCount_FallsInSequentialBin(int open, int bin) =>
        Assert.Equal(bin, GridMap.HeatBin(open));

    private static (double X, double Y) Dot(string d)
    {
        Assert.Matches(@"^M[0-9.]+,[0-9.]+h0$", d);
        var xy = d[1..^2].Split(',');
        return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
    }

    private static (double X, double Y) FirstPoint(string d)
    {
        var xy = d[1..d.IndexOf('L', StringComparison.Ordinal)].Split(',');
        return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
    }
}
