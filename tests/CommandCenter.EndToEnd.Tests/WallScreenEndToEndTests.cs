using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>The app on a real Kestrel port, driven by Debian's headless Chromium through Playwright.</summary>
public sealed class KestrelApp : WebApplicationFactory<Program>
{
    public const string ApiKey = "e2e-test-key-0123456789abcdef";

    public string Folder { get; } = Directory.CreateTempSubdirectory("cc-e2e").FullName;

    public KestrelApp()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    /// <summary>Registers and enrolls a wall-screen device, and returns its cookie for the browser.</summary>
    public async Task<Cookie> EnrollDeviceAsync(string name)
    {
        var devices = Services.GetRequiredService<DeviceService>();
        var registration = await devices.RegisterAsync(Actor.System("e2e"), name, null);
        var enrolled = await devices.EnrollAsync(registration.EnrollmentCode, "127.0.0.1");
        return new Cookie
        {
            Name = "cc.device", Value = enrolled!.Value.Token, Domain = BaseAddress.Host, Path = "/", HttpOnly = true,
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(Folder, "cc.db")}");
        builder.UseSetting("Demo:Simulator:Enabled", "false");
        builder.UseSetting("CommandCenter:LogDirectory", Path.Combine(Folder, "logs"));
        builder.UseSetting("Security:BootstrapApiKeys:0:Name", "e2e");
        builder.UseSetting("Security:BootstrapApiKeys:0:Key", ApiKey);
    }
}

public sealed class WallScreenEndToEndTests : ChromiumTest, IClassFixture<KestrelApp>
{
    private readonly KestrelApp _app;

    public WallScreenEndToEndTests(KestrelApp app) => _app = app;

    /// <summary>A browser page that is a registered wall-screen device.</summary>
    private async Task<IPage> NewScreenAsync(int width, int height)
    {
        var context = await BrowserInstance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.AddCookiesAsync([await _app.EnrollDeviceAsync($"screen {width}x{height}")]);
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task WallScreen_PostedIncident_AppearsWithoutReload()
    {
        var page = await NewScreenAsync(1920, 1080);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        await page.GotoAsync(_app.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var today = page.Locator("[data-stat='reported-today'] .ws-big");
        await Assertions.Expect(today).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d+\s*$"));
        var before = int.Parse((await today.InnerTextAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var navigationsBefore = navigations;

        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", KestrelApp.ApiKey);
        var response = await http.PostAsJsonAsync("/api/v1/incidents", new
        {
            category = "fire", gridId = 1, source = "Hotline", reporterName = "12345 hotline", title = "Smoke seen at the market",
        });
        response.EnsureSuccessStatusCode();

        await Assertions.Expect(today).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        Assert.Equal(navigationsBefore, navigations);
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight > window.innerHeight + 1 || document.documentElement.scrollWidth > window.innerWidth + 1"),
            "the wall screen must not scroll at 1920×1080");

        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "wallscreen-1920x1080.png") });
    }

    [Fact]
    public async Task WallScreen_At4K_HasNoScrollbars()
    {
        var page = await NewScreenAsync(3840, 2160);
        await page.GotoAsync(_app.BaseAddress.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-cc-clock]")).ToBeVisibleAsync();

        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollHeight > window.innerHeight + 1 || document.documentElement.scrollWidth > window.innerWidth + 1"));
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "wallscreen-3840x2160.png") });
    }
}
