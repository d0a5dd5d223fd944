using CommandCenter.Domain.Readings;
using Bunit;
using CommandCenter.Domain.Live;
using WallScreenPage = CommandCenter.Web.Components.Pages.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>Pages and the playlist: rotation on the injected TimeProvider, an alarm holds the devices page until acknowledged.</summary>
public sealed class WallPlaylistTests
{
    private static readonly DateTimeOffset Now = WallScreenTestHost.Start;

    private static string PageOf(IRenderedComponent<WallScreenPage> cut) => cut.Find(".ws-root").GetAttribute("data-page")!;

    private static void Advance(WallScreenTestHost host, TimeSpan by)
    {
        // In steps, so every timer due on the way fires (the clock and the rotation).
        for (var t = TimeSpan.Zero; t < by; t += TimeSpan.FromSeconds(1))
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Playlist_RotatesEveryDwell_AndWrapsAround()
    {
        await using var host = new WallScreenTestHost();
        var cut = WallScreenPageTests.RenderPage(host, "overview,incidents,rankings&dwell=10");
        Assert.Equal("overview", PageOf(cut));

        Advance(host, TimeSpan.FromSeconds(9));
        Assert.Equal("overview", PageOf(cut));
        Advance(host, TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("incidents", PageOf(cut)));
        Advance(host, TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal("rankings", PageOf(cut)));
        Advance(host, TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.Equal("overview", PageOf(cut)));
    }

    [Fact]
    public async Task SinglePage_DoesNotRotate()
    {
        await using var host = new WallScreenTestHost();
        var cut = WallScreenPageTests.RenderPage(host, "incidents&dwell=10");

        Advance(host, TimeSpan.FromSeconds(35));

        Assert.Equal("incidents", PageOf(cut));
    }

    [Fact]
    public async Task WaterAlarm_InterruptsRotation_ShowsTheBanner_AndHoldsUntilAnOperatorAcknowledges()
    {
        await using var host = new WallScreenTestHost();
        var cut = WallScreenPageTests.RenderPage(host, "overview,incidents&dwell=10");
        Assert.Empty(cut.FindAll("[data-cc=banner]"));

        host.Board.Publish(new ReadingsEvent([new Reading(1, 42, Now)])
        {
            Alarms = [new WaterAlarmChange(501, 1, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, 42, Now)],
        });
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() => Assert.Equal("devices", PageOf(cut)));
        Assert.Contains("ws-holding", cut.Find(".ws-page-name").ClassList);
        var banner = cut.Find("[data-notice=water-501]");
        Assert.Contains("Waterlogging alarm", banner.TextContent);
        Assert.Contains("Railway underpass", banner.TextContent);
        Assert.Contains("42 cm", banner.TextContent);
        Assert.Empty(cut.FindAll("[data-cc=banner-sound]")); // sound is off by default

        Advance(host, TimeSpan.FromSeconds(30)); // held through several dwell times
        Assert.Equal("devices", PageOf(cut));

        // The water falling does not take the banner down: an operator's acknowledgement does.
        host.Board.Publish(new ReadingsEvent([new Reading(1, 3, Now.AddSeconds(31))]));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        Advance(host, TimeSpan.FromSeconds(11));
        Assert.Equal("devices", PageOf(cut));
        Assert.Single(cut.FindAll("[data-cc=banner]"));

        host.Board.Publish(new AlarmHandledEvent(AlarmSource.WaterAlarm, 501, Domain.Model.AlertStatus.Acknowledged, Now.AddSeconds(40)));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() => Assert.NotEqual("devices", PageOf(cut)));
        Assert.DoesNotContain("ws-holding", cut.Find(".ws-page-name").ClassList);
        Assert.Empty(cut.FindAll("[data-cc=banner]"));
    }

    [Fact]
    public async Task FireAlert_HighConfidence_Interrupts_LowConfidence_DoesNot()
    {
        await using var host = new WallScreenTestHost();
        var cut = WallScreenPageTests.RenderPage(host, "overview,incidents&dwell=10");

        host.Board.Publish(new CameraAlertEvent(40, 2, "fire_smoke", 0.6, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-alert]").Count));
        Assert.Equal("overview", PageOf(cut));

        host.Board.Publish(new CameraAlertEvent(41, 2, "fire_smoke", 0.85, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() => Assert.Equal("devices", PageOf(cut)));
    }

    [Fact]
    public async Task NeedsAttention_WhileANoticeIsOpen()
    {
        await using var host = new WallScreenTestHost();
        var snapshot = host.Board.GetSnapshot();
        Assert.False(WallScreenPage.NeedsAttention(snapshot));
        var fire = new NoticeItem(AlarmSource.CameraAlert, 1, 1, "Cam", "摄像机", "fire_smoke", 0.8, Now);
        Assert.True(WallScreenPage.NeedsAttention(snapshot with { Notices = [fire] }));
    }

    [Fact]
    public async Task FireAlert_BannerShowsKindCameraAndConfidence()
    {
        await using var host = new WallScreenTestHost();
        var cut = WallScreenPageTests.RenderPage(host, "overview&dwell=10");

        host.Board.Publish(new CameraAlertEvent(41, 1, "fire_smoke", 0.93, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() => Assert.Contains("93 %", cut.Find("[data-notice=alert-41]").TextContent));
        Assert.Contains("Gate camera", cut.Find("[data-notice=alert-41]").TextContent);
        Assert.Equal("overview", PageOf(cut)); // a single-page screen is not switched, but the banner is up
    }
}
