using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>
/// An unattended wall screen survives a server restart: the real app runs as a process, is killed and
/// started again on the same port and database, and the open page comes back with data by itself.
/// </summary>
public sealed class ServerRestartEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-restart").FullName;
    private readonly int _port = FreePort();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private AppProcess? _app;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(Browser.Options);
    }

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _browser.DisposeAsync();
        _playwright.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file still flushing: the temp folder is the OS's to clean.
        }
    }

    [Fact]
    public async Task WallScreen_ServerRestarts_ReloadsByItselfAndShowsDataAgain()
    {
        _app = await AppProcess.StartAsync(_folder, _port);
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        await Browser.SignInAsync(page, new Uri($"http://127.0.0.1:{_port}/"), "viewer", "Watch-2026-demo");
        // The circuit is live once the server ticks the clock.
        var first = await page.Locator("[data-cc-clock]").InnerTextAsync();
        await Assertions.Expect(page.Locator("[data-cc-clock]")).Not.ToHaveTextAsync(first, new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await page.EvaluateAsync("() => { window.__ccBeforeRestart = true; }");

        _app.Dispose();
        await Assertions.Expect(page.Locator("#cc-offline")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        _app = await AppProcess.StartAsync(_folder, _port);

        await page.WaitForFunctionAsync("() => window.__ccBeforeRestart === undefined", null, new PageWaitForFunctionOptions { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-stat='reported-today'] .ws-big")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d+\s*$"));
        await Assertions.Expect(page.Locator("#cc-offline")).ToBeHiddenAsync();
        var clock = await page.Locator("[data-cc-clock]").InnerTextAsync();
        await Assertions.Expect(page.Locator("[data-cc-clock]")).Not.ToHaveTextAsync(clock, new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 });
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

internal static class Browser
{
    /// <summary>Signs in through the real sign-in form and lands on the wall screen.</summary>
    public static async Task SignInAsync(IPage page, Uri baseAddress, string userName, string password)
    {
        await page.GotoAsync(new Uri(baseAddress, "/login").ToString());
        await page.FillAsync("input[name=userName]", userName);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Uri(baseAddress, "/").ToString());
    }

    public static BrowserTypeLaunchOptions Options => new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
    };
}
