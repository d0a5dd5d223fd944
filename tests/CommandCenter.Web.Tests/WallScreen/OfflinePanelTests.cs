using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Components.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>The wall's list of silent devices: offline cameras and points the job marked offline, in the screen's language.</summary>
public sealed class OfflinePanelTests
{
    private static BoardSeed Seed(DateTimeOffset now) => WallScreenTestHost.Seed(now,
    [
        new CameraMark(1, "CAM-001", "大门摄像机", 1, 117.505, 34.805, Online: true) { NameEn = "Gate camera" },
        new CameraMark(2, "CAM-002", "巷道摄像机", 3, 117.505, 34.815, Online: false) { NameEn = "Lane camera", StatusAt = now.AddMinutes(-30) },
    ]);

    private static IRenderedComponent<OfflinePanel> Render(WallScreenTestHost host, bool chinese)
    {
        var s = host.Board.GetSnapshot();
        return host.Ctx.Render<OfflinePanel>(p => p
            .Add(x => x.Cameras, s.CameraMarks).Add(x => x.Points, s.WaterPoints).Add(x => x.Grids, s.Grids).Add(x => x.Chinese, chinese));
    }

    [Fact]
    public async Task AllOnlineButOneCamera_ListsThatCamera_InChinese_WithGridAndSince()
    {
        await using var host = new WallScreenTestHost("zh-CN", Seed);

        var cut = Render(host, chinese: true);

        Assert.Equal("1", cut.Find("[data-stat=offline-cameras] .ws-big").TextContent);
        Assert.Equal("0", cut.Find("[data-stat=offline-points] .ws-big").TextContent);
        var row = Assert.Single(cut.FindAll("[data-offline]"));
        Assert.Equal("camera-2", row.GetAttribute("data-offline"));
        Assert.Equal("巷道摄像机", row.QuerySelector(".ws-off-name")!.TextContent);
        Assert.Equal("第三网格", row.QuerySelector(".ws-off-grid")!.TextContent);
        Assert.Equal("06-03 10:00 起", row.QuerySelector(".ws-off-since")!.TextContent);
    }

    [Fact]
    public async Task PointMarkedOfflineByTheJob_IsListedAfterTheLongerSilentCamera_InEnglish()
    {
        await using var host = new WallScreenTestHost("en-US", Seed);
        host.Board.Publish(WaterPointStatusEvent.Of(1, false, WallScreenTestHost.Start));

        var cut = Render(host, chinese: false);

        Assert.Equal("1", cut.Find("[data-stat=offline-points] .ws-big").TextContent);
        Assert.Equal(["camera-2", "point-1"], cut.FindAll("[data-offline]").Select(r => r.GetAttribute("data-offline")));
        Assert.Equal(["Lane camera", "Railway underpass"], cut.FindAll(".ws-off-name").Select(n => n.TextContent));
        Assert.Equal(["Grid 3", "Market grid"], cut.FindAll(".ws-off-grid").Select(n => n.TextContent));
        Assert.Equal("since 06-03 10:29", cut.FindAll(".ws-off-since")[1].TextContent);

        // A reading newer than the mark: the point reports again and leaves the list at once.
        host.Board.Publish(new ReadingsEvent([new Reading(1, 5, WallScreenTestHost.Start.AddSeconds(5))]) { Sequence = 999 });
        cut = Render(host, chinese: false);
        Assert.Equal(["camera-2"], cut.FindAll("[data-offline]").Select(r => r.GetAttribute("data-offline")));
    }

    [Fact]
    public async Task NothingOffline_SaysSo()
    {
        await using var host = new WallScreenTestHost("en-US", now => WallScreenTestHost.Seed(now, []));

        var cut = Render(host, chinese: false);

        Assert.Empty(cut.FindAll("[data-offline]"));
        Assert.Equal("All devices online", cut.Find(".ws-empty").TextContent);
    }
}
