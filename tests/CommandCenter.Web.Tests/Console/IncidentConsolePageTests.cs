using System.Security.Claims;
using Bunit;
using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Admin;
using CommandCenter.Web.Components.Pages.Incidents;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>
/// The loop's console pages over the real queue, view and action handler on a real SQLite database (ConsoleTestHost):
/// the queue's filters, counts, paging and live updates; the incident page's verbs per step and role, the confirmation
/// before closing and rejecting, and the refusal to act on a state the person did not see; the field page.
/// </summary>
public sealed class IncidentConsolePageTests
{
    private static StaffAccountService Staff(ConsoleTestHost host) => new(host.Db, host.Keys, host.Time, NullLogger<StaffAccountService>.Instance);

    private static async Task<ConsoleTestHost> HostAsync()
    {
        var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.AddSingleton<IIncidentConsole>(new IncidentConsoleService(
            new IncidentQueue(host.Db, new LoopSettingsProvider(host.Db, new IncidentLoopOptions(), host.Clock), host.Clock),
            host.Ingestion.Actions, host.Ingestion.Report, new DepartmentQueries(host.Db), Staff(host)));
        return host;
    }

    private static Task<IncidentAccepted> ReportAsync(ConsoleTestHost host, int gridId, string title, string category = "sanitation") =>
        host.Ingestion.ReportIncidentAsync(new ReportIncident { Category = category, GridId = gridId, Source = "GridPatrol", ReporterName = "Wang", Title = title });

    /// <summary>Moves an incident along the happy path by the system, <paramref name="times"/> actions.</summary>
    private static async Task ForwardAsync(ConsoleTestHost host, long id, int times)
    {
        for (var i = 0; i < times; i++) await host.Ingestion.AdvanceIncidentAsync(id);
    }

    private static async Task<IncidentStep> StepAsync(ConsoleTestHost host, long id) =>
        (IncidentStep)await Dapper.SqlMapper.ExecuteScalarAsync<int>(await host.Db.OpenAsync(), "SELECT Step FROM Incident WHERE Id = @id", new { id });

    private static IRenderedComponent<T> RenderWith<T>(ConsoleTestHost host, Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent =>
        host.Ctx.Render<T>(p =>
        {
            p.AddCascadingValue("RemoteIp", ConsoleTestHost.RemoteIp);
            parameters?.Invoke(p);
        });

    [Fact]
    public async Task Queue_ShowsOpenIncidentsWithCountsPerStep_AndFiltersByStepAndText()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins by gate 3");
        var b = await ReportAsync(host, 2, "Broken street lamp");
        var c = await ReportAsync(host, 3, "Market stall on the pavement");
        await ForwardAsync(host, b.Id, 1);
        await host.SignInAsNewUserAsync("leader", Roles.Leader);

        var cut = host.Render<IncidentQueuePage>();

        Assert.Equal(3, cut.FindAll("tr[data-cc-incident]").Count);
        Assert.Equal("2", cut.Find("[data-cc-step=Reported] [data-cc=count]").TextContent);
        Assert.Equal("1", cut.Find("[data-cc-step=Verified] [data-cc=count]").TextContent);
        Assert.Empty(cut.FindAll("[data-cc=new]")); // a leader reads, never reports or acts

        cut.Find("[data-cc-step=Verified]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-incident]")));
        Assert.Single(cut.FindAll($"tr[data-cc-incident='{b.Number}']"));

        cut.Find("[data-cc-step=all]").Click();
        cut.Find("input[data-cc=q]").Change("stall");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-incident]")));
        Assert.Single(cut.FindAll($"tr[data-cc-incident='{c.Number}']"));
        Assert.Empty(cut.FindAll($"tr[data-cc-incident='{a.Number}']"));
    }

    [Fact]
    public async Task Queue_PagesOnTheServer_TwentyFivePerPage()
    {
        await using var host = await HostAsync();
        for (var i = 0; i < 30; i++) await ReportAsync(host, 1, $"Bins {i:00}");
        await host.SignInAsNewUserAsync("op", Roles.Operator);

        var cut = host.Render<IncidentQueuePage>();

        Assert.Equal(25, cut.FindAll("tr[data-cc-incident]").Count);
        Assert.Contains("30", cut.Find("[data-cc=total]").TextContent);
        Assert.Contains("Bins 29", cut.Markup); // newest first
        var two = cut.FindAll(".mud-pagination button").First(x => x.TextContent.Trim() == "2");
        two.Click();
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("tr[data-cc-incident]").Count));
        Assert.Contains("Bins 00", cut.Markup);
        Assert.DoesNotContain("Bins 29", cut.Markup);
    }

    [Fact]
    public async Task Queue_UpdatesLiveAsIncidentsMove_WithoutARefreshButton()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var cut = host.Render<IncidentQueuePage>();
        Assert.Equal("1", cut.Find("[data-cc-step=Reported] [data-cc=count]").TextContent);
        Assert.Empty(cut.FindAll("[data-cc=refresh]"));

        await ForwardAsync(host, a.Id, 1);
        var b = await ReportAsync(host, 2, "New one from the hotline");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", cut.Find("[data-cc-step=Verified] [data-cc=count]").TextContent);
            Assert.Single(cut.FindAll($"tr[data-cc-incident='{b.Number}']"));
        });
        Assert.Contains("Verified", cut.Find($"tr[data-cc-incident='{a.Number}'] [data-cc=step]").TextContent);
    }

    [Fact]
    public async Task Queue_ScopedOperator_SeesOnlyTheirCommunity()
    {
        await using var host = await HostAsync();
        var north = await ReportAsync(host, 1, "North bins");
        var south = await ReportAsync(host, 3, "South stall");
        await host.SignInAsNewUserAsync("north.op", Roles.Operator, communityId: 1);

        var cut = host.Render<IncidentQueuePage>();

        Assert.Single(cut.FindAll($"tr[data-cc-incident='{north.Number}']"));
        Assert.Empty(cut.FindAll($"tr[data-cc-incident='{south.Number}']"));
        Assert.DoesNotContain("South stall", cut.Markup);
        Assert.Empty(cut.FindAll("[data-cc=community]"));
    }

    [Fact]
    public async Task Incident_ShowsOnlyTheVerbsAllowedFromItsStep_AndVerifyingMovesIt()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await host.SignInAsNewUserAsync("op", Roles.Operator);

        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));

        var verbs = cut.FindAll("[data-cc-action]").Select(b => b.GetAttribute("data-cc-action")).ToList();
        Assert.Equal(["verify", "escalate", "reject"], verbs);
        Assert.Contains("Verify", cut.Find("[data-cc-action=verify]").TextContent);
        Assert.Contains("V", cut.Find("[data-cc=shortcuts]").TextContent);

        cut.Find("[data-cc-action=verify]").Click();
        cut.Find("[data-cc=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Verified", cut.Find("[data-cc=step]").TextContent));
        Assert.Equal(IncidentStep.Verified, await StepAsync(host, a.Id));
        Assert.Equal(["dispatch", "escalate", "reject"], cut.FindAll("[data-cc-action]").Select(b => b.GetAttribute("data-cc-action")).ToList());
        Assert.Contains("Verify", cut.Find("[data-cc=timeline]").TextContent);
    }

    [Fact]
    public async Task Incident_InChinese_ShowsTheVerbsAndCycle()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "垃圾满溢");
        await ForwardAsync(host, a.Id, 4); // feedback given
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");

        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));

        Assert.Contains("核查结案", cut.Find("[data-cc-action=check]").TextContent);
        Assert.Contains("微循环", cut.Find("[data-cc=cycle]").TextContent);
    }

    [Fact]
    public async Task Incident_Leader_ReadsEverythingButGetsNoAction()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await host.SignInAsNewUserAsync("leader", Roles.Leader);

        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));

        Assert.Empty(cut.FindAll("[data-cc-action]"));
        Assert.Contains("Overflowing bins", cut.Markup);
        Assert.Single(cut.FindAll("[data-cc=no-actions]"));
        Assert.Single(cut.FindAll("[data-cc=incident-map]"));
    }

    [Fact]
    public async Task Incident_CheckAndClose_AsksForConfirmationFirst()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await ForwardAsync(host, a.Id, 4); // verify, dispatch, accept, feedback
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));

        cut.Find("[data-cc-action=check]").Click();
        cut.Find("[data-cc=submit]").Click();

        Assert.Contains(a.Number, cut.Find("[data-cc=confirm]").TextContent);
        Assert.Equal(IncidentStep.FeedbackGiven, await StepAsync(host, a.Id));

        cut.Find("[data-cc=confirm-no]").Click();
        Assert.Empty(cut.FindAll("[data-cc=confirm]"));
        Assert.Equal(IncidentStep.FeedbackGiven, await StepAsync(host, a.Id));

        cut.Find("[data-cc=submit]").Click();
        cut.Find("[data-cc=confirm-yes]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Closed", cut.Find("[data-cc=step]").TextContent));
        Assert.Equal(IncidentStep.Closed, await StepAsync(host, a.Id));
    }

    [Fact]
    public async Task Incident_Reject_AsksForConfirmation_AndEscalateNeedsAReason()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));

        cut.Find("[data-cc-action=escalate]").Click();
        cut.Find("[data-cc=submit]").Click();
        cut.WaitForAssertion(() => Assert.Contains("required", cut.Find("[data-cc=form]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(IncidentStep.Reported, await StepAsync(host, a.Id));

        cut.Find("[data-cc-action=reject]").Click();
        cut.Find("[data-cc=submit]").Click();
        Assert.Single(cut.FindAll("[data-cc=confirm]"));
        Assert.Equal(IncidentStep.Reported, await StepAsync(host, a.Id));
        cut.Find("[data-cc=confirm-yes]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Rejected", cut.Find("[data-cc=resolution]").TextContent));
    }

    [Fact]
    public async Task Incident_MovedBySomeoneElseUnseen_IsRefusedAndShowsTheCurrentState_NeverActsOnTheNewerStep()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await ForwardAsync(host, a.Id, 1); // verified
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));
        cut.Find("[data-cc-action=dispatch]").Click();

        // A second operator dispatches it, and this screen does not hear of it (no live event).
        var silent = new IncidentActionHandler(host.Db, new NoSink(), host.Clock, new LoopSettingsProvider(host.Db, new IncidentLoopOptions(), host.Clock));
        await silent.ForwardAsync(a.Id, LoopActor.System("other operator"));
        Assert.Equal(IncidentStep.Dispatched, await StepAsync(host, a.Id));

        cut.Find("[data-cc=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Someone else moved it", cut.Find("[data-cc=conflict]").TextContent));
        Assert.Contains("Dispatched", cut.Find("[data-cc=conflict]").TextContent);
        Assert.Equal(IncidentStep.Dispatched, await StepAsync(host, a.Id));
        Assert.Contains("Dispatched", cut.Find("[data-cc=step]").TextContent);
        Assert.Empty(cut.FindAll("[data-cc=form]"));
    }

    [Fact]
    public async Task Incident_MovedBySomeoneElseWhileTheFormIsOpen_ClosesTheFormAndSaysSo()
    {
        await using var host = await HostAsync();
        var a = await ReportAsync(host, 1, "Overflowing bins");
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var cut = RenderWith<IncidentPage>(host, p => p.Add(x => x.Id, a.Id));
        cut.Find("[data-cc-action=verify]").Click();

        await ForwardAsync(host, a.Id, 1);

        cut.WaitForAssertion(() => Assert.Contains("Someone else moved it", cut.Find("[data-cc=conflict]").TextContent));
        Assert.Empty(cut.FindAll("[data-cc=form]"));
        Assert.Contains("Verified", cut.Find("[data-cc=step]").TextContent);
    }

    [Fact]
    public async Task NewIncident_ReportsByHand_AndShowsTheServiceErrorsByField()
    {
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("op", Roles.Operator);
        var nav = host.Ctx.Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        var cut = host.Render<NewIncidentPage>();

        cut.Find("button[data-cc=submit]").Click();
        cut.WaitForAssertion(() => Assert.Contains("required", cut.Find("[data-cc=report-form]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("/incidents/", nav.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_NotLinked_SaysSo()
    {
        // Only Operators and Admins reach /field without a staff link (FieldPagePolicyTests): they see a note.
        await using var host = await HostAsync();
        await host.SignInAsNewUserAsync("desk", Roles.Operator);

        var cut = host.Render<FieldPage>();

        Assert.Single(cut.FindAll("[data-cc=not-linked]"));
    }

    [Fact]
    public async Task Field_ListsWhatMyGridHolds_AcceptAndFeedback()
    {
        await using var host = await HostAsync();
        await host.Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (7, '王五', '138****0001', 1, 1)", transaction: tx);
            return await c.ExecuteAsync("INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (7, 1, 2)", transaction: tx);
        });
        var mine = await ReportAsync(host, 1, "Bins in my grid");
        var other = await ReportAsync(host, 2, "Bins elsewhere");
        await ForwardAsync(host, mine.Id, 2); // dispatched to grid 1
        await ForwardAsync(host, other.Id, 2);
        var member = await host.SignInAsNewUserAsync("member", Roles.Viewer);
        await Staff(host).LinkUserAsync(Actor.System("test"), member, 7);

        var cut = host.Render<FieldPage>();

        Assert.Contains("North grid 1", cut.Find("[data-cc=units]").TextContent);
        Assert.Single(cut.FindAll($"[data-cc-incident='{mine.Number}']"));
        Assert.Empty(cut.FindAll($"[data-cc-incident='{other.Number}']"));
        cut.Find($"[data-cc-incident='{mine.Number}'] [data-cc-action=accept]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll($"[data-cc-incident='{mine.Number}'] [data-cc-action=feedback]")));
        Assert.Equal(IncidentStep.Processed, await StepAsync(host, mine.Id));

        cut.Find("[data-cc-action=feedback]").Click();
        cut.Find("[data-cc=submit]").Click();
        cut.WaitForAssertion(() => Assert.Contains("required", cut.Find($"[data-cc-incident='{mine.Number}']").TextContent, StringComparison.OrdinalIgnoreCase));
        cut.Find("textarea[data-cc=note]").Change("Bins emptied, area swept");
        cut.Find("textarea[data-cc=links]").Change("https://example.org/photo1.jpg");
        cut.Find("[data-cc=submit]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"[data-cc-incident='{mine.Number}']")));
        Assert.Equal(IncidentStep.FeedbackGiven, await StepAsync(host, mine.Id));
        // Attributed to the staff member, as the scoring needs.
        var staffIds = await Dapper.SqlMapper.QueryAsync<int?>(await host.Db.OpenAsync(),
            "SELECT StaffId FROM IncidentStepLog WHERE IncidentId = @Id AND LoopAction IN (4, 5)", new { mine.Id });
        Assert.Equal(new int?[] { 7, 7 }, staffIds.ToArray());
    }

    [Fact]
    public async Task Departments_AddEditDeactivate_Audited_AndTheCenterCannotBeDeactivated()
    {
        await using var host = await HostAsync();
        AddLoopSettings(host);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AdminDepartments>();

        Assert.Empty(cut.FindAll("tr[data-cc-department=center] [data-cc=deactivate]"));
        cut.Find("[data-cc=new-department]").Click();
        cut.Find("input[data-cc=code]").Change("greening");
        cut.Find("input[data-cc=nameZh]").Change("园林绿化所");
        cut.Find("input[data-cc=nameEn]").Change("Parks and greening");
        cut.Find("[data-cc=save]").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-cc-department=greening]")));
        Assert.Single(await host.AuditAsync("department.added"));

        cut.Find("tr[data-cc-department=greening] [data-cc=deactivate]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Inactive", cut.Find("tr[data-cc-department=greening] [data-cc=state]").TextContent));
        Assert.Single(await host.AuditAsync("department.deactivated"));
    }

    [Fact]
    public async Task Deadlines_EditingHours_IsStoredAndAudited_AndTheFieldKeepsHoursInRange()
    {
        await using var host = await HostAsync();
        AddLoopSettings(host);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        var cut = host.Render<AdminDeadlines>();

        Assert.Equal("4", cut.Find("tr[data-cc-category=fire] input[data-cc=hours-micro]").GetAttribute("value"));
        cut.Find("tr[data-cc-category=fire] input[data-cc=hours-small]").Change("6");
        cut.Find("tr[data-cc-category=fire] [data-cc=save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Fire", cut.Find("[data-cc=message]").TextContent, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(6, await (await host.Db.OpenAsync()).ExecuteScalarAsync<int>("SELECT Hours FROM DeadlineSetting WHERE Category = 'fire' AND Cycle = 2"));
        Assert.Single(await host.AuditAsync("deadline.set"));

        cut.Find("tr[data-cc-category=fire] input[data-cc=hours-large]").Change("99999");
        cut.Find("tr[data-cc-category=fire] [data-cc=save]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, host.AuditAsync("deadline.set").Result.Count));
        Assert.Equal(8760, await (await host.Db.OpenAsync()).ExecuteScalarAsync<int>("SELECT Hours FROM DeadlineSetting WHERE Category = 'fire' AND Cycle = 3"));
    }

    private static void AddLoopSettings(ConsoleTestHost host)
    {
        var settings = new LoopSettingsProvider(host.Db, new IncidentLoopOptions(), host.Clock);
        host.Ctx.Services.AddSingleton(new DepartmentQueries(host.Db));
        host.Ctx.Services.AddSingleton(new AddDepartmentHandler(host.Db, host.Time));
        host.Ctx.Services.AddSingleton(new EditDepartmentHandler(host.Db, host.Time));
        host.Ctx.Services.AddSingleton(new SetDepartmentActiveHandler(host.Db, host.Time));
        host.Ctx.Services.AddSingleton(new DeadlineQueries(host.Db));
        host.Ctx.Services.AddSingleton(new SetDeadlineHandler(host.Db, host.Time, settings));
    }

    [Theory]
    [InlineData(typeof(AdminDepartments), Policies.Administer)]
    [InlineData(typeof(AdminDeadlines), Policies.Administer)]
    [InlineData(typeof(IncidentQueuePage), Policies.IncidentConsole)]
    [InlineData(typeof(IncidentPage), Policies.IncidentConsole)]
    [InlineData(typeof(NewIncidentPage), Policies.IncidentDesk)]
    [InlineData(typeof(FieldPage), Policies.FieldPage)]
    public void Pages_NameTheirPolicy(Type page, string policy)
    {
        var attribute = Assert.Single(page.GetCustomAttributes(typeof(AuthorizeAttribute), inherit: true).Cast<AuthorizeAttribute>());
        Assert.Equal(policy, attribute.Policy);
    }

    private sealed class NoSink : ILiveEventSink
    {
        public void Publish(LiveEvent liveEvent)
        {
        }
    }
}
