using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Tests.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>
/// The answers of the API to hostile or careless input: community scope on every write, idempotency keys per caller,
/// non-finite numbers, unbounded text, exact enum names, late camera statuses. Only refused writes touch shared state
/// here, or writes no other test of the collection counts on.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InputHardeningApiTests(CommandCenterFactory app)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        CommandCenterHosting.ConfigureJson(o);
        return o;
    }

    private LiveSnapshot Board => app.Services.GetRequiredService<ILiveBoard>().GetSnapshot();

    private async Task<HttpClient> ScopedClientAsync(string name, int communityId, params string[] scopes)
    {
        var key = await Callers.CreateKeyAsync(app.Services.GetRequiredService<ApiKeyService>(), name + " " + Guid.NewGuid().ToString("N")[..6], scopes, communityId);
        return app.CreateApiClient(key);
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private static void AssertNames(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");

    // ---- 2. a community-scoped key redraws nothing outside its community, nor the street ----

    [Fact]
    public async Task GridImport_ScopedKey_ForeignGridIsUnknownAndAWorldSizedPolygonIsRefused()
    {
        using var client = await ScopedClientAsync("community 1 GIS", 1, Scopes.GridsWrite);
        var before = Board;
        var foreignGrid = before.Grids.First(g => g.CommunityId == 2).Id;
        var ownGrid = before.Grids.First(g => g.CommunityId == 1).Id;
        const string world = "[[[-179,-89],[179,-89],[179,89],[-179,89],[-179,-89]]]";

        var foreign = await client.PostAsync("/api/v1/grids/boundaries", JsonBody(Collection(foreignGrid, world)));
        var own = await client.PostAsync("/api/v1/grids/boundaries", JsonBody(Collection(ownGrid, world)));

        AssertNames(await ProblemAsync(foreign, HttpStatusCode.BadRequest), "features[0].properties.gridId");
        AssertNames(await ProblemAsync(own, HttpStatusCode.BadRequest), "features[0].geometry");
        Assert.Equal(before.Street.Bounds, Board.Street.Bounds);
        Assert.Equal(before.Grids.Single(g => g.Id == foreignGrid).Polygon.Count, Board.Grids.Single(g => g.Id == foreignGrid).Polygon.Count);

        static string Collection(int gridId, string coordinates) =>
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"gridId\":" + gridId +
            "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + coordinates + "}}]}";
    }

    [Fact]
    public async Task Patrol_ScopedKey_StaffOfAnotherCommunityIsNotAKnownStaffMember()
    {
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        const string onlyIn = "SELECT s.Id FROM Staff s WHERE s.Active = 1 AND EXISTS (SELECT 1 FROM StaffAssignment a JOIN Grid g ON g.Id = a.GridId WHERE a.StaffId = s.Id AND g.CommunityId = @Community) " +
                              "AND NOT EXISTS (SELECT 1 FROM StaffAssignment a JOIN Grid g ON g.Id = a.GridId WHERE a.StaffId = s.Id AND g.CommunityId <> @Community) LIMIT 1";
        var southStaff = await c.ExecuteScalarAsync<long>(onlyIn, new { Community = 2 });
        var northStaff = await c.ExecuteScalarAsync<long>(onlyIn, new { Community = 1 });
        var household = await c.ExecuteScalarAsync<long>("SELECT h.Id FROM Household h JOIN Grid g ON g.Id = h.GridId WHERE g.CommunityId = 1 LIMIT 1");
        var northGrid = Board.Grids.First(g => g.CommunityId == 1).Id;
        using var client = await ScopedClientAsync("community 1 field app", 1, Scopes.PatrolsWrite, Scopes.VisitsWrite);

        var patrol = await client.PostAsJsonAsync("/api/v1/patrols", new { staffId = southStaff, gridId = northGrid });
        var visit = await client.PostAsJsonAsync("/api/v1/visits", new { staffId = southStaff, householdId = household });
        var own = await client.PostAsJsonAsync("/api/v1/patrols", new { staffId = northStaff, gridId = northGrid });

        var problem = await ProblemAsync(patrol, HttpStatusCode.BadRequest);
        AssertNames(problem, "staffId");
        Assert.Contains("not a known staff member", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNames(await ProblemAsync(visit, HttpStatusCode.BadRequest), "staffId");
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    // ---- 6. external ids per caller ----

    [Fact]
    public async Task ReportIncident_AnotherCommunitysExternalId_StoresOwnIncident_AndADifferentReplayIs409()
    {
        using var south = await ScopedClientAsync("community 2 hotline", 2, Scopes.IncidentsWrite);
        using var north = await ScopedClientAsync("community 1 hotline", 1, Scopes.IncidentsWrite, Scopes.IncidentsRead);
        var externalId = "shared-" + Guid.NewGuid().ToString("N");
        var southGrid = Board.Grids.First(g => g.CommunityId == 2).Id;
        var northGrid = Board.Grids.First(g => g.CommunityId == 1).Id;

        var theirs = await south.PostAsJsonAsync("/api/v1/incidents", Incident(southGrid, "South: blocked fire exit", externalId));
        var mine = await north.PostAsJsonAsync("/api/v1/incidents", Incident(northGrid, "North: overflowing bin", externalId));
        var replay = await north.PostAsJsonAsync("/api/v1/incidents", Incident(northGrid, "North: overflowing bin", externalId));
        var reused = await north.PostAsJsonAsync("/api/v1/incidents", Incident(northGrid, "North: something else", externalId));

        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        var theirBody = await theirs.Content.ReadFromJsonAsync<JsonElement>();
        var myBody = await mine.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(myBody.GetProperty("duplicate").GetBoolean());
        Assert.NotEqual(theirBody.GetProperty("id").GetInt64(), myBody.GetProperty("id").GetInt64());
        Assert.NotEqual(theirBody.GetProperty("number").GetString(), myBody.GetProperty("number").GetString());
        var stored = await north.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{myBody.GetProperty("id").GetInt64()}");
        Assert.Equal("North: overflowing bin", stored.GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var replayBody = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(replayBody.GetProperty("duplicate").GetBoolean());
        Assert.Equal(myBody.GetProperty("id").GetInt64(), replayBody.GetProperty("id").GetInt64());

        var conflict = await ProblemAsync(reused, HttpStatusCode.Conflict);
        AssertNames(conflict, "externalId");
        Assert.Contains("different incident", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(409, conflict.GetProperty("status").GetInt32());
    }

    // ---- 7. unbounded text ----

    [Fact]
    public async Task Advance_MillionCharacterNote_Is400NamingNoteAndNothingIsStored()
    {
        using var client = app.CreateApiClient();
        var grid = Board.Grids[0].Id;
        var created = await client.PostAsJsonAsync("/api/v1/incidents", Incident(grid, "Note length check", null));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify")
        {
            Content = JsonContent.Create(new { fromStep = "Reported", note = new string('n', 1_000_000) }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var huge = await client.SendAsync(request);

        AssertNames(await ProblemAsync(huge, HttpStatusCode.BadRequest), "note");
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("Reported", detail.GetProperty("step").GetString());
        Assert.Equal(1, detail.GetProperty("timeline").GetArrayLength());
        var audit = await app.Services.GetRequiredService<AuditLog>().ListAsync(new AuditFilter(Action: "incident.verify", Top: 2000));
        Assert.DoesNotContain(audit, e => e.EntityId == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // ---- 11. non-finite numbers; 15. exact names ----

    public static TheoryData<string, string, string> NotFinite => new()
    {
        { "/api/v1/incidents", """{"category":"noise","gridId":{GRID},"source":"Resident","reporterName":"r","title":"t","lon":"NaN","lat":34.8}""", "lon" },
        { "/api/v1/incidents", """{"category":"noise","gridId":{GRID},"source":"Resident","reporterName":"r","title":"t","lon":117.5,"lat":"-Infinity"}""", "lat" },
        { "/api/v1/patrols", """{"staffId":{STAFF},"gridId":{STAFFGRID},"lon":"NaN","lat":34.8}""", "lon" },
        { "/api/v1/readings", """{"readings":[{"sensorId":"{SENSOR}","depthCm":"NaN"}]}""", "readings[0].depthCm" },
        { "/api/v1/readings", """{"readings":[{"sensorId":"{SENSOR}","depthCm":"Infinity"}]}""", "readings[0].depthCm" },
        { "/api/v1/camera-alerts", """{"cameraId":"{CAMERA}","kind":"crowd","confidence":"NaN"}""", "confidence" },
        { "/api/v1/incidents", """{"category":"noise","gridId":{GRID},"source":"Resident,GridPatrol","reporterName":"r","title":"t"}""", "source" },
        { "/api/v1/incidents", """{"category":"noise","gridId":{GRID},"source":"3","reporterName":"r","title":"t"}""", "source" },
        { "/api/v1/incidents", """{"category":"noise","gridId":{GRID},"source":"Resident","reporterName":"r","title":"\u200B\u200E\u202E"}""", "title" },
    };

    [Theory]
    [MemberData(nameof(NotFinite))]
    public async Task Post_NonFiniteNumberOrInexactName_Is400NamingTheField(string path, string template, string field)
    {
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        var staff = await c.QueryFirstAsync<(long Staff, long Grid)>("SELECT a.StaffId, a.GridId FROM StaffAssignment a JOIN Staff s ON s.Id = a.StaffId WHERE s.Active = 1");
        var body = template.Replace("{GRID}", Board.Grids[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{STAFF}", staff.Staff.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{STAFFGRID}", staff.Grid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{SENSOR}", Board.WaterPoints[0].Code, StringComparison.Ordinal)
            .Replace("{CAMERA}", Board.CameraMarks[0].Code, StringComparison.Ordinal);
        using var client = app.CreateApiClient();

        var response = await client.PostAsync(path, JsonBody(body));

        AssertNames(await ProblemAsync(response, HttpStatusCode.BadRequest), field);
    }

    // ---- 13. a late camera status changes nothing ----

    [Fact]
    public async Task CameraStatus_OfflineDatedTwentyDaysAgoAfterOnlineNow_LeavesTheCameraOnline()
    {
        var camera = Board.CameraMarks.Last(m => m.Online);
        using var client = app.CreateApiClient();
        var now = DateTimeOffset.UtcNow;

        var online = await client.PostAsJsonAsync("/api/v1/camera-alerts", new { cameraId = camera.Code, kind = "camera_online", occurredAt = now });
        var late = await client.PostAsJsonAsync("/api/v1/camera-alerts", new { cameraId = camera.Code, kind = "camera_offline", occurredAt = now.AddDays(-20) });

        Assert.Equal(HttpStatusCode.Created, online.StatusCode);
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        var snapshot = await client.GetFromJsonAsync<LiveSnapshot>("/api/v1/snapshot", Json);
        Assert.True(snapshot!.CameraMarks.Single(m => m.Id == camera.Id).Online, "the board turned the camera offline");
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        Assert.True(await c.ExecuteScalarAsync<bool>("SELECT IsOnline FROM Camera WHERE Id = @Id", new { camera.Id }), "the database turned the camera offline");
    }

    private static object Incident(int gridId, string title, string? externalId) =>
        new { category = "sanitation", gridId, source = "Hotline", reporterName = "Caller", title, externalId };
}
