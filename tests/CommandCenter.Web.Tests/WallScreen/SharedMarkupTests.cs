using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen;
using Bunit;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>Panel HTML is built once per snapshot section and shared by circuits; every text in it is encoded.</summary>
public sealed class SharedMarkupTests
{
    [Fact]
    public void SharedMarkup_SameKeyVariantAndDeps_ReturnsTheSameStringWithoutRebuilding()
    {
        var key = new object();
        var dep = new object();
        var builds = 0;
        string Build() => "<p>" + ++builds + "</p>";

        var first = SharedMarkup.Get(key, "en-US", dep, null, Build);
        var second = SharedMarkup.Get(key, "en-US", dep, null, Build);
        var otherCulture = SharedMarkup.Get(key, "zh-CN", dep, null, Build);
        var otherDep = SharedMarkup.Get(key, "en-US", new object(), null, Build);

        Assert.Same(first.Value, second.Value);
        Assert.Equal("<p>1</p>", first.Value);
        Assert.Equal("<p>2</p>", otherCulture.Value);
        Assert.Equal("<p>3</p>", otherDep.Value);
        Assert.Equal(3, builds);
    }

    [Fact]
    public async Task WallScreen_TwoScreensOnOneBoard_ShareThePanelHtml()
    {
        await using var host = new WallScreenTestHost();
        var a = host.Ctx.Render<CommandCenter.Web.Components.Pages.WallScreen>();
        var b = host.Ctx.Render<CommandCenter.Web.Components.Pages.WallScreen>();
        var snapshot = host.Board.GetSnapshot();
        var builds = 0;

        // The entry for this snapshot's incidents already exists: asking again does not build.
        var html = SharedMarkup.Get(snapshot.Incidents, $"{SharedMarkup.Culture}|False|10|summary", snapshot.Street.Communities, null, () =>
        {
            builds++;
            return "";
        });

        Assert.Equal(0, builds);
        Assert.Contains("data-stat=\"open\"", html.Value);
        Assert.Equal(a.Find(".ws-incidents").InnerHtml, b.Find(".ws-incidents").InnerHtml);
    }

    [Fact]
    public async Task AlertPanel_NamesWithMarkup_AreEncodedAsText()
    {
        await using var host = new WallScreenTestHost();
        var alerts = new List<AlertItem>
        {
            new(1, 1, "<img src=x onerror=alert(1)> Gate & \"Lane\"", 1, "<b>kind</b>", 0.5, WallScreenTestHost.Start, AlertStatus.New),
        };

        var cut = host.Ctx.Render<AlertPanel>(p => p
            .Add(x => x.Cameras, new CameraStats(2, 1, 1, 1))
            .Add(x => x.Alerts, alerts));

        Assert.Empty(cut.FindAll(".ws-alert img"));
        Assert.Empty(cut.FindAll(".ws-alert b"));
        Assert.Equal("<img src=x onerror=alert(1)> Gate & \"Lane\"", cut.Find(".ws-alert-cam").TextContent);
        Assert.Equal("<b>kind</b>", cut.Find(".ws-alert-kind").TextContent);
    }
}
