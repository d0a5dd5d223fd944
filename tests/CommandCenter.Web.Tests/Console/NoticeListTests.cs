using Bunit;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Operations;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The open notices on /operations: live from the board, acknowledged in one action, cut to the operator's community.</summary>
public sealed class NoticeListTests
{
    [Fact]
    public async Task Notices_AppearLive_AndOneClickAcknowledgesWithTimeAndAudit()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("street.operator", Roles.Operator);
        var cut = host.Render<OperationsPage>();
        Assert.Empty(cut.FindAll("tr[data-notice]"));

        var fire = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.93 });
        await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.99 });

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr[data-notice]"))); // the crowd alert is no notice
        var row = cut.Find($"tr[data-notice='alert-{fire.Id}']");
        Assert.Contains("93 %", row.TextContent);
        host.Time.Advance(TimeSpan.FromSeconds(42));
        row.QuerySelector("button[data-cc=notice-ack]")!.Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("tr[data-notice]")));
        Assert.Empty(host.Board.GetSnapshot().Notices);
        Assert.Single(await host.AuditAsync("alert.acknowledged"));
        await using var c = await host.Db.OpenAsync();
        Assert.Equal(ConsoleTestHost.Start.AddSeconds(42), await c.ExecuteScalarAsync<DateTimeOffset>("SELECT AcknowledgedAt FROM CameraAlert WHERE Id = @Id", new { fire.Id }));
    }

    [Fact]
    public async Task ScopedOperator_SeesOnlyTheirCommunitysNotices()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.9 });
        await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "fire_smoke", Confidence = 0.9 });
        await host.SignInAsNewUserAsync("south.operator", Roles.Operator, communityId: 2);

        var cut = host.Render<OperationsPage>();

        var row = Assert.Single(cut.FindAll("tr[data-notice]"));
        Assert.Contains("South market", row.TextContent);
    }

    [Fact]
    public async Task MakeIncident_FromANotice_ConvertsAsTheOperator_TakesTheBannerDown_AndOpensTheIncident()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("street.operator", Roles.Operator);
        var fire = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.93 });
        var cut = host.Render<OperationsPage>();

        cut.Find($"tr[data-notice='alert-{fire.Id}'] button[data-cc=notice-incident]").Click();

        var nav = host.Ctx.Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        // The conversion is written by the write queue (another thread): wait for the page to move on, then compare.
        cut.WaitForAssertion(() => Assert.Matches("/incidents/[0-9]+$", nav.Uri));
        await using var c = await host.Db.OpenAsync();
        var incidentId = await c.ExecuteScalarAsync<long>("SELECT Id FROM Incident WHERE SourceAlertId = @Id", new { fire.Id });
        Assert.EndsWith("/incidents/" + incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture), nav.Uri, StringComparison.Ordinal);
        Assert.Empty(host.Board.GetSnapshot().Notices);
        Assert.Equal((int)AlertStatus.Converted, await c.ExecuteScalarAsync<int>("SELECT Status FROM CameraAlert WHERE Id = @Id", new { fire.Id }));
        var audit = Assert.Single(await host.AuditAsync("incident.converted"));
        Assert.Equal("street.operator", audit.ActorName);
    }

    [Fact]
    public async Task MakeIncident_FromTheAlertList_OnlyForDetections()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("street.operator", Roles.Operator);
        var crowd = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.99 });
        var offline = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "camera_offline", Confidence = 1 });
        var cut = host.Render<OperationsPage>();

        Assert.Empty(cut.FindAll($"tr[data-cc-alert='{offline.Id}'] button[data-cc=make-incident]"));
        cut.Find($"tr[data-cc-alert='{crowd.Id}'] button[data-cc=make-incident]").Click();

        var nav = host.Ctx.Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();
        await using var c = await host.Db.OpenAsync();
        cut.WaitForAssertion(() => Assert.Contains("/incidents/", nav.Uri, StringComparison.Ordinal));
        var incidentId = await c.ExecuteScalarAsync<long>("SELECT IncidentId FROM CameraAlert WHERE Id = @Id", new { crowd.Id });
        Assert.EndsWith("/incidents/" + incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture), nav.Uri, StringComparison.Ordinal);
    }
}
