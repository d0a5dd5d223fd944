using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using WallScreenPage = CommandCenter.Web.Components.Pages.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>
/// The wall's incidents page keeps "open incidents by community" beside the loop: it shares its area with the overdue
/// list (one stack), names the communities in the screen's language (short: the title says "community") and follows the board live.
/// </summary>
public sealed class WallIncidentsPageTests
{
    private static readonly DateTimeOffset Now = WallScreenTestHost.Start;

    private static IReadOnlyList<string> Communities(IRenderedComponent<WallScreenPage> cut) =>
        cut.FindAll(".ws-stack .ws-incidents[data-part=communities] [data-community]")
            .Select(c => c.QuerySelector("span")!.TextContent + ":" + c.QuerySelector("b")!.TextContent).ToList();

    [Fact]
    public async Task IncidentsPage_ShowsOpenByCommunity_BesideTheOverdueList_AndFollowsTheBoard()
    {
        await using var host = new WallScreenTestHost();

        var cut = WallScreenPageTests.RenderPage(host, "incidents");

        var stack = cut.Find(".ws-page-incidents > .ws-stack.ws-a-communities");
        Assert.Equal(["overdue", "communities"], stack.Children.Select(c => c.GetAttribute("data-part")));
        Assert.Contains("Open by community", cut.Find(".ws-incidents[data-part=communities] .ws-panel-title").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Dongfeng:3", "Xinhua:1"], Communities(cut));
        Assert.Single(cut.FindAll(".ws-loop[data-part=figures]")); // the loop's figures stay

        host.Board.Publish(new IncidentEvent(301, "E-301", "noise", 3, "Night works again", IncidentStep.Reported, null, Now, Now.AddHours(48), Now));
        host.Board.Publish(new IncidentEvent(302, "E-302", "noise", 3, "Night works, third", IncidentStep.Reported, null, Now, Now.AddHours(48), Now));
        host.Time.Advance(WallScreenPage.ThrottleDelay);

        cut.WaitForAssertion(() => Assert.Equal(["Dongfeng:3", "Xinhua:3"], Communities(cut)));
    }

    [Fact]
    public async Task IncidentsPage_InChinese_NamesTheCommunitiesInChinese()
    {
        await using var host = new WallScreenTestHost("zh-CN");

        var cut = WallScreenPageTests.RenderPage(host, "incidents");

        Assert.Equal(["东风:3", "新华:1"], Communities(cut));
        Assert.Contains("社区", cut.Find(".ws-incidents[data-part=communities] .ws-panel-title").TextContent, StringComparison.Ordinal);
    }
}
