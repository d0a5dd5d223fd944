using Bunit;
using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Components.Pages.Review;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The leaders' review: headline figures with marks, drill-down community → grid → indicators, no-data state.</summary>
public sealed class ReviewPageTests
{
    private static async Task<(ConsoleTestHost Host, Period Week)> HostWithAssessmentsAsync()
    {
        var host = await ConsoleTestHost.CreateAsync();
        var settings = new AssessmentSettingsStore(host.Db, host.Clock);
        var engine = new AssessmentEngine(host.Db, host.Clock, settings);
        var week = Period.WeekOf(host.Clock.Today);
        foreach (var p in new[] { week.Previous(), week })
        {
            await engine.RunAsync(AssessmentKind.Grid, p);
            await engine.RunAsync(AssessmentKind.Community, p);
        }

        host.Ctx.Services.AddSingleton(new AssessmentQueries(host.Db));
        await host.SignInAsNewUserAsync("secretary", Roles.Leader);
        host.Auth.SetPolicies(Policies.Review);
        return (host, week);
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
        var closure = indicators.QuerySelector("[data-cc-indicator=closureRate] a[data-cc=source]")!.GetAttribute("href")!;
        Assert.StartsWith($"/incidents?gridId={gridId}&from=", closure, StringComparison.Ordinal);
        Assert.StartsWith($"/points?gridId={gridId}", indicators.QuerySelector("[data-cc-indicator=visitCoverage] a")!.GetAttribute("href"), StringComparison.Ordinal);
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
}
