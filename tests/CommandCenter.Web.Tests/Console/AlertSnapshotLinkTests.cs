using Bunit;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Operations;
using CommandCenter.Web.Ingestion;

namespace CommandCenter.Web.Tests.Console;

/// <summary>The console's alert list links a Frigate alert's snapshot when Frigate:BaseUrl is set, and shows nothing otherwise.</summary>
public sealed class AlertSnapshotLinkTests
{
    private static async Task<(long WithSnapshot, long Without)> AlertsAsync(ConsoleTestHost host)
    {
        var with = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", ExternalId = "frigate:1718.5-ab", HasSnapshot = true });
        var without = await host.Ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "crowd", ExternalId = "frigate:1718.6-cd" });
        return (with.Id, without.Id);
    }

    [Fact]
    public async Task WithABaseUrl_AnAlertWithASnapshot_LinksToFrigate_AndOneWithoutHasNoLink()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        host.Frigate.BaseUrl = "http://frigate.local:5000/";
        await host.SignInAsNewUserAsync("street.operator", Roles.Operator);
        var (with, without) = await AlertsAsync(host);

        var cut = host.Render<OperationsPage>();

        var link = cut.Find($"tr[data-cc-alert='{with}'] a[data-cc=snapshot]");
        Assert.Equal("http://frigate.local:5000/api/events/1718.5-ab/snapshot.jpg", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Equal("Snapshot", link.TextContent.Trim());
        Assert.Empty(cut.FindAll($"tr[data-cc-alert='{without}'] a[data-cc=snapshot]"));
    }

    [Fact]
    public async Task WithoutABaseUrl_NoLinkIsShown()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.SignInAsNewUserAsync("street.operator", Roles.Operator);
        var (with, _) = await AlertsAsync(host);

        var cut = host.Render<OperationsPage>();

        Assert.Single(cut.FindAll($"tr[data-cc-alert='{with}']"));
        Assert.Empty(cut.FindAll("a[data-cc=snapshot]"));
    }

    [Theory]
    [InlineData("frigate.local:5000")]
    [InlineData("ftp://frigate.local")]
    [InlineData("http://frigate.local/?a=1")]
    public void ABaseUrlThatIsNotAnHttpAddress_StopsTheNodeNamingTheSetting(string value)
    {
        var ex = Assert.Throws<SettingException>(() => new FrigateOptions { BaseUrl = value }.Validate());
        Assert.Contains("Frigate:BaseUrl", ex.Message, StringComparison.Ordinal);
    }
}
