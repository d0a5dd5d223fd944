using AngleSharp.Dom;
using Bunit;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Devices;
using Dapper;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The /devices page's offline list: who the board holds offline, with the registry's details, live, sortable, cut to the caller's community.</summary>
public sealed class OfflineDeviceListTests
{
    private static readonly DateTimeOffset Start = ConsoleTestHost.Start;

    /// <summary>CAM-0001 offline for 30 minutes; WL-07 silent (last reading an hour ago, every 5 minutes expected); WL-08 reporting.</summary>
    private static async Task<ConsoleTestHost> HostAsync()
    {
        var host = await ConsoleTestHost.CreateAsync();
        DeviceRegistryPageTests.AddRegistry(host);
        await host.Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE Camera SET IsOnline = 0, StatusAt = @Off, LastSeenAt = @Seen, ExpectedIntervalSeconds = 900 WHERE Id = 1",
                new { Off = Start.AddMinutes(-30), Seen = Start.AddMinutes(-40) }, tx);
            await c.ExecuteAsync("INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm, ExpectedIntervalSeconds) VALUES " +
                "(7, 'WL-07', 'Tunnel', '隧道', 2, 117.5, 34.8, 15, 30, 300), (8, 'WL-08', 'Culvert', '涵洞', 3, 117.5, 34.8, 15, 30, 300)", transaction: tx);
            await c.ExecuteAsync("INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (7, 3, @Old, @Old), (8, 4, @Now, @Now)",
                new { Old = Start.AddHours(-1), Now = Start.AddSeconds(-10) }, tx);
            return 0;
        });
        host.Board.Load(await new BoardLoader(host.Db, host.Clock).LoadAsync());
        return host;
    }

    private static string[] Rows(IRenderedComponent<DeviceRegistryPage> cut) =>
        [.. cut.FindAll("[data-cc=offline-list] tbody tr").Select(r => r.GetAttribute("data-cc-offline")!)];

    private static string[] Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    [Fact]
    public async Task TheList_ShowsEachOfflineDevice_WithItsDetails_LongestOfflineFirst_BesideTheCounts()
    {
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("watcher", Roles.Viewer);

        var cut = host.Render<DeviceRegistryPage>();

        Assert.Equal(["point-WL-07", "camera-CAM-0001"], Rows(cut));
        Assert.Equal(["Sensor", "WL-07", "Tunnel", "North grid 2", "2025-06-03 09:30", "2025-06-03 09:30", "300"],
            Cells(cut.Find("tr[data-cc-offline=point-WL-07]")));
        Assert.Equal(["Camera", "CAM-0001", "North gate", "North grid 1", "2025-06-03 10:00", "2025-06-03 09:50", "900"],
            Cells(cut.Find("tr[data-cc-offline=camera-CAM-0001]")));
        Assert.Equal("Cameras offline: 1 of 2", cut.Find("[data-cc=cameras-offline]").TextContent.Trim());
        Assert.Equal("Water points offline: 1 of 2", cut.Find("[data-cc=points-offline]").TextContent.Trim());
    }

    [Fact]
    public async Task TheList_FollowsTheBoardLive_ADeviceGoingOffOrOnlineMovesInOrOut()
    {
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("watcher", Roles.Viewer);
        var cut = host.Render<DeviceRegistryPage>();

        host.Board.Publish(new CameraStatusEvent(2, false, Start.AddMinutes(-5)) { Sequence = 9001 });
        cut.WaitForAssertion(() => Assert.Equal(["point-WL-07", "camera-CAM-0001", "camera-CAM-0002"], Rows(cut)));
        Assert.Equal("Cameras offline: 2 of 2", cut.Find("[data-cc=cameras-offline]").TextContent.Trim());

        host.Board.Publish(new ReadingsEvent([new Reading(7, 5, Start)]) { Sequence = 9002 });
        cut.WaitForAssertion(() => Assert.Equal(["camera-CAM-0001", "camera-CAM-0002"], Rows(cut)));
        Assert.Equal("Water points offline: 0 of 2", cut.Find("[data-cc=points-offline]").TextContent.Trim());

        host.Board.Publish(new CameraStatusEvent(1, true, Start) { Sequence = 9003 });
        host.Board.Publish(new CameraStatusEvent(2, true, Start) { Sequence = 9004 });
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-cc=offline-none]")));
    }

    [Fact]
    public async Task EveryColumn_Sorts_AndASecondClickReversesIt()
    {
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("watcher", Roles.Viewer);
        var cut = host.Render<DeviceRegistryPage>();

        cut.Find("button[data-cc-sort=Code]").Click();
        Assert.Equal(["camera-CAM-0001", "point-WL-07"], Rows(cut));
        Assert.Equal("ascending", cut.Find("button[data-cc-sort=Code]").ParentElement!.GetAttribute("aria-sort"));
        cut.Find("button[data-cc-sort=Code]").Click();
        Assert.Equal(["point-WL-07", "camera-CAM-0001"], Rows(cut));
        Assert.Equal("descending", cut.Find("button[data-cc-sort=Code]").ParentElement!.GetAttribute("aria-sort"));
        cut.Find("button[data-cc-sort=Interval]").Click();
        Assert.Equal(["point-WL-07", "camera-CAM-0001"], Rows(cut)); // 300 s before 900 s
        cut.Find("button[data-cc-sort=LastSeen]").Click();
        Assert.Equal(["point-WL-07", "camera-CAM-0001"], Rows(cut));
        cut.Find("button[data-cc-sort=LastSeen]").Click();
        Assert.Equal(["camera-CAM-0001", "point-WL-07"], Rows(cut));

        // The order chosen holds when the board changes the list.
        host.Board.Publish(new CameraStatusEvent(2, false, Start.AddMinutes(-5)) { Sequence = 9001 });
        cut.WaitForAssertion(() => Assert.Equal(["camera-CAM-0001", "point-WL-07", "camera-CAM-0002"], Rows(cut))); // never seen: last
    }

    [Fact]
    public async Task APersonOfOneCommunity_SeesItsOwnOfflineDevicesOnly()
    {
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("south", Roles.Viewer, communityId: 2);
        host.Board.Publish(new CameraStatusEvent(2, false, Start.AddMinutes(-5)) { Sequence = 9001 });

        var cut = host.Render<DeviceRegistryPage>();

        Assert.Equal(["camera-CAM-0002"], Rows(cut));
        Assert.Equal("Cameras offline: 1 of 1", cut.Find("[data-cc=cameras-offline]").TextContent.Trim());
    }
}
