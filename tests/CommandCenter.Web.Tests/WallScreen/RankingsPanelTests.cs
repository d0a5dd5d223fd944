using Bunit;
using CommandCenter.Data.Assessments;
using CommandCenter.Web.Components.WallScreen;
using CommandCenter.Web.Live;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>The wall's rankings panel shows the stored ranking: top and bottom grids with tiers, movers and points.</summary>
public sealed class RankingsPanelTests
{
    private static AssessmentItemView Grid(int id, int? rank, decimal? score, int points, int? movement, string tier, int community = 1) =>
        new(rank, id, $"Grid {id}", $"网格{id}", community, score, points, new Dictionary<string, decimal>(), new Dictionary<string, decimal>(),
            rank is null || movement is null ? null : rank + movement, movement, tier, null, null);

    private static AssessmentItemView Person(int id, int points, int community = 1) =>
        new(null, id, $"Person {id}", $"人员{id}", community, null, points, new Dictionary<string, decimal>(), new Dictionary<string, decimal>(), null, null, "none", "qualified", null);

    private static WallRankings Sample() => new("2026-W48", "provisional", DateTimeOffset.Parse("2026-11-30T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        [
            Grid(11, 1, 92.5m, 40, 2, "redFlag"),
            Grid(12, 2, 80m, 55, -1, "none"),
            Grid(13, 3, 61.25m, 10, 0, "none", community: 2),
            Grid(14, 4, 20m, 5, -3, "needsAttention", community: 2),
            Grid(15, null, null, 0, null, "none"),
        ],
        [Person(7, 30), Person(8, 0), Person(9, 45, community: 2)]);

    [Fact]
    public async Task Rankings_Stored_ShowsTopAndBottomWithTiersMoversAndPoints()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<RankingsPanel>(p => p.Add(x => x.Data, Sample()));

        Assert.Empty(cut.FindAll(".ws-none-yet"));
        Assert.Contains("2026-W48", cut.Find(".ws-panel-title").TextContent);
        string Rows(string list) => string.Join("|", cut.FindAll($"[data-list={list}] .ws-rk-row").Select(r =>
            string.Join(" ", r.QuerySelectorAll("span").Select(s => s.TextContent.Trim()))));

        Assert.Equal("1 Grid 11 92.5 Red flag|2 Grid 12 80.0", Rows("top"));
        Assert.Equal("4 Grid 14 20.0 Improve|3 Grid 13 61.3", Rows("bottom")); // the unranked grid is in neither
        Assert.Equal("redFlag", cut.Find("[data-list=top] [data-id='11']").GetAttribute("data-tier"));
        Assert.Equal("needsAttention", cut.Find("[data-list=bottom] [data-id='14']").GetAttribute("data-tier"));
        Assert.Equal("4 Grid 14 ▼3|1 Grid 11 ▲2|2 Grid 12 ▼1", Rows("movers"));
        Assert.Equal("1 Person 9 45|2 Person 7 30", Rows("people"));
        Assert.Equal("1 Grid 12 55|2 Grid 11 40|3 Grid 13 10|4 Grid 14 5|5 Grid 15 0", Rows("grid-points"));
    }

    [Fact]
    public async Task Rankings_Chinese_ShowsChineseNamesAndMarks()
    {
        await using var host = new WallScreenTestHost();
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            var cut = host.Ctx.Render<RankingsPanel>(p => p.Add(x => x.Data, Sample()).Add(x => x.Chinese, true));

            var first = cut.Find("[data-list=top] [data-id='11']");
            Assert.Equal("网格11", first.QuerySelector(".ws-rk-name")!.TextContent);
            Assert.Equal("红旗", first.QuerySelector(".ws-rk-mark")!.TextContent);
            Assert.Equal("待改进", cut.Find("[data-list=bottom] [data-id='14'] .ws-rk-mark").TextContent);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task Rankings_ScopedToCommunity_ShowsOnlyItsItems()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<RankingsPanel>(p => p.Add(x => x.Data, Sample().For(2)));

        Assert.Equal(["13", "14"], cut.FindAll("[data-list=grid-points] .ws-rk-row").Select(r => r.GetAttribute("data-id")));
        Assert.Equal(["9"], cut.FindAll("[data-list=people] .ws-rk-row").Select(r => r.GetAttribute("data-id")));
    }

    [Fact]
    public async Task Rankings_None_SaysNoAssessmentYet()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<RankingsPanel>(p => p.Add(x => x.Data, null));

        Assert.Single(cut.FindAll(".ws-none-yet"));
        Assert.Empty(cut.FindAll(".ws-rk-row"));
    }
}
