namespace CommandCenter.Web.Tests.Integration;

/// <summary>The style sheets the app serves keep stored text in its place: long words wrap, bidi text is isolated.</summary>
[Collection(AppCollection.Name)]
public sealed class StoredTextStyleTests(CommandCenterFactory app)
{
    [Fact]
    public async Task ConsoleAndWallStyles_WrapLongWordsAndIsolateStoredText()
    {
        using var client = app.CreateClient();

        var console = await client.GetStringAsync("/CommandCenter.Web.styles.css");
        var wall = await client.GetStringAsync("/css/wallscreen.css");

        Assert.Matches(@"\.cc-table td[^{]*\{[^}]*overflow-wrap:\s*anywhere", console);
        Assert.Matches(@"bdi[^{]*\{[^}]*unicode-bidi:\s*isolate", console);
        Assert.Matches(@"\.ws-alert-cam[^{]*\{[^}]*unicode-bidi:\s*isolate", wall);
        Assert.Matches(@"\.ws-wp-name[^{]*\{[^}]*unicode-bidi:\s*isolate", wall);
        Assert.Matches(@"\.ws-feed[^{]*\{[^}]*overflow-wrap:\s*anywhere", wall);
    }
}
