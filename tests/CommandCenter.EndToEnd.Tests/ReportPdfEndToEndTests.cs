using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>
/// Issue 12 on the started demo app: a Leader, signed in through the real form, asks for last ISO week's report over
/// the API, waits for it to be made, downloads the PDF and renders its first page with poppler's pdftoppm into the
/// test output's screenshots folder (kept as an artefact).
/// </summary>
public sealed class ReportPdfEndToEndTests : ChromiumTest
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-report").FullName;
    private readonly int _port = FreePort();
    private AppProcess? _app;

    public override async Task DisposeAsync()
    {
        _app?.Dispose();
        await base.DisposeAsync();
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
    public async Task Leader_RequestsLastWeeksReport_ThePdfIsMade_AndItsFirstPageRendersToPng()
    {
        _app = await AppProcess.StartAsync(_folder, _port);
        var baseAddress = new Uri($"http://127.0.0.1:{_port}/");
        var context = await BrowserInstance.NewContextAsync();
        var page = await context.NewPageAsync();
        await Browser.SignInAsync(page, baseAddress, "leader", "Review-2026-demo");
        var api = context.APIRequest; // shares the sign-in cookie

        // The previous ISO week in the street's time zone (Asia/Shanghai, UTC+8, no daylight saving).
        var lastWeek = DateTime.UtcNow.AddHours(8).AddDays(-7);
        var period = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(lastWeek)}-W{ISOWeek.GetWeekOfYear(lastWeek):00}");
        var posted = await api.PostAsync(new Uri(baseAddress, "/api/v1/reports").ToString(), new APIRequestContextOptions
        {
            DataObject = new { period, culture = "zh-CN" },
        });
        Assert.True(posted.Status == (int)HttpStatusCode.Accepted, $"{posted.Status}: {await posted.TextAsync()}");
        var location = posted.Headers["location"];
        var id = JsonDocument.Parse(await posted.TextAsync()).RootElement.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/reports/{id}", location);

        // Wait for the background worker: poll the status until done or failed, within a deadline.
        string status = "", body = "";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var r = await api.GetAsync(new Uri(baseAddress, location).ToString());
            Assert.Equal((int)HttpStatusCode.OK, r.Status);
            body = await r.TextAsync();
            status = JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() ?? "";
            if (status is "done" or "failed") break;
            await Task.Delay(250);
        }

        Assert.True(status == "done", body);

        var pdf = await api.GetAsync(new Uri(baseAddress, $"/api/v1/reports/{id}/pdf").ToString());
        Assert.Equal((int)HttpStatusCode.OK, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"], StringComparison.Ordinal);
        var bytes = await pdf.BodyAsync();
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4), StringComparison.Ordinal);

        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var pdfPath = Path.Combine(shots, $"report-{period}-zh-CN.pdf");
        await File.WriteAllBytesAsync(pdfPath, bytes);
        var prefix = Path.Combine(shots, $"report-{period}-zh-CN-page");
        var png = prefix + ".png";
        File.Delete(png);
        var psi = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix })
        {
            psi.ArgumentList.Add(a);
        }

        using (var p = Process.Start(psi)!)
        {
            var stderr = await p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(timeout.Token);
            Assert.True(p.ExitCode == 0, "pdftoppm failed: " + stderr);
        }

        Assert.True(File.Exists(png), "no PNG from pdftoppm");
        var head = new byte[8];
        await using (var f = File.OpenRead(png))
        {
            Assert.Equal(8, await f.ReadAsync(head));
            // An A4 page at 60 dpi is about 496 x 702 pixels; a cover with text and a chart compresses to well over 5 kB.
            Assert.True(f.Length > 5_000, $"PNG of {f.Length} bytes is too small to be a rendered page");
        }

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
