using Bunit;
using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Components.Pages.Incidents;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The review's drill-down into the incident queue: a link with a grid and a period opens the queue filtered.</summary>
public sealed class IncidentQueueLinkTests
{
    private static async Task<ConsoleTestHost> HostAsync()
    {
        var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.AddSingleton<IIncidentConsole>(new IncidentConsoleService(
            new IncidentQueue(host.Db, new LoopSettingsProvider(host.Db, new IncidentLoopOptions(), host.Clock), host.Clock),
            host.Ingestion.Actions, host.Ingestion.Report, new DepartmentQueries(host.Db),
            new StaffAccountService(host.Db, host.Keys, host.Time, NullLogger<StaffAccountService>.Instance)));
        return host;
    }

    private static Task<IncidentAccepted> ReportAsync(ConsoleTestHost host, int gridId, string title) =>
        host.Ingestion.ReportIncidentAsync(new ReportIncident { Category = "sanitation", GridId = gridId, Source = "GridPatrol", ReporterName = "Wang", Title = title });

    [Fact]
    public async Task Queue_OpenedFromTheReview_ListsTheGridsIncidentsReportedInThePeriod()
    {
        await using var host = await HostAsync();
        var week = Period.WeekOf(host.Clock.Today);
        var inWeek = await ReportAsync(host, 1, "Bins in the week");
        await ReportAsync(host, 2, "Another grid");
        host.Time.Advance(TimeSpan.FromDays(7));
        await ReportAsync(host, 1, "Bins next week");
        await host.SignInAsNewUserAsync("leader", Roles.Leader);
        var link = IncidentQueueLink.For(1, week, "reported");
        Assert.Equal($"/incidents?gridId=1&period={week}&basis=reported", link);
        host.Ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(link);

        var cut = host.Render<IncidentQueuePage>();

        Assert.Equal([inWeek.Number], cut.FindAll("tr[data-cc-incident]").Select(r => r.GetAttribute("data-cc-incident")));
        Assert.Contains(week.ToString(), cut.Find("[data-cc=review-filter]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_OpenedFromTheReview_EscalatedAndResolvedFiltersApply()
    {
        await using var host = await HostAsync();
        var week = Period.WeekOf(host.Clock.Today);
        await ReportAsync(host, 1, "Not escalated, not closed");
        await host.SignInAsNewUserAsync("leader", Roles.Leader);
        var nav = host.Ctx.Services.GetRequiredService<NavigationManager>();

        nav.NavigateTo(IncidentQueueLink.For(1, week, "reported", escalated: true));
        var escalated = host.Render<IncidentQueuePage>();
        Assert.Empty(escalated.FindAll("tr[data-cc-incident]"));

        nav.NavigateTo(IncidentQueueLink.For(1, week, "closed"));
        var closed = host.Render<IncidentQueuePage>();
        Assert.Empty(closed.FindAll("tr[data-cc-incident]"));

        nav.NavigateTo("/incidents?gridId=1");
        var all = host.Render<IncidentQueuePage>();
        Assert.Single(all.FindAll("tr[data-cc-incident]"));
        Assert.Empty(all.FindAll("[data-cc=review-filter]"));
    }
}
