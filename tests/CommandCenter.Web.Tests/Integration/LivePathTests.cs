using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class LivePathTests(CommandCenterFactory app)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        CommandCenterHosting.ConfigureJson(o);
        return o;
    }

    [Fact]
    public async Task PostIncident_WithApiKey_HubDeliversTheChangeAndSnapshotCountRises()
    {
        using var client = app.CreateApiClient();
        var before = await client.GetFromJsonAsync<LiveSnapshot>("/api/v1/snapshot", Json);
        await using var hub = await ConnectHubAsync();
        var changes = Channel.CreateUnbounded<LiveBatch>();
        hub.On<LiveBatch>("Changed", c => changes.Writer.TryWrite(c));
        var grid = before!.Grids[0].Id;

        var response = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            category = "sanitation", gridId = grid, source = "GridPatrol", reporterName = "Test member", title = "Bin overflowing at gate 3",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetInt64();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        LiveBatch change;
        do
        {
            change = await changes.Reader.ReadAsync(timeout.Token);
        }
        while (!change.Incidents.Any(i => i.Id == id));

        Assert.Equal(grid, change.Incidents.Single(i => i.Id == id).GridId);
        Assert.NotNull(change.IncidentStats);
        Assert.True(change.ToVersion >= change.FromVersion);
        var after = await client.GetFromJsonAsync<LiveSnapshot>("/api/v1/snapshot", Json);
        Assert.True(after!.Version > before.Version);
        Assert.True(after.Incidents.ReportedToday > before.Incidents.ReportedToday);
        Assert.True(after.Incidents.Open > before.Incidents.Open);
        var hubSnapshot = await hub.InvokeAsync<LiveSnapshot>("GetSnapshot", timeout.Token);
        Assert.True(hubSnapshot.Version >= change.ToVersion);
    }

    [Fact]
    public async Task Snapshot_DemoStreet_HasTheLongshanScaleAndHistory()
    {
        using var client = app.CreateApiClient();

        var s = await client.GetFromJsonAsync<LiveSnapshot>("/api/v1/snapshot", Json);

        Assert.Equal(52, s!.Grids.Count);
        Assert.Equal(6, s.Street.Communities.Count);
        Assert.Equal(220, s.CameraMarks.Count);
        Assert.Equal(12, s.WaterPoints.Count);
        Assert.All(s.Grids, g => Assert.True(g.Polygon.Count >= 4));
        Assert.InRange(s.Coverage.Households, 12_500, 13_500);
        Assert.True(s.Incidents.Open > 0);
        Assert.True(s.RecentAlerts.Count > 0);
        Assert.All(s.WaterPoints, w => Assert.Contains(w.Trend, t => t is not null));
    }

    [Fact]
    public async Task PostReadings_Batch_MovesTheWaterPointOnTheBoard()
    {
        using var client = app.CreateApiClient();
        var board = app.Services.GetRequiredService<ILiveBoard>();
        var point = board.GetSnapshot().WaterPoints[0];

        // The level is raised once the depth held for the point's pending time (60 s by default): two readings a minute
        // apart, later than any other test's (up to 5 minutes ahead is accepted).
        var at = DateTimeOffset.UtcNow.AddMinutes(3);
        var response = await client.PostAsJsonAsync("/api/v1/readings", new
        {
            readings = new[]
            {
                new { sensorId = point.Code, depthCm = point.AlarmCm + 5, measuredAt = at },
                new { sensorId = point.Code, depthCm = point.AlarmCm + 5, measuredAt = at.AddSeconds(60) },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var now = board.GetSnapshot().WaterPoints.Single(w => w.Id == point.Id);
        Assert.Equal(point.AlarmCm + 5, now.DepthCm);
        Assert.Equal(CommandCenter.Domain.Model.WaterLevel.Alarm, now.Level);
    }

    [Fact]
    public async Task Health_ReadyAndLive_Answer200()
    {
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheIngestionEndpoints()
    {
        using var client = app.CreateClient();

        var doc = await client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/v1/incidents", "/api/v1/readings", "/api/v1/camera-alerts", "/api/v1/patrols", "/api/v1/visits", "/api/v1/snapshot" })
        {
            Assert.Contains($"\"{path}\"", doc);
        }
    }

    [Fact]
    public async Task WallScreen_Anonymous_IsSentToSignIn()
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<HubConnection> ConnectHubAsync()
    {
        var server = app.Server;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/live"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.Headers["X-Api-Key"] = CommandCenterFactory.ApiKey;
            })
            .AddJsonProtocol(o => CommandCenterHosting.ConfigureJson(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();
        return hub;
    }
}
