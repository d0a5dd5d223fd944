using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Domain.Live;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>The loop over HTTP: ETag / If-Match, 409 with the allowed actions, 412, 428, ProblemDetails naming fields, the queue.</summary>
[Collection(AppCollection.Name)]
public sealed class IncidentLoopApiTests(CommandCenterFactory app)
{
    private LiveSnapshot Board => app.Services.GetRequiredService<ILiveBoard>().GetSnapshot();

    private async Task<(HttpClient Client, long Id, string Title)> ReportAsync()
    {
        var client = app.CreateApiClient();
        var title = "Loop API " + Guid.NewGuid().ToString("N")[..10];
        var created = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            category = "sanitation", gridId = Board.Grids[0].Id, source = "Hotline", reporterName = "Zhao", title,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (client, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), title);
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, long id, string action, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/actions/{action}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] Allowed(JsonElement e) => e.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()!).ToArray();

    [Fact]
    public async Task Get_HasETagAndAllowedActions_AndAnActionAnswersTheIncidentAsItNowIs()
    {
        var (client, id, _) = await ReportAsync();
        using var owned = client;
        var get = await client.GetAsync($"/api/v1/incidents/{id}");
        var incident = await JsonAsync(get, HttpStatusCode.OK);
        Assert.Equal("\"1\"", get.Headers.ETag?.Tag);
        Assert.Equal(["verify", "reject", "escalate"], Allowed(incident));
        Assert.Equal("Micro", incident.GetProperty("cycle").GetString());
        Assert.Equal("Grid", incident.GetProperty("unitKind").GetString());

        var verified = await ActAsync(client, id, "verify", new { fromStep = "Reported", note = "checked on site" }, "\"1\"");
        var after = await JsonAsync(verified, HttpStatusCode.OK);
        Assert.Equal("\"2\"", verified.Headers.ETag?.Tag);
        Assert.Equal("Verified", after.GetProperty("step").GetString());
        Assert.Contains("dispatch", Allowed(after));
        var last = after.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal(("verify", "Reported", "checked on site"), (last.GetProperty("action").GetString(), last.GetProperty("fromStep").GetString(), last.GetProperty("note").GetString()));
        Assert.Equal("ApiKey", last.GetProperty("actorKind").GetString());

        var dispatched = await JsonAsync(await ActAsync(client, id, "dispatch", new { fromStep = "Verified" }, "W/\"2\""), HttpStatusCode.OK);
        Assert.Equal("Dispatched", dispatched.GetProperty("step").GetString());
    }

    [Fact]
    public async Task StaleScreen_DispatchingWhatWasDispatched_Is409WithTheCurrentStateAndChangesNothing()
    {
        var (client, id, _) = await ReportAsync();
        using var owned = client;
        await JsonAsync(await ActAsync(client, id, "verify", new { fromStep = "Reported" }, "\"1\""), HttpStatusCode.OK);
        await JsonAsync(await ActAsync(client, id, "dispatch", new { fromStep = "Verified" }, "\"2\""), HttpStatusCode.OK);

        // The second operator saw Verified (and version 3 from a fresh read of the list): the fromStep is stale.
        var problem = await JsonAsync(await ActAsync(client, id, "accept", new { fromStep = "Verified" }, "\"3\""), HttpStatusCode.Conflict);
        Assert.Equal(["accept", "escalate"], Allowed(problem));
        Assert.Equal("Dispatched", problem.GetProperty("current").GetProperty("step").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("fromStep", out _));

        var stale = await JsonAsync(await ActAsync(client, id, "accept", new { fromStep = "Dispatched" }, "\"2\""), HttpStatusCode.PreconditionFailed);
        Assert.Equal(3, stale.GetProperty("current").GetProperty("version").GetInt64());

        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(("Dispatched", 3L), (incident.GetProperty("step").GetString(), incident.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task NotAllowedHere_Is409ListingTheAllowedActions()
    {
        var (client, id, _) = await ReportAsync();
        using var owned = client;
        var problem = await JsonAsync(await ActAsync(client, id, "check", new { fromStep = "Reported", result = "pass" }, "\"1\""), HttpStatusCode.Conflict);
        Assert.Equal(["verify", "reject", "escalate"], Allowed(problem));
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("check", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingIfMatch_Is428_BadBody_Is400NamingFields_UnknownAction_Is404()
    {
        var (client, id, _) = await ReportAsync();
        using var owned = client;
        var missing = await JsonAsync(await ActAsync(client, id, "verify", new { fromStep = "Reported" }, null), (HttpStatusCode)428);
        Assert.True(missing.GetProperty("errors").TryGetProperty("If-Match", out _));

        var bad = await JsonAsync(await ActAsync(client, id, "reject", new { fromStep = "Reported", reason = "duplicate" }, "\"1\""), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("duplicateOfId", out _));
        var noStep = await JsonAsync(await ActAsync(client, id, "verify", new { }, "\"1\""), HttpStatusCode.BadRequest);
        Assert.True(noStep.GetProperty("errors").TryGetProperty("fromStep", out _));
        var malformed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify")
        {
            Content = new StringContent("{\"fromStep\":", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "If-Match", "\"1\"" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(client, id, "advance", new { fromStep = "Reported" }, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(client, long.MaxValue, "verify", new { fromStep = "Reported" }, "\"1\"")).StatusCode);
        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal(1, incident.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Queue_FiltersCountsAndPages()
    {
        var (client, id, title) = await ReportAsync();
        using var owned = client;
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?q={Uri.EscapeDataString(title)}&step=Reported");
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(id, page.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal(1, page.GetProperty("countsByStep").GetProperty("Reported").GetInt32());

        var all = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?gridId={Board.Grids[0].Id}&pageSize=5&sort=due");
        Assert.True(all.GetProperty("total").GetInt32() >= 1);
        Assert.True(all.GetProperty("items").GetArrayLength() <= 5);
        var counts = all.GetProperty("countsByStep").EnumerateObject().Sum(p => p.Value.GetInt32());
        Assert.Equal(all.GetProperty("total").GetInt32(), counts);

        var open = await client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?step=open&cycle=micro&overdue=true&source=Hotline&category=sanitation&unitKind=grid&unitId=1");
        Assert.All(open.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("overdue").GetBoolean()));

        var bad = await JsonAsync(await client.GetAsync("/api/v1/incidents?pageSize=1000&step=nope&sort=x"), HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("pageSize", out _) && errors.TryGetProperty("step", out _) && errors.TryGetProperty("sort", out _));
    }
}
