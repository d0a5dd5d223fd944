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

    /// <summary>The web app's build output (copied beside this test assembly), started as its own process.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private AppProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static async Task<AppProcess> StartAsync(string folder, int port)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "CommandCenter.Web.dll");
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
                     {
                         dll, "--urls", $"http://127.0.0.1:{port}", "--environment", "Production",
                         $"--Database:ConnectionString=Data Source={Path.Combine(folder, "cc.db")}",
                         "--Demo:Simulator:Enabled=false", $"--CommandCenter:LogDirectory={Path.Combine(folder, "logs")}",
                     })
            {
                psi.ArgumentList.Add(a);
            }

            var app = new AppProcess(Process.Start(psi)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                if (app._process.HasExited)
                {
                    throw new InvalidOperationException("The app exited during start-up:\n" + app.Output);
                }

                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode) return app;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException)
                {
                    // not answering yet
                }

                await Task.Delay(250);
            }

            app.Dispose();
            throw new TimeoutException("The app was not ready within 120 s:\n" + app.Output);
        }

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
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
