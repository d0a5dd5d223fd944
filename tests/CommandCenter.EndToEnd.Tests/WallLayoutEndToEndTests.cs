using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>
/// Every wall page × aspect ratio × resolution, rendered by headless Chromium as an enrolled device (one browser, one
/// tab, the viewport resized in place): no scrollbars, no visible element outside the viewport, no text cut with an
/// ellipsis or by its panel, and no readable text smaller than the density's minimum (from computed styles).
/// Also: the device's language set by an Admin reaches the open screen, and screenshots of each page in both languages.
/// </summary>
public sealed class WallLayoutEndToEndTests : ChromiumTest, IClassFixture<KestrelApp>
{
    private static readonly string[] Pages = ["overview", "incidents", "devices", "rankings", "map"];

    /// <summary>16:9, 32:9, 48:9 (and 24:9, three screens two high) at 1080p, 1440p and 4K.</summary>
    private static readonly (int W, int H)[] Sizes =
    [
        (1920, 1080), (2560, 1440), (3840, 2160),
        (3840, 1080), (5120, 1440), (7680, 2160),
        (5760, 1080), (7680, 1440), (5760, 2160),
    ];

    /// <summary>The smallest readable text as a fraction of the screen height, per density.</summary>
    private static readonly Dictionary<string, double> MinFraction = new() { ["desk"] = 1 / 60.0, ["wall"] = 1 / 45.0, ["hall"] = 1 / 36.0 };

    /// <summary>Problems of the wall's layout (see the class summary); an empty array when all is well.</summary>
    private const string CheckScript = """
        (minPx) => {
          const problems = [];
          const de = document.documentElement;
          if (de.scrollHeight > innerHeight + 1 || de.scrollWidth > innerWidth + 1) problems.push(`scrolls: ${de.scrollWidth}x${de.scrollHeight}`);
          const root = document.querySelector('.ws-root');
          if (!root) return ['no .ws-root'];
          const desc = el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent || '').trim().slice(0, 40)}"`;
          for (const el of root.querySelectorAll('*')) {
            const cs = getComputedStyle(el);
            if (cs.display === 'none' || cs.visibility === 'hidden') continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            let clip = { l: 0, t: 0, r: innerWidth, b: innerHeight };
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              const s = getComputedStyle(a);
              if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
              const ar = a.getBoundingClientRect();
              clip = { l: Math.max(clip.l, ar.left), t: Math.max(clip.t, ar.top), r: Math.min(clip.r, ar.right), b: Math.min(clip.b, ar.bottom) };
            }
            const visible = r.right > clip.l + 1 && r.left < clip.r - 1 && r.bottom > clip.t + 1 && r.top < clip.b - 1;
            if (!visible) continue; // clipped away whole (e.g. rows that did not fit): shown less, not cut
            if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) problems.push('outside the viewport: ' + desc(el));
            const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
            if (!text) continue;
            if (parseFloat(cs.fontSize) < minPx) problems.push(`font ${cs.fontSize} < ${minPx.toFixed(1)}px: ` + desc(el));
            if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push('ellipsis: ' + desc(el));
            if (r.bottom > clip.b + 2 || r.right > clip.r + 2 || r.top < clip.t - 2 || r.left < clip.l - 2) problems.push('text cut by its panel: ' + desc(el));
          }
          return problems;
        }
        """;

    private readonly KestrelApp _app;

    public WallLayoutEndToEndTests(KestrelApp app) => _app = app;

    [Fact]
    public async Task EveryPage_EveryAspectAndResolution_IsLegibleAndFits()
    {
        var (page, _) = await NewDeviceScreenAsync("layout");
        var problems = new List<string>();
        foreach (var key in Pages)
        {
            await OpenAsync(page, $"/?page={key}");
            foreach (var (w, h) in Sizes)
            {
                await page.SetViewportSizeAsync(w, h);
                await CheckAsync(page, $"{key} {w}x{h} wall", h * MinFraction["wall"], problems);
                if (w == 5760 && h == 1080 || w == 3840 && h == 1080)
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, $"wall-{key}-{w}x{h}.png") });
                }
            }

            await page.SetViewportSizeAsync(1920, 1080);
            foreach (var density in new[] { "desk", "hall" })
            {
                await OpenAsync(page, $"/?page={key}&density={density}");
                await CheckAsync(page, $"{key} 1920x1080 {density}", 1080 * MinFraction[density], problems);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Shots, $"wall-{key}-{density}-1920x1080.png") });
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(60)));
    }

    [Fact]
    public async Task DeviceLanguage_SetByAdmin_ReachesOpenScreen_AndScreenshotsInBothLanguages()
    {
        var (page, deviceId) = await NewDeviceScreenAsync("screenshots");
        var shots = Shots;
        var devices = _app.Services.GetRequiredService<DeviceService>();
        var problems = new List<string>();
        foreach (var lang in new[] { "en-US", "zh-CN" })
        {
            await PostIncidentAsync(); // live data, so the screenshots show no staleness banner
            await OpenAsync(page, "/?page=overview");
            await devices.UpdateSettingsAsync(Actor.System("e2e"), deviceId, ScreenSettings.Default with { Language = lang });
            // Pushed to the open screen: no reload.
            await Assertions.Expect(page.Locator($".ws-root[lang='{(lang == "zh-CN" ? "zh-CN" : "en")}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            Assert.Equal(0, await page.Locator(".ws-lang").CountAsync()); // no language switch on a device's wall
            foreach (var key in Pages)
            {
                await OpenAsync(page, $"/?page={key}");
                await CheckAsync(page, $"{key} 1920x1080 {lang}", 1080 * MinFraction["wall"], problems);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"wall-{key}-{lang}-1920x1080.png") });
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(60)));
    }

    private async Task PostIncidentAsync()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", KestrelApp.ApiKey);
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "/api/v1/incidents", new
        {
            category = "noise", gridId = 7, source = "Hotline", reporterName = "12345 hotline", title = "Loud music at night",
        });
        response.EnsureSuccessStatusCode();
    }

    private static string Shots => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    private async Task<(IPage Page, int DeviceId)> NewDeviceScreenAsync(string name)
    {
        var context = await BrowserInstance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var cookie = await _app.EnrollDeviceAsync($"{name} screen");
        await context.AddCookiesAsync([cookie]);
        var devices = _app.Services.GetRequiredService<DeviceService>();
        var id = (await devices.ValidateAsync(cookie.Value))!.Id;
        return (await context.NewPageAsync(), id);
    }

    private async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(_app.BaseAddress, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(page.Locator("[data-cc-clock]")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => document.fonts.ready");
    }

    private static async Task CheckAsync(IPage page, string what, double minPx, List<string> problems)
    {
        // A little tolerance for sub-pixel rounding of computed font sizes.
        var found = await page.EvaluateAsync<string[]>(CheckScript, minPx - 0.5);
        problems.AddRange(found.Select(p => $"{what}: {p}"));
    }
}
