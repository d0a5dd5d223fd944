using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Open311;

/// <summary>
/// What an Open311 report carries is kept (media_url as the incident's photo link, e-mail, name, phone), media_url is
/// served back, the e-mail never is (the spec's response has no such field) nor logged, and <c>status_notes</c> is what
/// the latest timeline row says — the operator's note, else what the action did — not the step's name.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class Open311StoredFieldsTests(CommandCenterFactory app)
{
    private const string Prefix = "/open311/v2";

    /// <summary>Every action with its note, as an operator's would be (the system: no account needed).</summary>
    private static readonly LoopActor Admin = LoopActor.System("open311 tests");

    private sealed class StoredRow
    {
        public long Id { get; init; }
        public string ReporterName { get; init; } = "";
        public string? ReporterPhone { get; init; }
        public string? ReporterEmail { get; init; }
        public string? ReporterDeviceId { get; init; }
        public string? ReporterAccountId { get; init; }
        public string? PhotoLinks { get; init; }
    }

    [Fact]
    public async Task Post_StoresMediaEmailNameAndPhone_ServesMediaUrl_NeverTheEmail()
    {
        var key = await KeyAsync(Scopes.IncidentsWrite, Scopes.IncidentsRead);
        var grid = await GridCodeAsync();
        var email = TestSecrets.Register("an Open311 reporter's e-mail", "zhao.min." + Guid.NewGuid().ToString("N")[..8] + "@example.org");
        const string media = "https://photos.example.org/open311/bins-east-gate.jpg";
        using var client = app.CreateApiClient(key);

        var posted = await JsonAsync(await client.PostAsync($"{Prefix}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "sanitation",
            ["address_id"] = grid,
            ["description"] = "Bins overflowing by the east gate",
            ["first_name"] = "Zhao",
            ["last_name"] = "Min",
            ["phone"] = "13800001111",
            ["email"] = email,
            ["media_url"] = media,
            ["device_id"] = "app-install-7f3a",
            ["account_id"] = "acct-2291",
        })), HttpStatusCode.Created, null);
        var number = posted[0].GetProperty("service_request_id").GetString()!;

        var stored = await StoredAsync(number);
        Assert.Equal("app-install-7f3a", stored.ReporterDeviceId);
        Assert.Equal("acct-2291", stored.ReporterAccountId);
        Assert.Equal("Zhao Min", stored.ReporterName);
        Assert.Equal("13800001111", stored.ReporterPhone);
        Assert.Equal(email, stored.ReporterEmail);
        Assert.Equal([media], JsonSerializer.Deserialize<string[]>(stored.PhotoLinks!) ?? []);

        var one = await JsonAsync(await client.GetAsync($"{Prefix}/requests/{number}.json"), HttpStatusCode.OK, "requests.json");
        var request = Open311Schemas.AssertValid("request.json", Assert.Single(one.EnumerateArray()).GetRawText());
        Assert.Equal(media, request.GetProperty("media_url").GetString());
        var list = await JsonAsync(await client.GetAsync($"{Prefix}/requests.json?service_request_id={number}"), HttpStatusCode.OK, "requests.json");
        Assert.Equal(media, Assert.Single(list.EnumerateArray()).GetProperty("media_url").GetString());
        var xml = await (await client.GetAsync($"{Prefix}/requests/{number}.xml")).Content.ReadAsStringAsync();
        Assert.Equal(media, XDocument.Parse(xml).Root!.Element("request")!.Element("media_url")!.Value);

        // Personal data stays in: not in any answer, the audit row or the log.
        foreach (var answer in new[] { one.GetRawText(), list.GetRawText(), xml })
        {
            Assert.DoesNotContain(email, answer, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("13800001111", answer, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(TestLog.Snapshot(), line => line.Contains(email, StringComparison.OrdinalIgnoreCase));
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Details LIKE @Pattern", new { Pattern = "%" + email + "%" }));
    }

    [Fact]
    public async Task StatusNotes_AreTheLatestTimelineRowsNote_ElseWhatItsActionDid()
    {
        var key = await KeyAsync(Scopes.IncidentsWrite, Scopes.IncidentsRead);
        using var client = app.CreateApiClient(key);
        var posted = await JsonAsync(await client.PostAsync($"{Prefix}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "safety_hazard", ["address_id"] = await GridCodeAsync(), ["description"] = "Pothole at the crossing",
        })), HttpStatusCode.Created, null);
        var number = posted[0].GetProperty("service_request_id").GetString()!;
        var id = (await StoredAsync(number)).Id;
        var actions = app.Services.GetRequiredService<IncidentActionHandler>();

        Assert.Equal(Domain.Incidents.Open311.StatusOf(IncidentStep.Reported, false).Notes, await NotesAsync(client, number, "en"));

        await actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported, "Confirmed on the camera: about 1 m wide."), Admin, null);
        Assert.Equal("Confirmed on the camera: about 1 m wide.", await NotesAsync(client, number, "en"));
        Assert.Equal("Confirmed on the camera: about 1 m wide.", await NotesAsync(client, number, "zh-CN"));

        await actions.HandleAsync(id, new DispatchCommand(IncidentStep.Verified), Admin, null);
        var dispatched = await NotesAsync(client, number, "en");
        Assert.Equal(Domain.Incidents.Open311.StatusNotes(IncidentStep.Dispatched, LoopAction.Dispatch, IncidentStep.Dispatched, IncidentCycle.Micro, null, false), dispatched);
        Assert.NotEqual(Domain.Incidents.Open311.StatusOf(IncidentStep.Dispatched, false).Notes, dispatched); // what happened, not the step's name
        Assert.Equal("已派遣，待承办单位接收", await NotesAsync(client, number, "zh-CN"));

        await actions.HandleAsync(id, new EscalateCommand(IncidentStep.Dispatched, "Needs the road department's machinery."), Admin, null);
        Assert.Equal("Needs the road department's machinery.", await NotesAsync(client, number, "en"));
    }

    [Theory]
    [InlineData("email=not-an-address", "email")]
    [InlineData("email=a%40b", "email")]
    [InlineData("email=two%40at%40example.org", "email")]
    public async Task Post_BadEmail_Is400NamingEmail_WithoutRepeatingIt(string field, string name)
    {
        using var client = app.CreateApiClient(await KeyAsync(Scopes.IncidentsWrite));

        var response = await client.PostAsync($"{Prefix}/requests.json",
            new StringContent($"service_code=noise&address_id={await GridCodeAsync()}&{field}", Encoding.UTF8, "application/x-www-form-urlencoded"));

        var errors = await JsonAsync(response, HttpStatusCode.BadRequest, "errors");
        var description = Assert.Single(errors.EnumerateArray()).GetProperty("description").GetString()!;
        Assert.StartsWith(name + ":", description, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.UnescapeDataString(field[(field.IndexOf('=', StringComparison.Ordinal) + 1)..]), description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_MediaUrlLongerThanAPhotoLink_Is400NamingMediaUrl()
    {
        using var client = app.CreateApiClient(await KeyAsync(Scopes.IncidentsWrite));
        var media = Uri.EscapeDataString("https://photos.example.org/" + new string('p', LoopFields.MaxPhotoLinkLength));

        var response = await client.PostAsync($"{Prefix}/requests.json",
            new StringContent($"service_code=noise&address_id={await GridCodeAsync()}&media_url={media}", Encoding.UTF8, "application/x-www-form-urlencoded"));

        var errors = await JsonAsync(response, HttpStatusCode.BadRequest, "errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("description").GetString()!.StartsWith("media_url:", StringComparison.Ordinal));
    }

    private static async Task<string?> NotesAsync(HttpClient client, string number, string locale)
    {
        var list = await JsonAsync(await client.GetAsync($"{Prefix}/requests/{number}.json?locale={locale}"), HttpStatusCode.OK, "requests.json");
        return Assert.Single(list.EnumerateArray()).GetProperty("status_notes").GetString();
    }

    private async Task<string> KeyAsync(params string[] scopes) =>
        await Callers.CreateKeyAsync(app.Services.GetRequiredService<ApiKeyService>(), "open311 stored " + Guid.NewGuid().ToString("N"), scopes);

    private async Task<string> GridCodeAsync()
    {
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT Code FROM Grid ORDER BY Id LIMIT 1") ?? throw new InvalidOperationException("no grid");
    }

    private async Task<StoredRow> StoredAsync(string number)
    {
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await c.QuerySingleAsync<StoredRow>(
            "SELECT Id, ReporterName, ReporterPhone, ReporterEmail, ReporterDeviceId, ReporterAccountId, PhotoLinks FROM Incident WHERE Number = @Number", new { Number = number });
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status, string? schema)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return schema is null ? JsonDocument.Parse(body).RootElement : Open311Schemas.AssertValid(schema, body);
    }
}
