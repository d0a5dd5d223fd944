using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CommandCenter.Web.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// MQTT publish → /hubs/live client latency: Debian's mosquitto on a free port, the app on a copy of the seeded database
/// with Mqtt:Host set, --clients SignalR clients on /hubs/live, and one publisher (MQTTnet, QoS 1) sending single readings
/// round-robin over the water points at 1,000 per second (a Stopwatch schedule) for a 2 s warm-up and --seconds measured.
/// A reading has reached a client when a <c>Changed</c> batch holds its point with that reading or a newer one (the board
/// sends a point's latest state, so readings of one point within a batch window fold into one). Latency = from the
/// publish call to that batch arriving at the client, over all (reading × client) pairs; one Stopwatch clock.
/// </summary>
internal static class MqttHubBench
{
    private const int WarmupSeconds = 2;
    private const int Rate = 1000;
    private const int ConnectParallel = 16;
    private const double TargetP99Ms = 250;

    public static async Task RunAsync(Options options, Report report)
    {
        var mosquitto = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed (apt-get install mosquitto)");
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), Math.Max(minIo, 64));
        var folder = Directory.CreateTempSubdirectory("cc-bench-mqtthub-").FullName;
        Process? broker = null;
        var clients = new List<Client>();
        try
        {
            var template = await BenchDatabase.BuildTemplateAsync(options, folder, "mqtthub");
            List<(long Id, string Code)> points;
            using (var c = BenchDatabase.Open(template))
            {
                points = ReadingsBench.ReadPoints(c);
            }

            var port = FreePort();
            var conf = Path.Combine(folder, "mosquitto.conf");
            await File.WriteAllTextAsync(conf, I($"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n"));
            broker = Process.Start(new ProcessStartInfo(mosquitto, ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
            await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-mqtthub-app-", database: template,
                extraArgs: [.. BenchDatabase.RaisedRateLimits, "--Mqtt:Host=127.0.0.1", I($"--Mqtt:Port={port}"), "--Mqtt:ClientId=cc-bench-hub"]);
            await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
            var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            while (!app.Output.Any(l => l.Contains("MQTT: connected", StringComparison.Ordinal)))
            {
                if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException("The app did not connect to the broker:\n" + app.Tail(20));
                await Task.Delay(50);
            }

            Console.Error.WriteLine(I($"[mqtt-hub] connecting {options.HubClients} hub clients..."));
            using (var gate = new SemaphoreSlim(ConnectParallel))
            {
                var connecting = Enumerable.Range(0, options.HubClients).Select(async _ =>
                {
                    await gate.WaitAsync();
                    try { return await Client.ConnectAsync(app.BaseAddress); }
                    finally { gate.Release(); }
                }).ToList();
                try { await Task.WhenAll(connecting); }
                finally { clients.AddRange(connecting.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result)); }
            }

            var loadStart = Report.LoadAverage();
            using var mqtt = new MqttClientFactory().CreateMqttClient();
            await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-hub-pub").Build());
            var total = Rate * (WarmupSeconds + options.HubSeconds);
            var publishedAt = new long[total];
            var measuredAt = new DateTimeOffset[total];
            var acked = new bool[total];
            var pending = new List<Task>(total);
            var last = new DateTimeOffset[points.Count];
            var freq = Stopwatch.Frequency;
            Console.Error.WriteLine(I($"[mqtt-hub] publishing {Rate}/s single readings over {points.Count} points: {WarmupSeconds} s warm-up + {options.HubSeconds} s measured..."));
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < total; i++)
            {
                var due = start + (i * freq / Rate);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > freq / 1000) await Task.Delay(TimeSpan.FromSeconds(wait / (double)freq));
                var p = i % points.Count;
                var at = DateTimeOffset.UtcNow;
                at = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
                if (at <= last[p]) at = last[p].AddMilliseconds(1);
                last[p] = at;
                measuredAt[i] = at;
                var payload = I($"{{\"depthCm\":{2.0 + (i % 150) / 10.0},\"measuredAt\":\"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"}}");
                var msg = new MqttApplicationMessageBuilder().WithTopic("commandcenter/readings/" + points[p].Code)
                    .WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                var index = i;
                publishedAt[i] = Stopwatch.GetTimestamp();
                pending.Add(mqtt.PublishAsync(msg).ContinueWith(r => acked[index] = r.IsCompletedSuccessfully, TaskScheduler.Default));
            }

            var sentSeconds = Time.Ms(start, Stopwatch.GetTimestamp()) / 1000;
            await Task.WhenAll(pending);
            // Wait until every client has the newest reading of every point, or 10 s.
            var lastIndex = new Dictionary<long, DateTimeOffset>();
            for (var p = 0; p < points.Count; p++) lastIndex[points[p].Id] = last[p];
            var waitUntil = Stopwatch.GetTimestamp() + (10 * freq);
            while (Stopwatch.GetTimestamp() < waitUntil && !clients.All(c => c.HasAll(lastIndex)))
            {
                await Task.Delay(20);
            }

            var loadEnd = Report.LoadAverage();
            var latencies = new List<double>(options.HubSeconds * Rate * clients.Count);
            long missing = 0;
            var warm = Rate * WarmupSeconds;
            foreach (var c in clients)
            {
                var arrivals = c.Arrivals();
                for (var i = warm; i < total; i++)
                {
                    if (!acked[i]) continue;
                    var pid = points[i % points.Count].Id;
                    var at = c.FirstAtOrAfter(arrivals, pid, measuredAt[i]);
                    if (at is { } t) latencies.Add(Time.Ms(publishedAt[i], t));
                    else missing++;
                }
            }

            var closed = clients.Count(c => c.ClosedWith is not null);
            var stopLine = await app.StopAsync();
            var l = latencies.Count > 0 ? Summary.Of(latencies) : null;
            var sb = new StringBuilder();
            sb.AppendLine(I($"Broker: Debian's mosquitto on loopback. App: its own process on a copy of the seeded database ({points.Count} water points), Mqtt:Host set (QoS 1 subscription, PUBACK after the group commit). {clients.Count} SignalR clients on `/hubs/live` (WebSockets, demo API key, each read the snapshot once). One MQTTnet publisher sends one reading per message (`commandcenter/readings/{{point}}`, QoS 1), points round-robin, at {Rate}/s on a Stopwatch schedule ({total:N0} messages in {sentSeconds:0.0} s), {WarmupSeconds} s warm-up then {options.HubSeconds} s measured."));
            sb.AppendLine();
            sb.AppendLine("**Latency** = from the publish call to the first `Changed` batch at a client whose water point holds that reading or a newer one of the same point (the board sends a point's latest state), over all (reading × client) pairs of the measured window. **Missing** = pairs not seen 10 s after the last PUBACK.");
            sb.AppendLine();
            sb.AppendLine("| Rate | clients | pairs | p50 | p95 | p99 | max | missing | closed |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
            sb.AppendLine(I($"| {Rate}/s | {clients.Count} | {latencies.Count:N0} | {F(l?.P50)} | {F(l?.P95)} | {F(l?.P99)} | {F(l?.Max)} | **{missing:N0}** | {closed} |"));
            sb.AppendLine();
            sb.AppendLine(I($"Load average (1 min): start {loadStart?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—"}, end {loadEnd?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—"} ({Environment.ProcessorCount} cores shared with other engineers' builds and tests). App {stopLine}."));
            report.Section("MQTT publish → /hubs/live client latency", sb.ToString());
            report.Add(new Headline(I($"MQTT publish → hub client at {Rate}/s, {clients.Count} clients: p50 / p99 (max)"),
                l is { } x ? I($"{x.P50:0.0} / {x.P99:0.0} ms ({x.Max:0} ms)") : "no deliveries", "p99 < 250 ms",
                l is { } y ? Ratio(y.P99, TargetP99Ms) + " (p99)" : "—"));
            Console.Error.WriteLine(l is { } z ? I($"[mqtt-hub] p50 {z.P50:0.0} ms, p99 {z.P99:0.0} ms, max {z.Max:0} ms, missing {missing:N0}") : "[mqtt-hub] no deliveries");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.StopAsync()));
            if (broker is { HasExited: false })
            {
                broker.Kill();
                await broker.WaitForExitAsync();
            }

            broker?.Dispose();
            BenchDatabase.DeleteFolder(folder);
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }

    private static string F(double? ms) => ms is not { } v ? "—" : Math.Abs(v) >= 100 ? I($"{v:0} ms") : I($"{v:0.0} ms");

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The part of a <c>LiveBatch</c> the bench reads.</summary>
    private sealed record Batch(IReadOnlyList<PointOnly>? WaterPoints);

    private sealed record PointOnly(long Id, DateTimeOffset? ReadingAt);

    private sealed record VersionOnly(long Version);

    /// <summary>One hub connection: per point, (reading instant, arrival timestamp) of each batch holding it.</summary>
    private sealed class Client
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<long, List<(DateTimeOffset ReadingAt, long At)>> _byPoint = [];
        private HubConnection _connection = null!;
        private volatile bool _stopping;

        public string? ClosedWith { get; private set; }

        public static async Task<Client> ConnectAsync(Uri baseAddress)
        {
            var client = new Client();
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "hubs/live"), o =>
                {
                    o.Headers["X-Api-Key"] = AppProcess.ApiKey;
                    o.Transports = HttpTransportType.WebSockets;
                })
                .AddJsonProtocol(o => CommandCenterHosting.ConfigureJson(o.PayloadSerializerOptions))
                .Build();
            client._connection = connection;
            connection.On<Batch>("Changed", client.OnChanged);
            connection.Closed += ex =>
            {
                if (!client._stopping) client.ClosedWith = ex?.Message ?? "closed by the server";
                return Task.CompletedTask;
            };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await connection.StartAsync(cts.Token);
            await connection.InvokeAsync<VersionOnly>("GetSnapshot", cts.Token);
            return client;
        }

        private void OnChanged(Batch batch)
        {
            var now = Stopwatch.GetTimestamp();
            if (batch.WaterPoints is not { Count: > 0 } wps) return;
            lock (_gate)
            {
                foreach (var w in wps)
                {
                    if (w.ReadingAt is not { } at) continue;
                    if (!_byPoint.TryGetValue(w.Id, out var list)) _byPoint[w.Id] = list = [];
                    list.Add((at, now));
                }
            }
        }

        public bool HasAll(Dictionary<long, DateTimeOffset> newest)
        {
            lock (_gate)
            {
                return newest.All(kv => kv.Value == default || (_byPoint.TryGetValue(kv.Key, out var l) && l.Count > 0 && l.Max(x => x.ReadingAt) >= kv.Value));
            }
        }

        public Dictionary<long, List<(DateTimeOffset ReadingAt, long At)>> Arrivals()
        {
            lock (_gate)
            {
                return _byPoint.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
            }
        }

        /// <summary>The arrival of the first batch (in arrival order) holding <paramref name="point"/> at <paramref name="readingAt"/> or newer.</summary>
        public long? FirstAtOrAfter(Dictionary<long, List<(DateTimeOffset ReadingAt, long At)>> arrivals, long point, DateTimeOffset readingAt)
        {
            if (!arrivals.TryGetValue(point, out var list)) return null;
            // Arrival order; the readings a client sees of one point rise, so the first match is found by binary search.
            int lo = 0, hi = list.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (list[mid].ReadingAt >= readingAt) hi = mid; else lo = mid + 1;
            }

            return lo < list.Count ? list[lo].At : null;
        }

        public async Task StopAsync()
        {
            _stopping = true;
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _connection.StopAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
            {
                // Best effort.
            }

            await _connection.DisposeAsync();
        }
    }
}
