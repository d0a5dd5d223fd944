using System.Globalization;
using Bunit;
using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Components.Pages.Review;
using CommandCenter.Web.Security;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>
/// The leaders' review: headline figures with marks, drill-down community → grid → indicators, incidents by category
/// over 12 weeks, party members' grades with the items behind a score, rates as percentages, no-data state.
/// </summary>
public sealed class ReviewPageTests
{
    private static async Task<(ConsoleTestHost Host, Period Week)> HostWithAssessmentsAsync()
    {
        var host = await ConsoleTestHost.CreateAsync();
        var settings = new AssessmentSettingsStore(host.Db, host.Clock);
        var engine = new AssessmentEngine(host.Db, host.Clock, settings);
        var week = Period.WeekOf(host.Clock.Today);
        await FixtureAsync(host, week);
        foreach (var p in new[] { week.Previous(), week })
        {
            await engine.RunAsync(AssessmentKind.Grid, p);
            await engine.RunAsync(AssessmentKind.Community, p);
            await engine.RunAsync(AssessmentKind.Person, p);
        }

        host.Ctx.Services.AddSingleton(new AssessmentQueries(host.Db));
        host.Ctx.Services.AddSingleton(new CategoryTrendQuery(host.Db, host.Clock));
        host.Ctx.Services.AddSingleton(new GridEvidenceQuery(host.Db, host.Clock));
        await host.SignInAsNewUserAsync("secretary", Roles.Leader);
        host.Auth.SetPolicies(Policies.Review);
        return (host, week);
    }

    /// <summary>
    /// Incidents: 2 sanitation (one in grid 1, one in grid 3) and 1 fire this week, 1 fire the week before.
    /// Party members: Wang (grid 1, North) earns patrol 50 (duties capped at 40), visits 45 (serving capped at 40),
    /// volunteering 12, a bonus rule 15 (bonus capped at 10) and −5 → 97, excellent; Li (grid 3, South) visits 30 →
    /// unqualified.
    /// </summary>
    private static async Task FixtureAsync(ConsoleTestHost host, Period week)
    {
        await using var c = await host.Db.OpenAsync();
        var monday = week.Start(host.Clock.Zone);
        var n = 0;
        foreach (var (category, grid, at) in new[] { ("sanitation", 1, monday.AddHours(9)), ("sanitation", 3, monday.AddHours(10)), ("fire", 1, monday.AddHours(11)), ("fire", 2, monday.AddDays(-3)) })
        {
            n++;
            await c.ExecuteAsync(
                "INSERT INTO Incident (Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, UpdatedAt) " +
                "VALUES (@Number, @Category, @Grid, 1, 'r', 't', 'd', 2, 1, @At, @Due, @At)",
                new { Number = "RV-" + n, Category = category, Grid = grid, At = at, Due = at.AddDays(1) });
        }

        await c.ExecuteAsync("INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (901, 'Wang', '1', 1, 1), (902, 'Li', '2', 1, 1)");
        await c.ExecuteAsync("INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (901, 1, 1), (902, 3, 1)");
        var month = Period.MonthOf(week.FirstDay).ToString();
        foreach (var (staff, rule, points) in new[] { (901, "PATROL", 50), (901, "VISIT", 45), (901, "VOLUNTEER", 12), (901, "ALERT_ACK", 15), (901, "INC_LATE", -5), (902, "VISIT", 30) })
        {
            await c.ExecuteAsync(
                "INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt) VALUES (1, 1, @Staff, @Staff, @Rule, @Points, @Week, @Month, @At, @At)",
                new { Staff = staff, Rule = rule, Points = points, Week = week.ToString(), Month = month, At = monday.AddHours(8) });
        }
    }

    [Fact]
    public async Task Review_Week_ShowsHeadlinesAgainstThePreviousWeekAndTheCommunities()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/review?period={week}");

        var cut = host.Render<ReviewPage>();

        Assert.Equal(week.ToString(), cut.Find("[data-cc=period]").TextContent);
        Assert.Empty(cut.FindAll("[data-cc=no-data]"));
        var tiles = cut.FindAll("[data-cc-headline]").Select(t => t.GetAttribute("data-cc-headline")).ToList();
        Assert.Contains("score", tiles);
        Assert.Contains("needsAttention", tiles);
        // Both weeks are stored, so each count has a previous figure and a mark (▲, ▼ or ＝).
        Assert.Contains(cut.Find("[data-cc-headline=points] [data-cc=mark]").TextContent, new[] { "▲", "▼", "＝" });
        Assert.NotEmpty(cut.FindAll("[data-cc-community]"));
        Assert.Empty(cut.FindAll("[data-cc=community-grids]"));
        // 12 weeks on the axis: the first and the last are labelled.
        var first = week.FirstDay.AddDays(-7 * 11);
        Assert.Equal([Period.WeekOf(first).ToString()[5..], week.ToString()[5..]],
            cut.FindAll("[data-cc-trend='closureRate'] svg text").Select(t => t.TextContent).Where(t => t.StartsWith('W')));
    }

    [Fact]
    public async Task Review_DrillDown_CommunityToGridsToIndicatorsWithLinksToTheLists()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        var nav = host.Ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/review?period={week}");
        var first = host.Render<ReviewPage>();
        var communityId = int.Parse(first.Find("[data-cc-community]").GetAttribute("data-cc-community")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"community={communityId}", first.Find("[data-cc-community] a[data-cc=drill-community]").GetAttribute("href"), StringComparison.Ordinal);

        nav.NavigateTo($"/review?period={week}&community={communityId}");
        var opened = host.Render<ReviewPage>();
        var grid = opened.Find("[data-cc=community-grids] [data-cc-grid]");
        var gridId = grid.GetAttribute("data-cc-grid");

        nav.NavigateTo($"/review?period={week}&community={communityId}&grid={gridId}");
        var drilled = host.Render<ReviewPage>();
        var indicators = drilled.Find("[data-cc=grid-indicators]");
        Assert.Equal(Indicators.All.Count, indicators.QuerySelectorAll("[data-cc-indicator]").Length);
        string Source(string key) => indicators.QuerySelector($"[data-cc-indicator={key}] a[data-cc=source]")!.GetAttribute("href")!;
        Assert.Equal($"/incidents?gridId={gridId}&period={week}&basis=reported", Source("closureRate"));
        Assert.Equal($"/incidents?gridId={gridId}&period={week}&basis=reported&escalated=true", Source("escalationRate"));
        Assert.Equal($"/incidents?gridId={gridId}&period={week}&basis=closed", Source("onTimeRate"));
        Assert.Equal($"/incidents?gridId={gridId}&period={week}&basis=closed", Source("satisfaction"));
        Assert.Contains("evidence=visits", Source("visitCoverage"), StringComparison.Ordinal);
        Assert.Contains("evidence=visits", Source("keyHouseholdVisits"), StringComparison.Ordinal);
        Assert.Contains("evidence=patrols", Source("patrolCoverage"), StringComparison.Ordinal);
        Assert.Contains("evidence=alerts", Source("meanAckMinutes"), StringComparison.Ordinal);
        Assert.Contains("evidence=points", Source("pointsPerMember"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_PeriodWithNothingStored_SaysSo()
    {
        var (host, _) = await HostWithAssessmentsAsync();
        await using var __ = host;
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/review?period=2020-01");

        var cut = host.Render<ReviewPage>();

        Assert.NotNull(cut.Find("[data-cc=no-data]"));
        Assert.Empty(cut.FindAll("[data-cc-headline]"));
    }

    [Fact]
    public async Task Review_CategoryTrend_IsAChartWithALineAndALegendEntryPerCategory()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/review?period={week}");

        var cut = host.Render<ReviewPage>();

        var chart = cut.Find("[data-cc=category-trend]");
        Assert.Equal(["fire", "sanitation"], chart.QuerySelectorAll("svg [data-cc-series]").Select(g => g.GetAttribute("data-cc-series")));
        // 12 weeks: a point per week on every line, the last week's counts in the tooltips.
        var sanitation = chart.QuerySelectorAll("svg [data-cc-series=sanitation] circle");
        Assert.Equal(12, sanitation.Length);
        Assert.Equal($"{week} · Environment & sanitation: 2", sanitation[^1].TextContent);
        Assert.Equal($"{week.Previous()} · Fire prevention: 1", chart.QuerySelectorAll("svg [data-cc-series=fire] circle")[^2].TextContent);
        Assert.Equal(12, chart.QuerySelectorAll("svg text").Count(t => t.TextContent.StartsWith('W')));
        var legend = cut.FindAll("[data-cc=category-legend] [data-cc-legend]");
        Assert.Equal(["Fire prevention 2", "Environment & sanitation 2"], legend.Select(l => string.Join(' ', l.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        // A category's name opens its incidents reported in the reviewed period.
        Assert.Equal($"/incidents?category=fire&period={week}&basis=reported", legend[0].QuerySelector("a[data-cc=legend-incidents]")!.GetAttribute("href"));
        // The indicators' own trends stay.
        Assert.Equal(Indicators.All.Count, cut.FindAll("[data-cc-trend]").Count);
    }

    [Fact]
    public async Task Review_CategoryTrend_LegendInChinese()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/review?period={week}");

        var cut = host.Render<ReviewPage>();

        Assert.Contains("环境卫生", cut.Find("[data-cc-legend=sanitation]").TextContent, StringComparison.Ordinal);
        Assert.Contains("消防安全", cut.Find("[data-cc-legend=fire]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_People_GradeCountsAndTableByScore_WithTheItemsBehindAScore()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        var nav = host.Ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/review?period={week}");

        var cut = host.Render<ReviewPage>();

        Assert.Equal("1", cut.Find("[data-cc-grade=excellent] [data-cc=grade-count]").TextContent);
        Assert.Equal("0", cut.Find("[data-cc-grade=qualified] [data-cc=grade-count]").TextContent);
        Assert.Equal("1", cut.Find("[data-cc-grade=unqualified] [data-cc=grade-count]").TextContent);
        var rows = cut.FindAll("[data-cc=people-table] [data-cc-person]");
        Assert.Equal(["901", "902"], rows.Select(r => r.GetAttribute("data-cc-person")));
        Assert.Equal("97", rows[0].QuerySelector("[data-cc=person-score]")!.TextContent);
        Assert.Equal("Excellent", rows[0].QuerySelector("[data-cc=person-grade]")!.TextContent);
        Assert.Contains("North", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Unqualified", rows[1].QuerySelector("[data-cc=person-grade]")!.TextContent);
        Assert.Empty(cut.FindAll("[data-cc=person-items]"));

        var link = rows[0].QuerySelector("a[data-cc=drill-person]")!.GetAttribute("href")!;
        Assert.Contains("person=901", link, StringComparison.Ordinal);
        nav.NavigateTo(link);
        var drilled = host.Render<ReviewPage>();
        var items = drilled.Find("[data-cc=person-items]");
        string Counted(string item) => items.QuerySelector($"[data-cc-item={item}] [data-cc=counted]")!.TextContent;
        Assert.Equal("40", Counted("DUTY"));
        Assert.Equal("40", Counted("SERVE"));
        Assert.Equal("12", Counted("VOLUNTEER"));
        Assert.Equal("+10", Counted("bonus"));
        Assert.Equal("−5", Counted("deductions"));
        Assert.Contains("97", items.QuerySelector("[data-cc-item=score]")!.TextContent, StringComparison.Ordinal);

        // A grade tile lists that grade only.
        nav.NavigateTo(cut.Find("a[data-cc-grade=unqualified]").GetAttribute("href")!);
        var unqualified = host.Render<ReviewPage>();
        Assert.Equal(["902"], unqualified.FindAll("[data-cc=people-table] [data-cc-person]").Select(r => r.GetAttribute("data-cc-person")));
        Assert.NotEmpty(unqualified.FindAll("[data-cc=people-any-grade]"));
    }

    [Fact]
    public async Task Review_Rates_AreShownAsPercentages_OtherIndicatorsInTheirUnits()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        var nav = host.Ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/review?period={week}&community=1&grid=1");

        var cut = host.Render<ReviewPage>();

        // Grid 1: two incidents reported this week, neither closed: closure 0.0 %.
        Assert.Equal(0.0m.ToString("P1", CultureInfo.CurrentCulture), cut.Find("[data-cc-indicator=closureRate] [data-cc=indicator-value]").TextContent);
        Assert.EndsWith("%", cut.Find("[data-cc-indicator=patrolCoverage] [data-cc=indicator-value]").TextContent, StringComparison.Ordinal);
        Assert.EndsWith("%", cut.Find("[data-cc-headline=closureRate] .rv-tile-value").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("%", cut.Find("[data-cc-indicator=meanAckMinutes] [data-cc=indicator-value]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_GridEvidence_ListsTheAlertsBehindTheMinutesToAcknowledge()
    {
        var (host, week) = await HostWithAssessmentsAsync();
        await using var _ = host;
        var monday = week.Start(host.Clock.Zone);
        await using (var c = await host.Db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) VALUES (1, 'fire_smoke', 0.9, @At, @At, 2, @Ack)",
                new { At = monday.AddHours(9), Ack = monday.AddHours(9).AddMinutes(12) });
            await c.ExecuteAsync("INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status) VALUES (2, 'crowd', 0.9, @At, @At, 1)", new { At = monday.AddHours(10) });
        }

        var nav = host.Ctx.Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo($"/review?period={week}&community=1&grid=1");
        var drilled = host.Render<ReviewPage>();
        var link = drilled.Find("[data-cc-indicator=meanAckMinutes] a[data-cc=source]").GetAttribute("href")!;
        Assert.Empty(drilled.FindAll("[data-cc=evidence]"));

        nav.NavigateTo(link);
        var cut = host.Render<ReviewPage>();

        var evidence = cut.Find("[data-cc=evidence]");
        Assert.Equal("alerts", evidence.GetAttribute("data-cc-evidence"));
        var row = Assert.Single(evidence.QuerySelectorAll("[data-cc-evidence-row]")); // camera 2 lies in grid 3
        Assert.Contains("North gate", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Fire / smoke", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("12.0 min", row.TextContent, StringComparison.Ordinal);
    }
}
