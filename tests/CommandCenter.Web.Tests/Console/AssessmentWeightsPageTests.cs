using Bunit;
using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Assessments;
using CommandCenter.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

public sealed class AssessmentWeightsPageTests
{
    [Fact]
    public async Task AnAdminsSave_IsANewVersion_Audited_AndBadBoundsNameTheField()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var store = new AssessmentSettingsStore(host.Db, host.Clock);
        host.Ctx.Services.AddSingleton(store);
        await host.SignInAsNewUserAsync("chief", Roles.Admin);
        host.Auth.SetPolicies(Policies.Administer, Policies.Review);

        var cut = host.Render<AssessmentWeightsPage>();
        Assert.Contains("0", cut.Find("[data-cc=in-force]").TextContent, StringComparison.Ordinal);
        cut.Find("tr[data-cc-indicator='satisfaction'] input").Change("40");
        cut.Find("input[data-cc=red-flag]").Change("0.2");
        cut.Find("button[data-cc=save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Version 1 saved", cut.Find("[data-cc=message]").TextContent, StringComparison.Ordinal));
        var current = await store.CurrentAsync();
        Assert.Equal((1, 40m, 0.2m), (current.Version, current.Settings.Weights[Indicator.Satisfaction], current.Settings.RedFlagShare));
        var audit = Assert.Single(await host.AuditAsync("assessments.settings.version"));
        Assert.Equal(("chief", ConsoleTestHost.RemoteIp), (audit.ActorName, audit.RemoteIp));

        cut.Find("input[data-cc=excellent]").Change("10");
        cut.Find("button[data-cc=save]").Click();
        cut.WaitForAssertion(() => Assert.Contains("excellent", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(1, (await store.CurrentAsync()).Version);
    }

    [Fact]
    public async Task ALeaderReads_ButCannotSave()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        host.Ctx.Services.AddSingleton(new AssessmentSettingsStore(host.Db, host.Clock));
        await host.SignInAsNewUserAsync("secretary", Roles.Leader);
        host.Auth.SetPolicies(Policies.Review);

        var cut = host.Render<AssessmentWeightsPage>();

        Assert.NotNull(cut.Find("[data-cc=read-only]"));
        Assert.Empty(cut.FindAll("button[data-cc=save]"));
        Assert.Contains("Closure rate", cut.Find("tr[data-cc-indicator='closureRate']").TextContent, StringComparison.Ordinal);
    }
}
