using System.Text.RegularExpressions;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>The app on a real Kestrel port whose open pages re-check their device every 2 seconds.</summary>
public sealed class RevalidatingKestrelApp : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("cc-e2e-revoke").FullName;

    public RevalidatingKestrelApp()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    public string LogFolder => Path.Combine(Folder, "logs");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(Folder, "cc.db")}");
        builder.UseSetting("Demo:Simulator:Enabled", "false");
        builder.UseSetting("CommandCenter:LogDirectory", LogFolder);
        builder.UseSetting("Security:RevalidationInterval", "00:00:02");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // log files still flushing: the OS cleans its temp folder
        }
    }
}

/// <summary>"Revoking a device takes effect on its open screen within a minute", in Chromium.</summary>
public sealed class DeviceRevocationEndToEndTests : ChromiumTest, IClassFixture<RevalidatingKestrelApp>
{
    private readonly RevalidatingKestrelApp _app;

    public DeviceRevocationEndToEndTests(RevalidatingKestrelApp app) => _app = app;

    [Fact]
    public async Task WallScreen_DeviceRevokedWhileOpen_LeavesForTheSignInPageByItself()
    {
        var devices = _app.Services.GetRequiredService<DeviceService>();
        var registration = await devices.RegisterAsync(Actor.System("e2e"), "Lobby wall", null);
        var enrolled = (await devices.EnrollAsync(registration.EnrollmentCode, "127.0.0.1"))!.Value;
        var context = await BrowserInstance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await context.AddCookiesAsync([new Cookie
        {
            Name = "cc.device", Value = enrolled.Token, Domain = _app.BaseAddress.Host, Path = "/", HttpOnly = true,
        }]);
        var page = await context.NewPageAsync();
        await page.GotoAsync(_app.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-stat='reported-today'] .ws-big")).ToHaveTextAsync(new Regex(@"^\s*\d+\s*$"));
        await Assertions.Expect(page.Locator("[data-cc-clock]")).ToBeVisibleAsync();
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        // The circuit is live: the clock ticks, so the page is interactive and re-validating, not a static first paint.
        var clock = await page.Locator("[data-cc-clock]").InnerTextAsync();
        await Assertions.Expect(page.Locator("[data-cc-clock]")).Not.ToHaveTextAsync(clock, new LocatorAssertionsToHaveTextOptions { Timeout = 10_000 });

        Assert.True(await devices.RevokeAsync(Actor.System("e2e admin"), registration.Device.Id));

        await page.WaitForURLAsync(new Regex("/login"), new PageWaitForURLOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("form[data-cc='login-form']")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "cc.device" && c.Value == enrolled.Token);
        await page.GotoAsync(_app.BaseAddress.ToString());
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);

        // Neither the device token nor its enrollment code reached the app's log files.
        var logs = string.Join("\n", Directory.EnumerateFiles(_app.LogFolder).Select(ReadShared));
        Assert.Contains("revoked", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(enrolled.Token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(registration.EnrollmentCode, logs, StringComparison.Ordinal);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
