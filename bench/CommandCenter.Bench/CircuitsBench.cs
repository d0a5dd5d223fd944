using System.Diagnostics;
using System.Text;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Memory per idle wall-screen circuit: the app (simulator off), one warm-up page, a baseline of
/// managedBytes after a forced full GC, then N more 1920×1080 pages in one headless Chromium; once all N+1
/// circuits are connected and showing the clock, idle, and read managedBytes (after a full GC) again.
/// </summary>
internal static class CircuitsBench
{
    private const double TargetKb = 500;

    public static async Task RunAsync(Options options, Report report)
    {
        var n = options.Circuits;
        Console.Error.WriteLine("[circuits] starting the app...");
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-circuits-");
        await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        // Diagnostics with gc=true are Admin-only: read them signed in as the demo Admin.
        using var client = await AppProcess.AdminClientAsync(app.BaseAddress);

        // Each screen is a registered wall-screen device, enrolled the way an Admin's one-time link does it: the code is
        // registered in the app's database (as /admin/devices would), the browser posts it on /device/enroll and gets the
        // device cookie. SQLite's busy timeout covers the two processes writing the same file.
        var devices = new DeviceService(new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={app.DatabaseFile}" }),
            TimeProvider.System, NullLogger<DeviceService>.Instance);
        var screenNo = 0;
        async Task<(IBrowserContext, IPage)> OpenScreenAsync(IBrowser browser)
        {
            var code = (await devices.RegisterAsync(Actor.System("bench"), I($"bench screen {++screenNo}"), null)).EnrollmentCode;
            return await OpenAsync(browser, app.BaseAddress, code);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });

        var pages = new List<(IBrowserContext Context, IPage Page)>();
        string closing;
        Diagnostics baseline, after, afterClose;
        Diagnostics[] baselineReads, afterReads;
        double openSeconds;
        try
        {
            // Warm-up: one page, so JIT, MudBlazor, localisation and the circuit machinery are loaded before the baseline.
            Console.Error.WriteLine("[circuits] warm-up page...");
            pages.Add(await OpenScreenAsync(browser));
            await WaitConnectedAsync(app, client, 1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            baselineReads = [await app.DiagnosticsAsync(client, gc: true), await app.DiagnosticsAsync(client, gc: true)];
            baseline = Min(baselineReads);

            Console.Error.WriteLine(I($"[circuits] opening {n} wall screens..."));
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                pages.Add(await OpenScreenAsync(browser));
            }

            await WaitConnectedAsync(app, client, n + 1);
            openSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            foreach (var (_, page) in pages)
            {
                await page.Locator("[data-cc-clock]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
            }

            Console.Error.WriteLine(I($"[circuits] {n + 1} circuits connected; idling {options.IdleSeconds} s..."));
            await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds));
            afterReads = [await app.DiagnosticsAsync(client, gc: true), await app.DiagnosticsAsync(client, gc: true)];
            after = Min(afterReads);

            // Still alive? The clock must have moved during the idle time on every page.
            var stalled = 0;
            foreach (var (_, page) in pages)
            {
                var a = await page.Locator("[data-cc-clock]").InnerTextAsync();
                await Task.Delay(1100);
                if (await page.Locator("[data-cc-clock]").InnerTextAsync() == a) stalled++;
            }

            if (stalled > 0)
            {
                Console.Error.WriteLine(I($"[circuits] warning: {stalled} page(s) did not tick within 1.1 s"));
            }

            // Close the pages and see whether the server lets the circuits go.
            foreach (var (context, _) in pages) await context.CloseAsync();
            pages.Clear();
            await Task.Delay(TimeSpan.FromSeconds(5));
            afterClose = await app.DiagnosticsAsync(client, gc: true);
            closing = stalled == 0 ? "" : I($" Warning: {stalled} page(s) did not tick within 1.1 s at the end.");
        }
        finally
        {
            foreach (var (context, _) in pages) await context.CloseAsync();
        }

        await browser.CloseAsync();
        var stop = await app.StopAsync();
        SqliteConnection.ClearAllPools();

        var perCircuitKb = (after.ManagedBytes - baseline.ManagedBytes) / 1024.0 / n;
        var wsPerCircuitKb = (after.WorkingSetBytes - baseline.WorkingSetBytes) / 1024.0 / n;
        var sb = new StringBuilder();
        var intro = I($"App process with simulator off (the board does not change; only the per-second clock renders). Headless Chromium ({options.ChromiumPath}) via Playwright, one browser context per page, each an enrolled wall-screen device (one-time code posted on `/device/enroll`, device cookie), viewport 1920×1080. ");
        intro += I($"1 warm-up page, baseline, then {n} wall screens opened one after another ({openSeconds:0.0} s until all {n + 1} circuits were connected and showed `[data-cc-clock]`), idle {options.IdleSeconds} s. ");
        intro += I($"Each reading is `GET /api/v1/diagnostics?gc=true` (full blocking GC first); two readings each time, the smaller kept. App {stop}.{closing}");
        sb.AppendLine(intro);
        sb.AppendLine();
        sb.AppendLine("| Reading | circuits open / connected | managed bytes | working set |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var (label, d) in baselineReads.Select(d => ("baseline (1 page)", d)).Concat(afterReads.Select(d => (I($"after {n} more, idle {options.IdleSeconds} s"), d))).Append(("5 s after closing all pages", afterClose)))
        {
            sb.AppendLine(I($"| {label} | {d.CircuitsOpen} / {d.CircuitsConnected} | {d.ManagedBytes:N0} ({Bytes(d.ManagedBytes)}) | {d.WorkingSetBytes:N0} ({Bytes(d.WorkingSetBytes)}) |"));
        }

        sb.AppendLine();
        sb.AppendLine(I($"Per circuit, managed heap: ({after.ManagedBytes:N0} − {baseline.ManagedBytes:N0}) / {n} = **{perCircuitKb:0.0} KB** (target < {TargetKb:0} KB: {Ratio(perCircuitKb, TargetKb)})."));
        sb.AppendLine(I($"Per circuit, working set: ({after.WorkingSetBytes:N0} − {baseline.WorkingSetBytes:N0}) / {n} = {wsPerCircuitKb:0.0} KB (includes native/SignalR buffers and GC heap growth the runtime keeps committed; noisy)."));
        report.Section("Memory per idle wall-screen circuit", sb.ToString());
        report.Add(new Headline(I($"Managed memory per idle wall-screen circuit ({n} circuits)"), I($"{perCircuitKb:0.0} KB"), "< 500 KB", Ratio(perCircuitKb, TargetKb)));
        report.Add(new Headline("Working-set growth per circuit", I($"{wsPerCircuitKb:0.0} KB"), "—", "—"));
    }

    /// <summary>A new browser context (its own cookies) that enrolls with <paramref name="code"/> and lands on the wall screen.</summary>
    private static async Task<(IBrowserContext, IPage)> OpenAsync(IBrowser browser, Uri baseAddress, string code)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "device/enroll?code=" + Uri.EscapeDataString(code)).ToString(),
            new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });
        await page.Locator("form[data-cc='enroll-form'] button[type='submit']").ClickAsync(new LocatorClickOptions { Timeout = 60_000 });
        await page.WaitForURLAsync(baseAddress.ToString(), new PageWaitForURLOptions { Timeout = 60_000 });
        await page.Locator("[data-cc-clock]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 60_000 });
        return (context, page);
    }

    /// <summary>Polls diagnostics (no GC) until at least <paramref name="count"/> circuits are connected; bounded to 120 s.</summary>
    private static async Task WaitConnectedAsync(AppProcess app, HttpClient client, int count)
    {
        var deadline = Stopwatch.GetTimestamp() + (120 * Stopwatch.Frequency);
        Diagnostics d;
        do
        {
            d = await app.DiagnosticsAsync(client, gc: false);
            if (d.CircuitsConnected >= count)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        throw new TimeoutException(I($"Only {d.CircuitsConnected} of {count} circuits connected after 120 s (open: {d.CircuitsOpen})."));
    }

    private static Diagnostics Min(Diagnostics[] reads) =>
        reads.MinBy(r => r.ManagedBytes)! with { WorkingSetBytes = reads.Min(r => r.WorkingSetBytes) };
}
