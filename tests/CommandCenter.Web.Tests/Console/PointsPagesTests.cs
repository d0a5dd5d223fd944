using Bunit;
using CommandCenter.Data.Points;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Points;
using CommandCenter.Web.Security;
using Dapper;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

public sealed class PointsPagesTests
{
    private static void AddPoints(ConsoleTestHost host)
    {
        host.Ctx.Services.AddSingleton(new RuleSetStore(host.Db, host.Clock));
        host.Ctx.Services.AddSingleton(new PointsQueries(host.Db));
        host.Ctx.Services.AddSingleton(new RecordVolunteerServiceHandler(host.Db, host.Clock));
        host.Ctx.Services.AddSingleton(new RecordContactVisitHandler(host.Db, host.Clock));
        host.Ctx.Services.AddSingleton(new RedeemPointsHandler(host.Db, host.Clock));
    }

    [Fact]
    public async Task Rules_AnAdminsEdit_IsANewVersionFromNextWeek_Audited()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddPoints(host);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        host.Auth.SetPolicies(Policies.Administer, Policies.Review);

        var cut = host.Render<PointsRulesPage>();
        Assert.Contains("version 1", cut.Find("[data-cc=in-force]").TextContent, StringComparison.Ordinal);
        cut.Find("tr[data-cc-rule='PATROL'] input[data-cc=points]").Change("3");
        cut.Find("button[data-cc=save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Version 2 saved, in force from 2025-W24", cut.Find("[data-cc=message]").TextContent, StringComparison.Ordinal));
        var versions = await new RuleSetStore(host.Db, host.Clock).ListAsync();
        Assert.Equal(3, versions[^1].RuleSet.Find("PATROL")!.Points);
        Assert.Equal(1, versions[0].RuleSet.Find("PATROL")!.Points);
        var audit = Assert.Single(await host.AuditAsync("points.rules.version"));
        Assert.Equal(("chief", ConsoleTestHost.RemoteIp), (audit.ActorName, audit.RemoteIp));
    }

    [Fact]
    public async Task Rules_ALeaderReads_ButCannotSave()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddPoints(host);
        await host.SignInAsNewUserAsync("secretary", Roles.Leader);
        host.Auth.SetPolicies(Policies.Review);

        var cut = host.Render<PointsRulesPage>();

        Assert.NotNull(cut.Find("[data-cc=read-only]"));
        Assert.Empty(cut.FindAll("button[data-cc=save]"));
        Assert.Contains("Patrol check-in", cut.Find("tr[data-cc-rule='PATROL']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Points_ShowsTheWeeksLeaderboardAndRecentRecords_RedemptionOnlyForAdmins()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        AddPoints(host);
        await using (var c = await host.Db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (1, '王五', '138****0001', 1, 1)");
            await c.ExecuteAsync("INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (1, 1, 2)");
            await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt) " +
                                 "VALUES (1, 1, 1, 1, 'PATROL', 7, '2025-W23', '2025-06', @At, @At)", new { At = ConsoleTestHost.Start });
        }

        await new RecordVolunteerServiceHandler(host.Db, host.Clock).HandleAsync(
            new Domain.Points.RecordVolunteerService { StaffId = 1, GridId = 1, ServedAt = ConsoleTestHost.Start.AddHours(-1), Hours = 2, Place = "广场" }, Actor.System("test"));
        await host.SignInAsNewUserAsync("duty", Roles.Operator);
        host.Auth.SetPolicies(Policies.PointsRecord);

        var cut = host.Render<PointsPage>();

        Assert.Contains("2025-W23", cut.Find("[data-cc=leaderboard]").TextContent, StringComparison.Ordinal);
        Assert.Contains("王五", cut.Find("tr[data-cc-rank='1']").TextContent, StringComparison.Ordinal);
        Assert.Contains("广场", cut.Find("[data-cc=recent]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-cc=redeem-form]"));
    }
}
