using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>
/// The device registry over HTTP: register, edit, retire, import, history — answers by field, the board and ingestion
/// following each change at once. Codes are this class's own (DEVAPI-*), so other tests' counts of the demo street's
/// own devices are untouched.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DevicesApiTests(CommandCenterFactory app)
{
    private LiveSnapshot Board => app.Services.GetRequiredService<ILiveBoard>().GetSnapshot();

    private async Task<HttpClient> ClientAsync(params string[] scopes)
    {
        var key = await Callers.CreateKeyAsync(app.Services.GetRequiredService<ApiKeyService>(), "devices " + Guid.NewGuid().ToString("N")[..6], scopes);
        return app.CreateApiClient(key);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private object Point(string code, double warning = 15, double alarm = 30) => new
    {
        code, name = "Underpass " + code, nameZh = "下穿" + code, gridId = Board.Grids[0].Id, lon = 117.5, lat = 34.8,
        warningDepthCm = warning, alarmDepthCm = alarm, hysteresisCm = 2, pendingSeconds = 60, expectedIntervalSeconds = 300,
    };

    [Fact]
    public async Task WaterPoint_RegisterEditRetire_BoardAndIngestionFollowAtOnce()
    {
        using var client = await ClientAsync(Scopes.DevicesWrite, Scopes.ReadingsWrite);

        var created = await JsonAsync(await client.PostAsJsonAsync("/api/v1/water-points", Point("DEVAPI-WL1")), HttpStatusCode.Created);
        Assert.Equal("下穿DEVAPI-WL1", created.GetProperty("nameZh").GetString());
        Assert.Contains(Board.WaterPoints, w => w.Code == "DEVAPI-WL1");

        var reading = await client.PostAsJsonAsync("/api/v1/readings", new { readings = new[] { new { sensorId = "DEVAPI-WL1", depthCm = 5.0 } } });
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);

        var edited = await JsonAsync(await client.PutAsJsonAsync("/api/v1/water-points/devapi-wl1", Point("DEVAPI-WL1", 20, 40)), HttpStatusCode.OK);
        Assert.Equal(40, edited.GetProperty("alarmDepthCm").GetDouble());
        Assert.Equal(40, Board.WaterPoints.Single(w => w.Code == "DEVAPI-WL1").AlarmCm);

        await JsonAsync(await client.PostAsync("/api/v1/water-points/DEVAPI-WL1/retire", null), HttpStatusCode.OK);
        Assert.DoesNotContain(Board.WaterPoints, w => w.Code == "DEVAPI-WL1");
        var refused = await JsonAsync(await client.PostAsJsonAsync("/api/v1/readings", new { readings = new[] { new { sensorId = "DEVAPI-WL1", depthCm = 6.0 } } }), HttpStatusCode.BadRequest);
        Assert.Contains("retired", refused.GetProperty("errors").GetProperty("readings[0].sensorId")[0].GetString(), StringComparison.Ordinal);
        await JsonAsync(await client.PostAsync("/api/v1/water-points/DEVAPI-WL1/retire", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Register_BadInput_NamesTheField_TakenCodeIs409_UnknownCodeIs404()
    {
        using var client = await ClientAsync(Scopes.DevicesWrite);

        var bad = await JsonAsync(await client.PostAsJsonAsync("/api/v1/water-points", Point("DEVAPI-WL2", 30, 20)), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("alarmDepthCm", out _), bad.ToString());
        var taken = Board.WaterPoints[0].Code;
        await JsonAsync(await client.PostAsJsonAsync("/api/v1/water-points", Point(taken)), HttpStatusCode.Conflict);
        await JsonAsync(await client.GetAsync("/api/v1/cameras/NO-SUCH"), HttpStatusCode.NotFound);
        await JsonAsync(await client.PutAsJsonAsync("/api/v1/water-points/NO-SUCH", Point("NO-SUCH")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ImportCameras_Csv_ReportsRefusedRowsAndKeepsTheGoodOnes_OnTheWallInChinese()
    {
        using var client = await ClientAsync(Scopes.DevicesWrite);
        var grid = Board.Grids[0].Id;
        var csv = $"\uFEFFcode,name,nameZh,gridId,lon,lat\nDEVAPI-CAM1,North gate,北门,{grid},117.5,34.8\nDEVAPI-CAM2,,南门,{grid},117.5,34.8\n";

        var report = await JsonAsync(await client.PostAsync("/api/v1/cameras/import", new StringContent(csv, Encoding.UTF8, "text/csv")), HttpStatusCode.OK);

        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("name", error.GetProperty("field").GetString());
        Assert.Contains(Board.CameraMarks, c => c.Code == "DEVAPI-CAM1" && c.Name == "北门");
        var json = await JsonAsync(await client.PostAsync("/api/v1/cameras/import", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType);
        Assert.NotEqual(JsonValueKind.Undefined, json.ValueKind);
    }

    [Fact]
    public async Task Readings_ValidatesTheRange_AndServesRawRows()
    {
        using var client = await ClientAsync(Scopes.DevicesWrite);
        var code = Board.WaterPoints[0].Code;

        var tooLong = await JsonAsync(await client.GetAsync($"/api/v1/water-points/{code}/readings?resolution=raw&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"), HttpStatusCode.BadRequest);
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("from", out _));
        var badResolution = await JsonAsync(await client.GetAsync($"/api/v1/water-points/{code}/readings?resolution=second"), HttpStatusCode.BadRequest);
        Assert.True(badResolution.GetProperty("errors").TryGetProperty("resolution", out _));
        await JsonAsync(await client.GetAsync("/api/v1/water-points/NO-SUCH/readings"), HttpStatusCode.NotFound);

        var series = await JsonAsync(await client.GetAsync($"/api/v1/water-points/{code}/readings?resolution=raw"), HttpStatusCode.OK);
        Assert.Equal("raw", series.GetProperty("resolution").GetString());
        Assert.Equal(JsonValueKind.Array, series.GetProperty("points").ValueKind);
    }
}
