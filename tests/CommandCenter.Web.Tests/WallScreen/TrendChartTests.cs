using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen.Trends;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>The trend charts draw the numbers they are given, in both languages, and say so when there are none.</summary>
public sealed class TrendChartTests
{
    private static readonly DateOnly FirstDay = new(2025, 5, 5); // today is 2025-06-03

    private static int[] Hours(params (int Hour, int Value)[] values)
    {
        var a = new int[24];
        foreach (var (hour, value) in values) a[hour] = value;
        return a;
    }

    private static int[] Days(params (int DaysAgo, int Value)[] values)
    {
        var a = new int[TrendStats.Days];
        foreach (var (ago, value) in values) a[TrendStats.Days - 1 - ago] = value;
        return a;
    }

    private static TrendStats Stats(IReadOnlyList<CategorySeries>? categories = null, int[]? alerts = null, int[]? alarms = null) => new(
        new DateTimeOffset(2025, 6, 2, 16, 0, 0, TimeSpan.Zero), FirstDay,
        Hours((9, 4), (10, 2)), Hours((9, 1)), Hours((9, 3), (15, 1)), Hours((11, 2)),
        categories ?? [], alerts ?? new int[TrendStats.Days], alarms ?? new int[TrendStats.Days]);

    [Fact]
    public async Task HourlyTrend_Demo_DrawsTodaysReportsAndClosesFromTheBoard()
    {
        await using var host = new WallScreenTestHost();
        var at = WallScreenTestHost.Start;
        host.Board.Publish(new IncidentEvent(201, "E-201", "noise", 1, "Music", IncidentStep.Reported, null, at, at.AddHours(24), at));
        host.Board.Publish(new IncidentEvent(202, "E-202", "fire", 3, "Smoke", IncidentStep.Reported, null, at, at.AddHours(4), at));
        host.Board.Publish(new IncidentEvent(103, "E-103", "fire", 2, "Blocked fire exit", IncidentStep.Closed, IncidentStep.FeedbackGiven, at.AddHours(-6), at.AddHours(-2), at));

        var cut = host.Ctx.Render<HourlyTrend>(p => p.Add(x => x.Trends, host.Board.GetSnapshot().Trends));

        Assert.Equal("Incidents per hour today", cut.Find("h2").TextContent);
        var reported = cut.Find("rect[data-series=reported][data-hour='10']");
        Assert.Equal("2", reported.GetAttribute("data-value"));
        Assert.Equal("96", reported.GetAttribute("height")); // the highest bar reaches the top (4 px of room kept)
        Assert.Equal("10:00 · Reported 2", reported.QuerySelector("title")!.TextContent);
        Assert.Equal("1", cut.Find("rect[data-series=closed][data-hour='10']").GetAttribute("data-value"));
        Assert.Equal(2, cut.FindAll("rect").Count);
        Assert.Equal("2", cut.Find("[data-series=reported] b").TextContent);
        Assert.Equal("0 / 0", cut.Find("[data-series=last-week] b").TextContent);

        // A scoped wall sees its own community only.
        var scoped = host.Ctx.Render<HourlyTrend>(p => p.Add(x => x.Trends, host.Board.GetSnapshot(2).Trends));
        Assert.Equal("1", scoped.Find("rect[data-series=reported][data-hour='10']").GetAttribute("data-value"));
    }

    [Fact]
    public async Task HourlyTrend_Stats_BarHeightsTitlesAndLastWeeksLines()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<HourlyTrend>(p => p.Add(x => x.Trends, Stats()).Add(x => x.Size, TrendSize.Small));

        Assert.Equal("96", cut.Find("rect[data-series=reported][data-hour='9']").GetAttribute("height"));
        Assert.Equal("48", cut.Find("rect[data-series=reported][data-hour='10']").GetAttribute("height"));
        Assert.Equal("24", cut.Find("rect[data-series=closed][data-hour='9']").GetAttribute("height"));
        Assert.Equal(string.Join(',', Hours((9, 3), (15, 1))), cut.Find("path[data-series=last-week-reported]").GetAttribute("data-values"));
        Assert.NotNull(cut.Find("path[data-series=last-week-closed]").GetAttribute("stroke-dasharray"));
        Assert.Equal("4", cut.Find(".ws-trend-max").TextContent);
        Assert.Equal(["Reported 6", "Closed 1", "Same day last week 4 / 2"], cut.FindAll(".ws-trend-key").Select(k => k.TextContent));
        Assert.Equal(["0h", "12h", "24h"], cut.FindAll(".ws-trend-axis span").Select(s => s.TextContent));
    }

    [Fact]
    public async Task HourlyTrend_Chinese_LabelsInChinese()
    {
        await using var host = new WallScreenTestHost("zh-CN");

        var cut = host.Ctx.Render<HourlyTrend>(p => p.Add(x => x.Trends, Stats()).Add(x => x.Chinese, true));

        Assert.Equal("今日每小时事件", cut.Find("h2").TextContent);
        Assert.Equal("09:00 · 上报 4", cut.Find("rect[data-series=reported][data-hour='9'] title").TextContent);
        Assert.Equal(["上报 6", "办结 1", "上周同日 4 / 2"], cut.FindAll(".ws-trend-key").Select(k => k.TextContent));
        Assert.Equal(["0时", "6时", "12时", "18时", "24时"], cut.FindAll(".ws-trend-axis span").Select(s => s.TextContent));
    }

    [Theory]
    [InlineData("en-US", false, "No incidents reported or closed today or on the same day last week")]
    [InlineData("zh-CN", true, "今日及上周同日无事件上报或办结")]
    public async Task HourlyTrend_NoData_SaysSoAndDrawsNoChart(string culture, bool chinese, string text)
    {
        await using var host = new WallScreenTestHost(culture);

        var cut = host.Ctx.Render<HourlyTrend>(p => p.Add(x => x.Trends, TrendStats.Empty).Add(x => x.Chinese, chinese));

        Assert.Equal(text, cut.Find("[data-empty=hourly]").TextContent);
        Assert.Empty(cut.FindAll("svg"));
    }

    private static IReadOnlyList<CategorySeries> Categories() =>
    [
        new("sanitation", Days((0, 3), (1, 2), (20, 10))),
        new("fire", Days((0, 1), (2, 2))),
        new("noise", Days((0, 2))),
        new("safety_hazard", Days((3, 1))),
        new("parking", Days((1, 1), (25, 4))),
    ];

    [Fact]
    public async Task DailyTrend_SevenDays_StacksTopCategoriesAndOther()
    {
        await using var host = new WallScreenTestHost();

        var cut = host.Ctx.Render<DailyTrend>(p => p
            .Add(x => x.Trends, Stats(Categories()))
            .Add(x => x.Days, 7)
            .Add(x => x.Size, TrendSize.Small));

        Assert.Equal("Incidents reported · 7 days", cut.Find("h2").TextContent);
        // Over 7 days: sanitation 5, fire 3, noise 2, then safety 1 + parking 1 as "other".
        Assert.Equal(
            ["cat-sanitation:5", "cat-fire:3", "cat-noise:2", "cat-other:2"],
            cut.FindAll(".ws-trend-key").Select(k => k.GetAttribute("data-series") + ":" + k.QuerySelector("b")!.TextContent));
        Assert.Equal("Environment & sanitation 5", cut.Find("[data-series=cat-sanitation]").TextContent);
        var today = cut.FindAll("rect[data-day='2025-06-03']");
        Assert.Equal(["sanitation:3", "fire:1", "noise:2"], today.Select(r => r.GetAttribute("data-category") + ":" + r.GetAttribute("data-value")));
        Assert.Equal("6", cut.Find(".ws-trend-max").TextContent); // the highest day: 3 + 1 + 2
        Assert.Equal("48", today[0].GetAttribute("height"));
        Assert.Equal("52", today[0].GetAttribute("y"));
        Assert.Equal("36", today[1].GetAttribute("y")); // stacked on top of it
        Assert.Equal("6/3 · Noise 2", today[2].QuerySelector("title")!.TextContent);
        Assert.Equal(["5/28", "5/31", "6/3"], cut.FindAll(".ws-trend-axis span").Select(s => s.TextContent));
        Assert.Empty(cut.FindAll("rect[data-day='2025-05-14']")); // older than 7 days
    }

    [Fact]
    public async Task DailyTrend_ThirtyDaysInChinese_NamesCategoriesAndDatesInChinese()
    {
        await using var host = new WallScreenTestHost("zh-CN");

        var cut = host.Ctx.Render<DailyTrend>(p => p
            .Add(x => x.Trends, Stats(Categories()))
            .Add(x => x.Days, 30)
            .Add(x => x.Chinese, true)
            .Add(x => x.Size, TrendSize.Large));

        Assert.Equal("近30天事件上报", cut.Find("h2").TextContent);
        Assert.Equal(5, cut.FindAll(".ws-trend-key").Count); // all five, no "other"
        Assert.StartsWith("消防安全", cut.Find("[data-series=cat-fire]").TextContent);
        Assert.Equal("15", cut.Find("[data-series=cat-sanitation] b").TextContent);
        Assert.Equal("10", cut.Find("rect[data-day='2025-05-14'][data-category=sanitation]").GetAttribute("data-value"));
        Assert.Equal("5月14日 · " + IncidentCategories.Get("sanitation").NameZh + " 10", cut.Find("rect[data-day='2025-05-14'] title").TextContent);
        Assert.Equal("5月5日", cut.FindAll(".ws-trend-axis span")[0].TextContent);
    }

    [Theory]
    [InlineData("en-US", false, "No incidents reported in the last 7 days")]
    [InlineData("zh-CN", true, "近7天无事件上报")]
    public async Task DailyTrend_NoReportsInThePeriod_SaysSo(string culture, bool chinese, string text)
    {
        await using var host = new WallScreenTestHost(culture);
        // Reports 20 days ago only: none in the last 7.
        var trends = Stats([new CategorySeries("fire", Days((20, 3)))]);

        var cut = host.Ctx.Render<DailyTrend>(p => p.Add(x => x.Trends, trends).Add(x => x.Chinese, chinese));

        Assert.Equal(text, cut.Find("[data-empty=daily]").TextContent);
        Assert.Empty(cut.FindAll("svg"));
    }

    [Fact]
    public async Task AlarmTrend_AlertsAndAlarms_TwoRowsWithTheirOwnScale()
    {
        await using var host = new WallScreenTestHost();
        var trends = Stats(alerts: Days((0, 8), (1, 4), (29, 2)), alarms: Days((2, 1)));

        var cut = host.Ctx.Render<AlarmTrend>(p => p.Add(x => x.Trends, trends));

        Assert.Equal("Alerts and alarms · 30 days", cut.Find("h2").TextContent);
        Assert.Equal("Camera alerts 14", cut.Find("[data-row=alerts] .ws-trend-key").TextContent);
        Assert.Equal("Waterlogging alarms 1", cut.Find("[data-row=alarms] .ws-trend-key").TextContent);
        Assert.Equal("96", cut.Find("rect[data-series=alerts][data-day='2025-06-03']").GetAttribute("height"));
        Assert.Equal("48", cut.Find("rect[data-series=alerts][data-day='2025-06-02']").GetAttribute("height"));
        Assert.Equal("2", cut.Find("rect[data-series=alerts][data-day='2025-05-05']").GetAttribute("data-value"));
        Assert.Equal("96", cut.Find("rect[data-series=alarms][data-day='2025-06-01']").GetAttribute("height"));
        Assert.Equal("6/1 · Waterlogging alarms 1", cut.Find("rect[data-series=alarms] title").TextContent);
    }

    [Fact]
    public async Task AlarmTrend_SevenDaysInChinese_NoAlarms_SaysNoneForThatRow()
    {
        await using var host = new WallScreenTestHost("zh-CN");
        var trends = Stats(alerts: Days((0, 8), (20, 5)));

        var cut = host.Ctx.Render<AlarmTrend>(p => p.Add(x => x.Trends, trends).Add(x => x.Days, 7).Add(x => x.Chinese, true));

        Assert.Equal("近7天告警与报警", cut.Find("h2").TextContent);
        Assert.Equal("视频告警 8", cut.Find("[data-row=alerts] .ws-trend-key").TextContent);
        Assert.Equal("积水报警 无", cut.Find("[data-row=alarms] .ws-trend-key").TextContent);
        Assert.Empty(cut.FindAll("rect[data-series=alarms]"));
    }

    [Theory]
    [InlineData("en-US", false, "No camera alerts or waterlogging alarms in the last 30 days")]
    [InlineData("zh-CN", true, "近30天无视频告警和积水报警")]
    public async Task AlarmTrend_NoData_SaysSo(string culture, bool chinese, string text)
    {
        await using var host = new WallScreenTestHost(culture);

        var cut = host.Ctx.Render<AlarmTrend>(p => p.Add(x => x.Trends, TrendStats.Empty).Add(x => x.Chinese, chinese));

        Assert.Equal(text, cut.Find("[data-empty=alarms]").TextContent);
        Assert.Empty(cut.FindAll("svg"));
    }

    [Fact]
    public async Task Charts_SameTrends_ShareOneMarkupAcrossRenders()
    {
        await using var host = new WallScreenTestHost();
        var trends = Stats(Categories());

        var a = host.Ctx.Render<DailyTrend>(p => p.Add(x => x.Trends, trends));
        var b = host.Ctx.Render<DailyTrend>(p => p.Add(x => x.Trends, trends));

        Assert.Equal(a.Markup, b.Markup);
    }
}
