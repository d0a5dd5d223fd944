using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>Bad input gets a 4xx ProblemDetails that says what is wrong — never a 500 — and nothing is written.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiErrorTests(CommandCenterFactory app)
{
    public static TheoryData<string, string, string> Malformed => new()
    {
        { "/api/v1/incidents", "{\"category\": \"sanitation\", \"gridId\": ", "$.gridId" },
        { "/api/v1/incidents", "{\"gridId\": \"twelve\"}", "$.gridId" },
        { "/api/v1/incidents", "[1, 2]", "$" },
        { "/api/v1/readings", "{\"readings\": [{\"sensorId\": \"WL-01\", \"depthCm\": \"deep\"}]}", "$.readings[0].depthCm" },
        { "/api/v1/readings", "{\"readings\": {}}", "$.readings" },
        { "/api/v1/camera-alerts", "{\"cameraId\": 5, \"kind\": true}", "$.cameraId" },
        { "/api/v1/patrols", "{\"staffId\": 1.5}", "$.staffId" },
        { "/api/v1/visits", "{\"visitedAt\": \"yesterday\"}", "$.visitedAt" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Post_MalformedJson_Is400ProblemNamingThePath(string path, string body, string jsonPath)
    {
        using var client = app.CreateApiClient();

        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(jsonPath, out _), $"errors should name {jsonPath}: {problem}");
    }

    public static TheoryData<string, object, string> Invalid => new()
    {
        { "/api/v1/incidents", new { category = "sanitation", gridId = 99999, source = "Resident", reporterName = "x", title = "y" }, "gridId" },
        { "/api/v1/incidents", new { gridId = 1 }, "category" },
        { "/api/v1/readings", new { readings = new[] { new { sensorId = "NOPE", depthCm = 1 } } }, "readings[0].sensorId" },
        { "/api/v1/readings", new { }, "readings" },
        { "/api/v1/camera-alerts", new { cameraId = "CAM-99999", kind = "crowd" }, "cameraId" },
        { "/api/v1/patrols", new { staffId = 999999, gridId = 1 }, "staffId" },
        { "/api/v1/visits", new { staffId = 1, householdId = 99999999 }, "householdId" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Post_InvalidOrUnknownIds_Is400ProblemNamingTheField(string path, object body, string field)
    {
        using var client = app.CreateApiClient();

        var response = await client.PostAsJsonAsync(path, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
    }

    [Fact]
    public async Task Post_EmptyBodyAndWrongContentType_Are4xxProblems()
    {
        using var client = app.CreateApiClient();

        var empty = await client.PostAsync("/api/v1/incidents", new StringContent("", Encoding.UTF8, "application/json"));
        var text = await client.PostAsync("/api/v1/incidents", new StringContent("hello", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(empty, HttpStatusCode.BadRequest);
        await AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Post_WithoutValidKey_Is401Problem(string? key)
    {
        using var client = app.CreateApiClient(key);

        var response = await client.PostAsJsonAsync("/api/v1/incidents", new { category = "noise" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Snapshot_WithoutKey_Is401()
    {
        using var client = app.CreateApiClient(null);

        var response = await client.GetAsync("/api/v1/snapshot");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Hub_WithoutKey_IsRefused()
    {
        var server = app.Server;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/live"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            })
            .Build();

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
