using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommandCenter.EndToEnd.Tests;

/// <summary>
/// Whatever ingestion acknowledged survives kill -9: HTTP clients post bursts of readings while an MQTT publisher
/// sends readings through mosquitto; the app is killed (SIGKILL) mid-burst and started again. Every reading answered
/// 2xx must be stored, and every reading published over MQTT (QoS 1) must end up stored exactly once — those the app
/// had acknowledged (PUBACK after commit) from before the kill, the others redelivered by the broker after it.
/// </summary>
public sealed class IngestionKillTests : IAsyncLifetime
{
    private const string DemoKey = "demo-key-change-me";
    private static readonly string? Mosquitto = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists);
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-ingest-kill").FullName;
    private readonly int _port = FreePort();
    private readonly int _brokerPort = FreePort();
    private AppProcess? _app;
    private Process? _broker;

    public async Task InitializeAsync()
    {
        if (Mosquitto is null) return;
        var conf = Path.Combine(_folder, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"listener {_brokerPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nlog_dest none\n");
        _broker = Process.Start(new ProcessStartInfo(Mosquitto, ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
    }

    public Task DisposeAsync()
    {
        _app?.Dispose();
        if (_broker is { HasExited: false })
        {
            _broker.Kill();
            _broker.WaitForExit(10_000);
        }

        _broker?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private string[] MqttArgs => Mosquitto is null ? [] : ["--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={_brokerPort}", "--Mqtt:ClientId=cc-kill-test", "--Mqtt:ReconnectMaxSeconds=2"];

    [Fact]
    public async Task KillDuringABurst_EveryAcknowledgedReadingIsStored()
    {
        _app = await AppProcess.StartAsync(_folder, _port, MqttArgs);
        var acknowledged = new ConcurrentBag<(string Point, DateTimeOffset At)>();
        var published = new ConcurrentBag<(string Point, DateTimeOffset At)>();
        var from = DateTimeOffset.UtcNow.AddHours(-2);
        using var stop = new CancellationTokenSource();
        var posted = 0;

        async Task HttpClientLoop(int client)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
            var point = $"WL-{client + 1:D2}";
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var readings = Enumerable.Range(0, 100).Select(i => (Point: point, At: from.AddMilliseconds((batch * 100) + i + 1))).ToList();
                var body = new StringBuilder("{\"readings\":[");
                body.AppendJoin(',', readings.Select(r => string.Create(CultureInfo.InvariantCulture, $"{{\"sensorId\":\"{r.Point}\",\"depthCm\":5,\"measuredAt\":\"{r.At:O}\"}}")));
                body.Append("]}");
                try
                {
                    using var response = await http.PostAsync("/api/v1/readings", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
                    if (response.IsSuccessStatusCode)
                    {
                        foreach (var r in readings) acknowledged.Add(r);
                        Interlocked.Add(ref posted, readings.Count);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return; // the app is gone
                }
            }
        }

        async Task MqttPublishLoop()
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _brokerPort).WithClientId("kill-pub").Build());
            for (var m = 0; !stop.IsCancellationRequested || m < 200; m++)
            {
                var readings = Enumerable.Range(0, 10).Select(i => (Point: "WL-08", At: from.AddMilliseconds((m * 10) + i + 1))).ToList();
                var payload = "[" + string.Join(',', readings.Select(r => string.Create(CultureInfo.InvariantCulture, $"{{\"depthCm\":7,\"measuredAt\":\"{r.At:O}\"}}"))) + "]";
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("commandcenter/readings/WL-08").WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                foreach (var r in readings) published.Add(r);
                if (m >= 2000) break;
            }

            await client.DisconnectAsync();
        }

        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(() => HttpClientLoop(c))).ToList();
        var mqtt = Mosquitto is null ? Task.CompletedTask : Task.Run(MqttPublishLoop);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref posted) < 3000 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Volatile.Read(ref posted) >= 3000, "the burst should get going before the kill");

        _app.Dispose(); // SIGKILL mid-burst
        _app = null;
        stop.Cancel();
        await Task.WhenAll(clients);
        await mqtt;

        _app = await AppProcess.StartAsync(_folder, _port, MqttArgs);
        var acked = acknowledged.ToHashSet();
        Assert.Equal(acked.Count, await CountStoredAsync(acked));

        if (Mosquitto is not null)
        {
            var sent = published.ToHashSet();
            var wait = DateTime.UtcNow.AddSeconds(90);
            long stored;
            while ((stored = await CountStoredAsync(sent)) < sent.Count && DateTime.UtcNow < wait) await Task.Delay(200);
            Assert.Equal(sent.Count, stored);
        }

        await using var c = await OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM (SELECT 1 FROM SensorReading GROUP BY WaterPointId, MeasuredAt HAVING COUNT(*) > 1)";
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(_folder, "cc.db")};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        return c;
    }

    /// <summary>How many of <paramref name="readings"/> are rows (instants as the app stores them: fixed-width UTC text).</summary>
    private async Task<long> CountStoredAsync(HashSet<(string Point, DateTimeOffset At)> readings)
    {
        await using var c = await OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT w.Code, r.MeasuredAt FROM SensorReading r JOIN WaterPoint w ON w.Id = r.WaterPointId WHERE r.MeasuredAt >= $from";
        cmd.Parameters.AddWithValue("$from", readings.Count == 0 ? "9" : readings.Min(r => r.At).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        var stored = new HashSet<(string, DateTimeOffset)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            stored.Add((r.GetString(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        }

        return readings.Count(stored.Contains);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
