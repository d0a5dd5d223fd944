using System.Net;
using System.Text.Json;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.Security;

namespace CommandCenter.Web.Tests.Reports;

[Collection(AppCollection.Name)]
public sealed class ReportsApiTests(CommandCenterFactory app)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Post_Accepts_ThenTheReportIsMadeInTheBackground_AndItsFilesDownload()
    {
        var callers = await Callers.ForAsync(app);

        var posted = await callers.SendAsync(Caller.Leader, null, HttpMethod.Post, "/api/v1/reports", Body(new { period = "2026-W40", culture = "en" }));
        var accepted = await JsonAsync(posted, HttpStatusCode.Accepted);
        var id = accepted.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/reports/{id}", posted.Headers.Location!.OriginalString);

        // Wait for the worker (a condition, not a sleep): poll the record until it is no longer queued or running.
        JsonElement report = default;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            report = await JsonAsync(await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, $"/api/v1/reports/{id}"), HttpStatusCode.OK);
            if (report.GetProperty("status").GetString() is "done" or "failed") break;
            await Task.Delay(200);
        }

        Assert.True(report.GetProperty("status").GetString() == "done", report.GetRawText());
        Assert.Equal(3, report.GetProperty("files").GetArrayLength());

        var pdf = await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, $"/api/v1/reports/{id}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("assessment-2026-W40-en.pdf", pdf.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        var csv = await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, $"/api/v1/reports/{id}/csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);

        var list = await JsonAsync(await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, "/api/v1/reports"), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task BadInput_Is400NamingTheField_UnknownIs404()
    {
        var callers = await Callers.ForAsync(app);

        var badPeriod = await JsonAsync(await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/reports", Body(new { period = "2026-W99" })), HttpStatusCode.BadRequest);
        var future = await JsonAsync(await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/reports", Body(new { period = "2099-01" })), HttpStatusCode.BadRequest);
        var badCulture = await JsonAsync(await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/reports", Body(new { period = "2026-10", culture = "fr" })), HttpStatusCode.BadRequest);
        var badFormat = await JsonAsync(await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/reports/1/docx"), HttpStatusCode.BadRequest);

        Assert.True(badPeriod.GetProperty("errors").TryGetProperty("period", out _));
        Assert.True(future.GetProperty("errors").TryGetProperty("period", out _));
        Assert.True(badCulture.GetProperty("errors").TryGetProperty("culture", out _));
        Assert.True(badFormat.GetProperty("errors").TryGetProperty("format", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/reports/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/reports/999999/pdf")).StatusCode);
    }
}
