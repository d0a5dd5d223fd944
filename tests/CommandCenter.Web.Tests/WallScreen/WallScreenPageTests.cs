using System.Globalization;
using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WallScreenPage = CommandCenter.Web.Components.Pages.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>The page: first paint, throttled updates pushed by the live board, clock, staleness, culture, disposal.</summary>
public sealed class WallScreenPageTests
{
    private static readonly DateTimeOffset Now = WallScreenTestHost.Start;

    private static IncidentEvent NewIncident(long id, int gridId, string category = "noise") =>
        new(id, "E-" + id, category, gridId, "New incident", IncidentStep.Reported, null, Now, Now.AddHours(48), Now);

    private static string Stat(IRenderedComponent<WallScreenPage> cut, string key) =>
        cut.Find($"[data-stat={key}] .ws-big").TextContent;

    /// <summary>Renders the wall at <c>/?page=…</c> (a person's wall: the page from the query string).</summary>
    internal static IRenderedComponent<WallScreenPage> RenderPage(WallScreenTestHost host, string page)
    {
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/?page=" + page);
        return host.Ctx.Render<WallScreenPage>();
    }

    private static void AdvanceSeconds(WallScreenTestHost host, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task WallScreen_FirstPaint_ShowsSnapshotInEveryPanel()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<WallScreenPage>();

        Assert.Equal("Longshan Street", cut.Find(".ws-street").TextContent);
        Assert.Equal("Grid Governance Command Center", cut.Find(".ws-title").TextContent);
        Assert.Equal("overview", cut.Find(".ws-root").GetAttribute("data-page"));
        Assert.Equal("4", Stat(cut, "open"));
        Assert.Equal(5, cut.FindAll(".ws-step").Count);
        Assert.Single(cut.FindAll(".ws-alert"));
        Assert.Single(cut.FindAll("li.ws-wp"));
        Assert.Equal(3, cut.FindAll("path.ws-grid").Count); // one layer per kind and heat bin
        var links = cut.FindAll(".ws-lang a");
        Assert.Equal(["/culture/en-US?returnUrl=/", "/culture/zh-CN?returnUrl=/"], links.Select(a => a.GetAttribute("href")));
        Assert.All(links, a => Assert.Equal("_top", a.GetAttribute("target")));
        Assert.Contains("ws-lang-on", links[0].ClassList);
        Assert.Single(cut.FindAll("[data-panel=trends]"));
    }

    [Fact]
    public async Task WallScreen_DevicesPage_ShowsMapAlertsWaterAndCoverage()
    {
        await using var host = new WallScreenTestHost();

        var cut = RenderPage(host, "devices");

        Assert.Equal("devices", cut.Find(".ws-root").GetAttribute("data-page"));
        Assert.Equal("2", Stat(cut, "staffed"));
        Assert.Single(cut.FindAll(".ws-alert"));
        Assert.Single(cut.FindAll("li.ws-wp"));
        Assert.Equal(3, cut.FindAll("path.ws-grid").Count);
        Assert.Empty(cut.FindAll(".ws-incidents"));
    }

    [Fact]
    public async Task WallScreen_RankingsPage_SaysNoAssessmentYet()
    {
        await using var host = new WallScreenTestHost();

        var cut = RenderPage(host, "rankings");

        Assert.Equal("No assessment yet", cut.Find(".ws-none-yet-title").TextContent);
        Assert.Empty(cut.FindAll(".ws-rankings .ws-big"));
    }

    [Fact]
    public async Task WallScreen_IncidentPublished_UpdatesCountsAndMapAfterThrottle()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();
        Assert.Equal("4", Stat(cut, "open"));

        host.Board.Publish(NewIncident(201, 3));
        host.Board.Publish(NewIncident(202, 3));
        Assert.Equal("4", Stat(cut, "open")); // throttled: nothing rendered before the timer fires

        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("6", Stat(cut, "open"));
            Assert.Equal("5", Stat(cut, "reported-today"));
            Assert.Equal("3", cut.Find("[data-step=Reported] .ws-big").TextContent);
            Assert.Contains("ws-h3", cut.Find("[data-grids='3']").ClassList);
            Assert.Contains("ws-step-1", cut.Find(".ws-map-mark[data-grid='3']").ClassList); // coloured by its least advanced step: Reported
        });
    }

    [Fact]
    public async Task WallScreen_CameraAlertPublished_ShowsNewAlertFirstAndCountsIt()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();

        host.Board.Publish(new CameraAlertEvent(12, 2, "crowd", 0.75, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() =>
        {
            var first = cut.FindAll(".ws-alert")[0];
            Assert.Equal("12", first.GetAttribute("data-alert"));
            Assert.Equal("Crowd gathering", first.QuerySelector(".ws-alert-kind")!.TextContent);
            Assert.Equal("10:30:15", first.QuerySelector(".ws-alert-time")!.TextContent);
            Assert.Equal("5", Stat(cut, "alerts-today"));
        });
    }

    [Fact]
    public async Task WallScreen_ReadingsPublished_UpdatesDepthLevelAndMapMark()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();

        host.Board.Publish(new ReadingsEvent([new Reading(1, 22.4, Now)]));
        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("li[data-water='1']");
            Assert.Equal("22.4", row.QuerySelector(".ws-wp-depth .ws-big")!.TextContent);
            Assert.Contains("ws-lv-warning", row.ClassList);
            Assert.Contains("ws-lv-warning", cut.Find("circle[data-water='1']").ClassList);
        });
    }

    [Fact]
    public async Task WallScreen_CameraWentOffline_UpdatesCountsCoverageAndMapDots()
    {
        await using var host = new WallScreenTestHost();
        var cut = RenderPage(host, "devices");
        Assert.Equal("1", cut.Find("path.ws-cams-off").GetAttribute("data-count"));

        host.Board.Publish(new CameraStatusEvent(1, false, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", Stat(cut, "cameras-offline"));
            Assert.Equal("0", Stat(cut, "cameras-online"));
            Assert.Equal("0", Stat(cut, "camera"));
            Assert.Equal("2", cut.Find("path.ws-cams-off").GetAttribute("data-count"));
            Assert.Equal("0", cut.Find("path.ws-cams-on").GetAttribute("data-count"));
        });
    }

    [Fact]
    public async Task WallScreen_BurstOfChanges_RendersOncePerThrottleWindow()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();
        var page = cut.FindComponent<IncidentPanel>(); // re-renders exactly when the page does
        Assert.Equal(1, page.RenderCount);

        for (var i = 0; i < 5; i++)
        {
            host.Board.Publish(NewIncident(300 + i, 1));
        }

        host.Time.Advance(WallScreenPage.ThrottleDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, page.RenderCount);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        cut.WaitForAssertion(() => Assert.Equal("9", Stat(cut, "open")));
        Assert.Equal(2, page.RenderCount);

        host.Board.Publish(new PatrolEvent(3, 7, Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() => Assert.Equal(3, page.RenderCount));
    }

    [Fact]
    public async Task WallClock_FakeTime_ShowsStreetTimeAndDateAndTicksWithoutRenderingThePage()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();
        var clock = cut.FindComponent<WallClock>();
        var page = cut.FindComponent<IncidentPanel>(); // re-renders exactly when the page does

        Assert.Equal("10:30:15", cut.Find("[data-cc-clock]").TextContent);
        Assert.Equal("Tuesday, June 3, 2025", cut.Find(".ws-date").TextContent);

        AdvanceSeconds(host, 3);

        cut.WaitForAssertion(() => Assert.Equal("10:30:18", cut.Find("[data-cc-clock]").TextContent));
        Assert.Equal(1, page.RenderCount); // the page itself did not re-render
        Assert.Equal(4, clock.RenderCount);
    }

    [Fact]
    public async Task WallClock_NoChangeForLongerThanStaleAfter_ShowsStaleBanner()
    {
        await using var host = new WallScreenTestHost(); // last event 10 s before start, StaleAfterSeconds = 60
        var cut = host.Ctx.Render<WallScreenPage>();
        Assert.Equal("Updated 10 s ago", cut.Find(".ws-fresh").TextContent);
        Assert.Empty(cut.FindAll(".ws-stale"));

        AdvanceSeconds(host, 50);
        cut.WaitForAssertion(() => Assert.Equal("Updated 60 s ago", cut.Find(".ws-fresh").TextContent));
        Assert.Empty(cut.FindAll(".ws-stale"));

        AdvanceSeconds(host, 1);
        cut.WaitForAssertion(() =>
        {
            var banner = cut.Find(".ws-stale");
            Assert.Contains("ws-stale-1", banner.ClassList);
            Assert.Equal("No live data for 61 s — the screen may be out of date", banner.TextContent);
            Assert.Contains("ws-fresh-1", cut.Find(".ws-fresh").ClassList);
        });

        // A change clears it.
        host.Board.Publish(new PatrolEvent(2, 7, host.Time.GetUtcNow()));
        host.Time.Advance(WallScreenPage.ThrottleDelay);
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll(".ws-stale"));
            Assert.Equal("Updated 0 s ago", cut.Find(".ws-fresh").TextContent);
        });
    }

    [Fact]
    public async Task WallClock_NoChangeForFiveTimesStaleAfter_ShowsRedBanner()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallClock>(p => p
            .Add(x => x.LastEventAt, Now.AddSeconds(-10))
            .Add(x => x.StaleAfterSeconds, 60));

        AdvanceSeconds(host, 291);

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("ws-stale-2", cut.Find(".ws-stale").ClassList);
            Assert.Equal("Updated 5 min ago", cut.Find(".ws-fresh").TextContent);
        });
    }

    [Fact]
    public async Task WallScreen_ChineseCulture_ShowsChineseNamesAndTexts()
    {
        await using var host = new WallScreenTestHost("zh-CN");

        var cut = host.Ctx.Render<WallScreenPage>();

        Assert.Equal("龙山街道", cut.Find(".ws-street").TextContent);
        Assert.Equal("网格化治理指挥中心", cut.Find(".ws-title").TextContent);
        Assert.Equal("2025年6月3日 星期二", cut.Find(".ws-date").TextContent);
        Assert.Equal("已上报", cut.Find("[data-step=Reported] .ws-label").TextContent);
        Assert.Equal("垃圾满溢", cut.Find(".ws-alert-kind").TextContent);
        Assert.Equal("铁路桥涵", cut.Find("li[data-water='1'] .ws-wp-name").TextContent);
        Assert.Equal("正常", cut.Find("li[data-water='1'] .ws-chip").TextContent);
        Assert.Equal("东风", cut.Find(".ws-map-community[data-community='1']").TextContent);
        Assert.Equal("总览", cut.Find(".ws-page-name").TextContent);
        Assert.Contains("ws-lang-on", cut.FindAll(".ws-lang a")[1].ClassList);

        var incidents = RenderPage(host, "incidents");
        Assert.Equal("微循环", incidents.Find("[data-cycle=Micro] .ws-label").TextContent);
        Assert.Equal("近1小时升级", incidents.Find("[data-stat=escalations] .ws-label").TextContent);
        Assert.Contains("超时", incidents.Find(".ws-loop[data-part=overdue] .ws-panel-title").TextContent);
        var devices = RenderPage(host, "devices");
        Assert.Equal("共 3", devices.Find("[data-stat=staffed] .ws-of").TextContent);
    }

    [Fact]
    public async Task WallScreen_ChineseCultureChangeFromOtherThread_KeepsChineseTexts()
    {
        await using var host = new WallScreenTestHost("zh-CN");
        var cut = host.Ctx.Render<WallScreenPage>();

        // The publisher (an ingestion or simulator thread) runs in another culture; the page must not follow it.
        await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            host.Board.Publish(new CameraAlertEvent(13, 1, "fire_smoke", 0.9, Now));
            host.Time.Advance(WallScreenPage.ThrottleDelay);
            host.Time.Advance(TimeSpan.FromSeconds(1));
        });

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("烟火", cut.Find(".ws-alert-kind").TextContent);
            Assert.Equal("网格化治理指挥中心", cut.Find(".ws-title").TextContent);
            Assert.Equal("在办", cut.Find("[data-stat=open] .ws-label").TextContent);
            Assert.Equal("2025年6月3日 星期二", cut.Find(".ws-date").TextContent);
            Assert.StartsWith("1 秒前", cut.Find(".ws-fresh").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task WallScreen_Disposed_UnsubscribesAndIgnoresLaterChanges()
    {
        await using var host = new WallScreenTestHost();
        var cut = host.Ctx.Render<WallScreenPage>();
        var page = cut.FindComponent<IncidentPanel>();
        Assert.Equal(1, host.Subscriptions.Active);
        host.Board.Publish(NewIncident(400, 1)); // a render is pending when the page goes away

        await host.Ctx.DisposeComponentsAsync();

        Assert.Equal(0, host.Subscriptions.Active);
        host.Board.Publish(NewIncident(401, 1));
        host.Time.Advance(TimeSpan.FromSeconds(5)); // pending throttle and clock timers must not touch the page
        Assert.Equal(1, page.RenderCount);
    }
}
