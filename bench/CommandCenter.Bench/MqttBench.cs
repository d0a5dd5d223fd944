using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CommandCenter.Data.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Readings over MQTT (QoS 1) against the raw SQLite insert limit measured in the same run, and the app's memory over
/// the run: Debian's mosquitto on a free port; the app started on a copy of the seeded database with Mqtt:Host set;
/// 4 publishers (MQTTnet, QoS 1, up to 64 publishes outstanding each) send arrays of --mqtt-batch readings to
/// commandcenter/readings/{point}; rows stored per second are read from the app's database file; the app's resident
/// memory (VmRSS) is sampled every second. After publishing stops, every published reading must become one row.
/// </summary>
internal static class MqttBench
{
    private const int Publishers = 4;
    private const int Outstanding = 64;
    private const double TargetRatio = 0.5;
    private const double TargetRate = 20_000;

    public static async Task RunAsync(Options options, Report report)
    {
        var mosquitto = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed (apt-get install mosquitto)");
        var folder = Directory.CreateTempSubdirectory("cc-bench-mqtt-").FullName;
        Process? broker = null;
        try
        {
            var template = await BenchDatabase.BuildTemplateAsync(options, folder, "mqtt");
            List<(long Id, string Code)> points;
            long rowsBefore;
            using (var c = BenchDatabase.Open(template))
            {
                points = ReadingsBench.ReadPoints(c);
                rowsBefore = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM SensorReading");
            }

            // The bench's readings are all in the last 3 hours; the seeded ones older than that may leave by the 90-day
            // retention while the run goes on, so rows are counted from a bound below the bench's first instant.
            var since = SqlTypeHandlers.ToSqlite(DateTimeOffset.UtcNow - TimeSpan.FromHours(3) - TimeSpan.FromMinutes(2));
            long Recent(Microsoft.Data.Sqlite.SqliteConnection conn)
            {
                using var cmd = conn.CreateCommand();
                cmd.CommandText = "SELECT COUNT(*) FROM SensorReading WHERE MeasuredAt >= $since";
                cmd.Parameters.AddWithValue("$since", since);
                return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            long recentBefore;
            using (var c = BenchDatabase.Open(template)) recentBefore = Recent(c);

            // (1) The raw limit on a copy of the same database.
            var rawFile = Path.Combine(folder, "raw.db");
            BenchDatabase.Copy(template, rawFile);
            Console.Error.WriteLine(I($"[mqtt] raw SQLite insert, batches of {options.Batch:N0}, {options.Seconds} s..."));
            var raw = ReadingsBench.RawInsert(rawFile, points, options.Batch, options.Seconds);
            BenchDatabase.Delete(rawFile);
            var rawRate = raw.Rows / raw.Seconds;
            Console.Error.WriteLine(I($"[mqtt] raw: {rawRate:N0} rows/s"));

            // (2) The broker and the app.
            var port = FreePort();
            var conf = Path.Combine(folder, "mosquitto.conf");
            await File.WriteAllTextAsync(conf, I($"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n"));
            broker = Process.Start(new ProcessStartInfo(mosquitto, ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
            await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-mqtt-app-", database: template,
                extraArgs: [.. BenchDatabase.RaisedRateLimits, "--Mqtt:Host=127.0.0.1", I($"--Mqtt:Port={port}"), "--Mqtt:ClientId=cc-bench"]);
            await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
            await WaitForSubscriberAsync(app);
            var loadStart = Report.LoadAverage();

            using var db = BenchDatabase.Open(app.DatabaseFile);
            var published = 0L;
            var next = new long[points.Count];
            // A whole second (the instants below are on its milliseconds 1..999, never on a whole second like the seeded
            // readings: a collision would be answered as a duplicate and stored once, and the counts would not add up).
            var now = DateTimeOffset.UtcNow;
            var from = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddHours(-3);
            var stop = new CancellationTokenSource();
            var perMessage = options.MqttBatch;

            async Task PublishLoop(int p)
            {
                using var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(I($"bench-pub-{p}")).Build());
                using var slots = new SemaphoreSlim(Outstanding);
                var k = p;
                var pending = new List<Task>();
                var perSecond = options.MqttRate / (double)perMessage / Publishers; // messages per second of this publisher
                var started = Stopwatch.GetTimestamp();
                for (var n = 0L; !stop.IsCancellationRequested; n++)
                {
                    // Paced (open loop at --mqtt-rate): message n is due n / perSecond seconds after the start.
                    var due = TimeSpan.FromSeconds(n / perSecond) - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.FromMilliseconds(1)) await Task.Delay(due);
                    await slots.WaitAsync();
                    var point = k % points.Count;
                    k += Publishers;
                    var first = Interlocked.Add(ref next[point], perMessage) - perMessage;
                    var sb = new StringBuilder(perMessage * 60).Append('[');
                    for (var i = 0; i < perMessage; i++)
                    {
                        // Distinct instants per point: milliseconds 1..999 of each second from 3 hours ago.
                        var slot = first + i;
                        var at = from + TimeSpan.FromSeconds(slot / 999) + TimeSpan.FromMilliseconds(1 + (slot % 999));
                        if (i > 0) sb.Append(',');
                        sb.Append(I($"{{\"depthCm\":{2.0 + (slot % 150) / 10.0},\"measuredAt\":\"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"}}"));
                    }

                    var msg = new MqttApplicationMessageBuilder().WithTopic("commandcenter/readings/" + points[point].Code)
                        .WithPayload(Encoding.UTF8.GetBytes(sb.Append(']').ToString())).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    var t = client.PublishAsync(msg).ContinueWith(r =>
                    {
                        slots.Release();
                        if (r.IsCompletedSuccessfully) Interlocked.Add(ref published, perMessage);
                    }, TaskScheduler.Default);
                    pending.Add(t);
                    if (pending.Count > 4 * Outstanding) pending.RemoveAll(x => x.IsCompleted);
                }

                await Task.WhenAll(pending);
                await client.DisconnectAsync();
            }

            Console.Error.WriteLine(I($"[mqtt] publishing {perMessage} readings per message from {Publishers} clients: {options.WarmupSeconds} s warm-up, {options.Seconds} s measured..."));
            var publishers = Enumerable.Range(0, Publishers).Select(p => Task.Run(() => PublishLoop(p))).ToList();
            var samples = new List<(double T, long Rows, long Rss)>();
            var t0 = Stopwatch.GetTimestamp();
            var total = options.WarmupSeconds + options.Seconds;
            for (var s = 1; s <= total; s++)
            {
                await Task.Delay(TimeSpan.FromSeconds(s) - Stopwatch.GetElapsedTime(t0));
                samples.Add((Stopwatch.GetElapsedTime(t0).TotalSeconds, Recent(db) - recentBefore, Rss(app.Id)));
            }

            stop.Cancel();
            await Task.WhenAll(publishers);
            var loadEnd = Report.LoadAverage();
            // Drain: every reading the broker took must become one row.
            var drainStart = Stopwatch.GetTimestamp();
            long rows;
            while ((rows = Recent(db) - recentBefore) < Interlocked.Read(ref published)
                   && Stopwatch.GetElapsedTime(drainStart) < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(200);
            }

            var drainSeconds = Stopwatch.GetElapsedTime(drainStart).TotalSeconds;
            var drainRate = drainSeconds > 1 ? (rows - samples[^1].Rows) / drainSeconds : 0;
            var duplicates = BenchDatabase.Scalar(db, "SELECT COUNT(*) FROM (SELECT 1 FROM SensorReading GROUP BY WaterPointId, MeasuredAt HAVING COUNT(*) > 1)");
            var stopLine = await app.StopAsync();
            var problems = app.Problems();
            foreach (var line in problems.Take(20)) Console.Error.WriteLine("[mqtt] app: " + line);

            var measured = samples.Skip(options.WarmupSeconds).ToList();
            var startRow = samples[options.WarmupSeconds - 1];
            var rate = (measured[^1].Rows - startRow.Rows) / (measured[^1].T - startRow.T);
            var perSecond = measured.Select((x, i) => x.Rows - (i == 0 ? startRow.Rows : measured[i - 1].Rows)).ToList();
            var quarter = Math.Max(1, measured.Count / 4);
            var rssFirst = measured.Take(quarter).Average(x => x.Rss);
            var rssLast = measured.TakeLast(quarter).Average(x => x.Rss);
            var growth = (rssLast - rssFirst) / rssFirst;
            var ratio = rate / rawRate;

            var sb = new StringBuilder();
            sb.AppendLine(I($"Both on a copy of the app's own seeded database ({rowsBefore:N0} readings, {points.Count} water points). Broker: Debian's mosquitto on loopback (no persistence, unlimited queue). App: Mqtt:Host set, QoS 1 subscription, PUBACK after the group commit, receive maximum 2,000."));
            sb.AppendLine();
            sb.AppendLine(I($"- **Raw SQLite limit** (batches of {options.Batch:N0}, as the readings command): **{rawRate:N0} rows/s**."));
            sb.AppendLine(I($"- **MQTT**: {Publishers} publishers (QoS 1, ≤ {Outstanding} publishes outstanding each), {perMessage} readings per message (a JSON array on `commandcenter/readings/{{point}}`), {options.WarmupSeconds} s warm-up then {options.Seconds} s measured: **{rate:N0} readings/s stored** (rows counted in the database each second)."));
            sb.AppendLine(I($"- Offered load {options.MqttRate:N0} readings/s (paced); after publishing stopped, the backlog in the broker was stored at {drainRate:N0} readings/s (publishers idle)."));
            sb.AppendLine(I($"- **MQTT ÷ raw: {ratio:0.00}** (target ≥ {TargetRatio:0.0}); target ≥ {TargetRate:N0}/s: {AtLeast(rate, TargetRate)}."));
            sb.AppendLine(I($"- Stored per second (measured window): {string.Join(", ", perSecond.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))}."));
            sb.AppendLine(I($"- Published (broker PUBACK) {Interlocked.Read(ref published):N0} readings; rows after the drain ({drainSeconds:0.0} s) {rows:N0}{(rows == Interlocked.Read(ref published) ? "" : " — **mismatch**")}; (point, instant) pairs stored twice: {duplicates:N0}. App {stopLine}."));
            sb.AppendLine(I($"- App memory (VmRSS): first quarter of the measured window {Bytes(rssFirst)}, last quarter {Bytes(rssLast)}: **{growth:+0.0%;-0.0%}** (target within ±10 %); samples: {string.Join(", ", measured.Select(x => (x.Rss / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture)))} MiB."));
            sb.AppendLine(I($"- Load average (1 min): start {loadStart?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—"}, end {loadEnd?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—"} (other engineers' builds included)."));
            if (problems.Count > 0)
            {
                sb.AppendLine();
                sb.Append(HttpLoad.ProblemsNote(problems));
            }

            report.Section("Water-depth readings over MQTT (QoS 1) vs the raw SQLite insert limit; memory over the run", sb.ToString());
            report.Add(new Headline(I($"Readings/s over MQTT (QoS 1, {perMessage}/message, {Publishers} publishers)"), I($"{rate:N0}"), I($"≥ {TargetRate:N0}"), AtLeast(rate, TargetRate)));
            report.Add(new Headline("Readings over MQTT ÷ raw SQLite insert limit", I($"{ratio:0.00}"), I($"≥ {TargetRatio:0.0}"), AtLeast(ratio, TargetRatio)));
            report.Add(new Headline(I($"App memory growth over {options.Seconds} s of MQTT load (VmRSS)"), I($"{growth:+0.0%;-0.0%}"), "within ±10 %", Math.Abs(growth) <= 0.10 ? "met" : "target missed"));
        }
        finally
        {
            if (broker is { HasExited: false })
            {
                broker.Kill();
                await broker.WaitForExitAsync();
            }

            broker?.Dispose();
            BenchDatabase.DeleteFolder(folder);
        }
    }

    private static async Task WaitForSubscriberAsync(AppProcess app)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (!app.Output.Any(l => l.Contains("MQTT: connected", StringComparison.Ordinal)))
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException("The app did not connect to the broker:\n" + app.Tail(20));
            await Task.Delay(50);
        }
    }

    private static long Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
