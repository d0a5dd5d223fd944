using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>The alarm endpoints over the real app: one-step, idempotent actions and lists that name a bad filter.</summary>
[Collection(AppCollection.Name)]
public sealed class AlarmsApiTests(CommandCenterFactory app)
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        CommandCenterHosting.ConfigureJson(o);
        return o;
    }

    private async Task<long> RaiseAsync(string kind)
    {
        var camera = app.Services.GetRequiredService<ILiveBoard>().GetSnapshot().CameraMarks.First();
        using var client = app.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/camera-alerts", new { cameraId = camera.Code, kind, confidence = 0.6, occurredAt = DateTimeOffset.UtcNow.AddSeconds(-5) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task AcknowledgeTwice_Answers200WithTheSameState_ThenDismiss_AndTheListShowsIt()
    {
        var callers = await Callers.ForAsync(app);
        var id = await RaiseAsync("intrusion");

        var first = await callers.SendAsync(Caller.Operator, null, HttpMethod.Post, $"/api/v1/camera-alerts/{id}/acknowledge");
        var second = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, $"/api/v1/camera-alerts/{id}/acknowledge");
        var viewer = await callers.SendAsync(Caller.Viewer, null, HttpMethod.Post, $"/api/v1/camera-alerts/{id}/acknowledge");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<CameraAlertView>(Json);
        var b = await second.Content.ReadFromJsonAsync<CameraAlertView>(Json);
        Assert.Equal("Acknowledged", a!.Status);
        Assert.Equal(a.AcknowledgedAt, b!.AcknowledgedAt);
        Assert.NotNull(a.SecondsToAcknowledge);

        var dismissed = await callers.SendAsync(Caller.Operator, null, HttpMethod.Post, $"/api/v1/camera-alerts/{id}/dismiss");
        Assert.Equal("Dismissed", (await dismissed.Content.ReadFromJsonAsync<CameraAlertView>(Json))!.Status);
        var list = await callers.SendAsync(Caller.Viewer, null, HttpMethod.Get, "/api/v1/camera-alerts?status=Dismissed&kind=intrusion");
        Assert.Contains((await list.Content.ReadFromJsonAsync<List<CameraAlertView>>(Json))!, x => x.Id == id);
    }

    [Fact]
    public async Task UnknownIds_Are404_AndABadFilterIs400NamingIt()
    {
        var callers = await Callers.ForAsync(app);

        var alert = await callers.SendAsync(Caller.Operator, null, HttpMethod.Post, "/api/v1/camera-alerts/999999999/dismiss");
        var water = await callers.SendAsync(Caller.Operator, null, HttpMethod.Post, "/api/v1/water-alarms/999999999/acknowledge");
        var bad = await callers.SendAsync(Caller.Viewer, null, HttpMethod.Get, "/api/v1/camera-alerts?status=Burning&limit=0");
        var open = await callers.SendAsync(Caller.Viewer, null, HttpMethod.Get, "/api/v1/water-alarms?open=true");

        Assert.Equal(HttpStatusCode.NotFound, alert.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, water.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _) && errors.TryGetProperty("limit", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }
}
