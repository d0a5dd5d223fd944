using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>
/// Start-up survives any data that the API accepted: every kind of odd-but-valid input is posted, then the real app
/// is killed (SIGKILL) and started again, then stopped gracefully (SIGTERM) and started again; each time it must
/// come up, and its board must equal the one before.
/// </summary>
public sealed class AcceptedDataRestartTests : IAsyncLifetime
{
    private const string DemoKey = "demo-key-change-me";
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-accepted").FullName;
    private readonly int _port = FreePort();
    private AppProcess? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _app?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file still flushing: the temp folder is the OS's to clean.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restart_AfterOddButValidInput_StartsAndShowsTheSameBoard()
    {
        _app = await AppProcess.StartAsync(_folder, _port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        var now = DateTimeOffset.UtcNow;
        string At(TimeSpan ago) => (now - ago).ToString("O");

        // Two readings of one point at one instant (the defect's own request), the same instant in another offset,
        // the extremes of the range, an old one, and a batch repeated whole.
        var dup = await Post("/api/v1/readings", new { readings = new object[] { new { sensorId = "WL-01", depthCm = 1 }, new { sensorId = "WL-01", depthCm = 2 } } });
        var dupBody = await dup.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, dupBody.GetProperty("accepted").GetInt32());
        Assert.Equal("duplicate", dupBody.GetProperty("results")[1].GetString());
        var instant = now.AddMinutes(-3);
        var batch = new
        {
            readings = new object[]
            {
                new { sensorId = "WL-02", depthCm = 0, measuredAt = instant.ToString("O") },
                new { sensorId = "wl-02", depthCm = 500, measuredAt = instant.ToOffset(TimeSpan.FromHours(8)).ToString("O") },
                new { sensorId = "WL-03", depthCm = 499.99, measuredAt = At(TimeSpan.FromDays(29.9)) },
                new { sensorId = "WL-04", depthCm = 12.345678, measuredAt = now.AddMinutes(4).ToString("O") },
            },
        };
        await Post("/api/v1/readings", batch);
        var again = await (await Post("/api/v1/readings", batch)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());

        // Incidents: a retry with the same external id, one reported a month ago, one far in the past of its deadline.
        var incident = new { category = "fire", gridId = 1, source = "Hotline", reporterName = "12345", title = "Smoke", externalId = "x-1" };
        await Post("/api/v1/incidents", incident);
        await Post("/api/v1/incidents", incident);
        await Post("/api/v1/incidents", new { category = "noise", gridId = 3, source = "Resident", reporterName = "r", title = "老", reportedAt = At(TimeSpan.FromDays(29.9)) });
        var moved = await (await Post("/api/v1/incidents", new { category = "sanitation", gridId = 2, source = "GridPatrol", reporterName = "m", title = "bin" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        // Along the loop to the close (each action with the version it saw), then one action too many: 409, nothing changes.
        var movedId = moved.GetProperty("id").GetInt64();
        var version = 1;
        foreach (var (action, body) in new (string, object)[]
        {
            ("verify", new { fromStep = "Reported" }),
            ("dispatch", new { fromStep = "Verified" }),
            ("accept", new { fromStep = "Dispatched" }),
            ("feedback", new { fromStep = "Processed", note = "done" }),
            ("check", new { fromStep = "FeedbackGiven", result = "pass", satisfaction = 5 }),
            ("verify", new { fromStep = "Closed" }),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{movedId}/actions/{action}") { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            var answer = await http.SendAsync(request);
            if (version < 6) Assert.True(answer.IsSuccessStatusCode, $"{action}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            else Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            version++;
        }

        // Cameras: offline twice, online with an older instant, an alert with the same external id twice, a late alert.
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0001", kind = "camera_offline" });
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0001", kind = "camera_offline" });
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0001", kind = "camera_online", occurredAt = At(TimeSpan.FromHours(2)) });
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0002", kind = "crowd", confidence = 0, externalId = "a-1" });
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0002", kind = "crowd", confidence = 0, externalId = "a-1" });
        await Post("/api/v1/camera-alerts", new { cameraId = "CAM-0003", kind = "fire_smoke", confidence = 1, occurredAt = At(TimeSpan.FromDays(29)) });

        // Coverage: the same patrol and the same visit twice, a visit from last month.
        for (var i = 0; i < 2; i++)
        {
            await Post("/api/v1/patrols", new { staffId = 1, gridId = 1, checkedInAt = At(TimeSpan.FromMinutes(1)) });
            await Post("/api/v1/visits", new { staffId = 1, householdId = 1, visitedAt = At(TimeSpan.FromMinutes(1)) });
        }

        await Post("/api/v1/visits", new { staffId = 1, householdId = 2, visitedAt = At(TimeSpan.FromDays(29)) });
        var before = await Board(http);

        _app.Dispose(); // SIGKILL
        _app = await AppProcess.StartAsync(_folder, _port);
        Assert.Equal(before, await Board(http));

        await _app.StopGracefullyAsync();
        Assert.Equal(0, _app.ExitCode);
        _app = await AppProcess.StartAsync(_folder, _port);
        Assert.Equal(before, await Board(http));

        async Task<HttpResponseMessage> Post(string path, object body)
        {
            var response = await http.PostAsJsonAsync(path, body);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response;
        }
    }

    /// <summary>The board's figures that must survive a restart (not its version, which starts again).</summary>
    private static async Task<string> Board(HttpClient http)
    {
        var s = await http.GetFromJsonAsync<JsonElement>("/api/v1/snapshot");
        var water = string.Join(";", s.GetProperty("waterPoints").EnumerateArray()
            .Select(w => $"{w.GetProperty("code").GetString()}={(w.TryGetProperty("depthCm", out var d) ? d.GetDouble() : double.NaN)}"));
        var cams = s.GetProperty("cameraMarks").EnumerateArray().Count(c => c.GetProperty("online").GetBoolean());
        // How late an overdue incident is grows with the clock; everything else must be the same after a restart.
        var incidents = System.Text.RegularExpressions.Regex.Replace(s.GetProperty("incidents").GetRawText(), "\"lateMinutes\":\\d+", "\"lateMinutes\":_");
        return string.Join(" | ", incidents, s.GetProperty("coverage").GetRawText(),
            s.GetProperty("cameras").GetRawText(), water, cams,
            string.Join(",", s.GetProperty("recentAlerts").EnumerateArray().Select(a => a.GetProperty("id").GetInt64())));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
