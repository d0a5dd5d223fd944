using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Data.Field;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>The field API with a staff member's personal token, and Idempotency-Key on the field writes and the incident actions.</summary>
[Collection(AppCollection.Name)]
public sealed class FieldApiTests(CommandCenterFactory app)
{
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin");

    private DbConnectionFactory Db => app.Services.GetRequiredService<DbConnectionFactory>();

    /// <summary>A staff member with a grid, and a client carrying their fresh personal token.</summary>
    private async Task<(HttpClient Field, int StaffId, int GridId, int KeyId)> FieldClientAsync()
    {
        await using var c = await Db.OpenAsync();
        var (staffId, gridId) = await c.QueryFirstAsync<(int, int)>(
            "SELECT a.StaffId, a.GridId FROM StaffAssignment a JOIN Staff s ON s.Id = a.StaffId WHERE s.Active = 1 ORDER BY a.StaffId, a.GridId");
        var (token, secret) = await app.Services.GetRequiredService<StaffAccountService>().CreateTokenAsync(Admin, staffId, "phone " + Guid.NewGuid().ToString("N")[..6]);
        return (app.CreateApiClient(secret), staffId, gridId, token.Id);
    }

    private async Task<long> DispatchedAsync(int gridId)
    {
        using var ops = app.CreateApiClient();
        var created = await ops.PostAsJsonAsync("/api/v1/incidents", new
        {
            category = "sanitation", gridId, source = "Hotline", reporterName = "Zhao", title = "Field API " + Guid.NewGuid().ToString("N")[..8],
        });
        var id = (await JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await JsonAsync(await SendAsync(ops, HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify", new { fromStep = "Reported" }, ifMatch: "\"1\""), HttpStatusCode.OK);
        await JsonAsync(await SendAsync(ops, HttpMethod.Post, $"/api/v1/incidents/{id}/actions/dispatch", new { fromStep = "Verified" }, ifMatch: "\"2\""), HttpStatusCode.OK);
        return id;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? key = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<long> ScalarAsync(string sql, object args)
    {
        await using var c = await Db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task PersonalToken_ListsAcceptsAndAnswers_AttributedToTheStaffMember()
    {
        var (field, staffId, gridId, _) = await FieldClientAsync();
        using var owned = field;
        var id = await DispatchedAsync(gridId);

        var held = await JsonAsync(await field.GetAsync("/api/v1/field/incidents"), HttpStatusCode.OK);
        Assert.Contains(held.EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);

        var accepted = await JsonAsync(await SendAsync(field, HttpMethod.Post, $"/api/v1/field/incidents/{id}/accept", new { fromStep = "Dispatched", note = "on my way" }, key: Guid.NewGuid().ToString()), HttpStatusCode.OK);
        Assert.Equal("Processed", accepted.GetProperty("step").GetString());
        Assert.Equal(["feedback"], accepted.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        var answered = await JsonAsync(await SendAsync(field, HttpMethod.Post, $"/api/v1/field/incidents/{id}/feedback",
            new { fromStep = "Processed", note = "cleared", photoLinks = new[] { "https://photos.example/a.jpg" } }), HttpStatusCode.OK);
        Assert.Equal("FeedbackGiven", answered.GetProperty("step").GetString());

        var read = await field.GetAsync($"/api/v1/field/incidents/{id}");
        var view = await JsonAsync(read, HttpStatusCode.OK);
        Assert.NotNull(read.Headers.ETag);
        var mine = view.GetProperty("timeline").EnumerateArray().Where(t => t.TryGetProperty("action", out var a) && a.GetString() is "accept" or "feedback").ToList();
        Assert.Equal(2, mine.Count);
        Assert.All(mine, t => Assert.Equal((staffId, "Staff"), (t.GetProperty("staffId").GetInt32(), t.GetProperty("actorKind").GetString())));
        Assert.Equal("https://photos.example/a.jpg", mine[1].GetProperty("photoLinks")[0].GetString());
    }

    [Fact]
    public async Task Accept_RetriedWithTheSameKey_AnswersTheOriginal_AndActsOnce()
    {
        var (field, _, gridId, _) = await FieldClientAsync();
        using var owned = field;
        var id = await DispatchedAsync(gridId);
        var key = Guid.NewGuid().ToString();
        var body = new { fromStep = "Dispatched", note = "taking it" };

        var first = await SendAsync(field, HttpMethod.Post, $"/api/v1/field/incidents/{id}/accept", body, key);
        var firstText = await first.Content.ReadAsStringAsync();
        var retry = await SendAsync(field, HttpMethod.Post, $"/api/v1/field/incidents/{id}/accept", body, key);
        var retryText = await retry.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode); // not 409: the step moved, but this is the same request
        Assert.Equal(firstText, retryText);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @Id AND LoopAction = 4", new { Id = id }));

        // The same key for another request: refused, names the header.
        var other = await SendAsync(field, HttpMethod.Post, $"/api/v1/field/incidents/{id}/accept", new { fromStep = "Dispatched", note = "different" }, key);
        var problem = await JsonAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }

    [Fact]
    public async Task Report_RetriedWithTheSameKey_StoresOneIncident()
    {
        var (field, staffId, gridId, keyId) = await FieldClientAsync();
        using var owned = field;
        var key = Guid.NewGuid().ToString();
        var title = "Field report " + Guid.NewGuid().ToString("N")[..8];
        var body = new { category = "sanitation", gridId, title };

        var first = await JsonAsync(await SendAsync(field, HttpMethod.Post, "/api/v1/field/incidents", body, key), HttpStatusCode.Created);
        var retry = await SendAsync(field, HttpMethod.Post, "/api/v1/field/incidents", body, key);

        var again = await JsonAsync(retry, HttpStatusCode.Created);
        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM Incident WHERE Title = @Title", new { Title = title }));
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM IdempotencyRecord WHERE Caller = @Caller AND StatusCode = 201",
            new { Caller = "ApiKey:" + keyId.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        // The report's timeline row names the staff member, as the later actions do.
        Assert.Equal(staffId, await ScalarAsync("SELECT StaffId FROM IncidentStepLog WHERE IncidentId = @Id AND ActorKind = 'Staff' AND LoopAction IS NULL",
            new { Id = first.GetProperty("id").GetInt64() }));
    }

    [Fact]
    public async Task Report_InAnotherGrid_400NamingGridId()
    {
        var (field, staffId, _, _) = await FieldClientAsync();
        using var owned = field;
        await using var c = await Db.OpenAsync();
        var otherGrid = await c.ExecuteScalarAsync<int>(
            "SELECT MIN(Id) FROM Grid WHERE Id NOT IN (SELECT GridId FROM StaffAssignment WHERE StaffId = @StaffId)", new { StaffId = staffId });

        var problem = await JsonAsync(await field.PostAsJsonAsync("/api/v1/field/incidents", new { category = "sanitation", gridId = otherGrid, title = "x" }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("gridId", out _));
    }

    [Fact]
    public async Task RevokedToken_401_KeyWithoutStaff_403()
    {
        var (field, staffId, _, keyId) = await FieldClientAsync();
        using var owned = field;
        Assert.True(await app.Services.GetRequiredService<StaffAccountService>().RevokeTokenAsync(Admin, staffId, keyId));

        Assert.Equal(HttpStatusCode.Unauthorized, (await field.GetAsync("/api/v1/field/incidents")).StatusCode);

        var (_, plain) = await app.Services.GetRequiredService<Data.Security.ApiKeyService>().CreateAsync(Admin, "field scope, no staff", [Scopes.Field], null);
        using var noStaff = app.CreateApiClient(plain);
        var refused = await noStaff.GetAsync("/api/v1/field/incidents");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IncidentActions_RetriedWithTheSameKey_AnswerTheOriginal()
    {
        using var ops = app.CreateApiClient();
        var created = await ops.PostAsJsonAsync("/api/v1/incidents", new
        {
            category = "sanitation", gridId = await ScalarAsync("SELECT MIN(Id) FROM Grid", new { }), source = "Hotline", reporterName = "Zhao", title = "Idem " + Guid.NewGuid().ToString("N")[..8],
        });
        var id = (await JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var key = Guid.NewGuid().ToString();

        var first = await SendAsync(ops, HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify", new { fromStep = "Reported" }, key, "\"1\"");
        var retry = await SendAsync(ops, HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify", new { fromStep = "Reported" }, key, "\"1\"");
        var fresh = await SendAsync(ops, HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify", new { fromStep = "Reported" }, Guid.NewGuid().ToString(), "\"1\"");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.PreconditionFailed, fresh.StatusCode); // a new key is a new request: the version moved
        Assert.Equal(1, await ScalarAsync("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @Id AND LoopAction = 1", new { Id = id }));
    }
}
