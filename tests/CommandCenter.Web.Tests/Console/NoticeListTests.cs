using Bunit;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Operations;
using Dapper;

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
}
