using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using CommandCenter.Web.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Accept → hub client latency: N SignalR clients on /hubs/live (the app's JSON protocol), and for each rate R,
/// POST /api/v1/incidents at R per second (paced by a Stopwatch schedule, from a pool of concurrent senders) for a
/// 2 s warm-up plus the measured window. For every accepted incident (201) and every client: the time from the 201
/// arriving at the sender to the <c>Changed</c> batch holding that incident arriving at the client. Both ends are in
/// this process, so one Stopwatch clock serves both.
/// </summary>
internal static partial class HubBench
{
    private const int WarmupSeconds = 2;
    private const int Senders = 64;
    private const int ConnectParallel = 16;
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(10);
    /// <summary>A scheduled send this late is not sent at all (counted): the senders are saturated, keep the run bounded.</summary>
    private static readonly TimeSpan GiveUpLate = TimeSpan.FromSeconds(2);
    private const double TargetP99Ms = 250;
    private const int TargetRate = 1000;

    public static async Task RunAsync(Options options, Report report)
    {
        var sb = new StringBuilder();
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), Math.Max(minIo, 64)); // 200 sockets + 64 senders: no pool ramp-up in the bench
        try
        {
            await RunCoreAsync(options, report, sb);
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }

        report.Section("Hub: accept → hub client latency", sb.ToString());
    }

    private static async Task RunCoreAsync(Options options, Report report, StringBuilder sb)
    {
        Console.Error.WriteLine("[hub] starting the app (simulator off, API rate limits raised)...");
        // The per-key and per-address limits (1,200 and 2,400 a minute) would answer 429 at these rates: raised for this process only.
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-hub-",
            extraArgs: ["--Security:PerKeyPerMinute=100000000", "--Security:PerAddressPerMinute=100000000"]);
        await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        using var http = AppProcess.Client(app.BaseAddress);
        var gridIds = await GridIdsAsync(http);
        using var appProcess = Process.GetProcessById(app.Id);

        Console.Error.WriteLine(I($"[hub] connecting {options.HubClients} hub clients..."));
        var clients = new List<HubClient>(options.HubClients);
        var rows = new List<PhaseResult>();
        var connectMs = 0.0;
        try
        {
            var t0 = Stopwatch.GetTimestamp();
            using (var gate = new SemaphoreSlim(ConnectParallel))
            {
                var connecting = Enumerable.Range(0, options.HubClients).Select(async _ =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        return await HubClient.ConnectAsync(app.BaseAddress);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }).ToList();
                try
                {
                    await Task.WhenAll(connecting);
                }
                finally
                {
                    // Keep every client that did connect, so that it is stopped below even if another one failed.
                    clients.AddRange(connecting.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result));
                }
            }

            connectMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            Console.Error.WriteLine(I($"[hub] {clients.Count} clients connected and snapshot read in {connectMs:0} ms"));

            foreach (var rate in options.HubRates)
            {
                await Task.Delay(2000); // let the previous phase's batches and the app settle
                rows.Add(await PhaseAsync(rate, options.HubSeconds, gridIds, http, app, appProcess, clients));
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.StopAsync()));
        }

        var stop = await app.StopAsync();
        var log = AppLog.Read(app.Folder, app.Output);
        Render(options, sb, rows, clients.Count, connectMs, gridIds.Length, stop, log);
        foreach (var r in rows)
        {
            var target = r.Rate >= TargetRate;
            report.Add(new Headline(
                I($"Hub accept → client at {r.Rate}/s ({r.SentPerSecond:0}/s sent), {r.Clients} clients: p50 / p99 (max)"),
                r.Latency is { } l ? I($"{l.P50:0.0} / {l.P99:0.0} ms ({l.Max:0} ms)") : "no deliveries",
                target ? "p99 < 250 ms" : "(target set at 1000/s)",
                target && r.Latency is { } t ? Ratio(t.P99, TargetP99Ms) + " (p99)" : "—"));
            report.Add(new Headline(
                I($"Hub at {r.Rate}/s: (incident × client) pairs not delivered within 10 s"),
                I($"{r.Missing:N0} of {r.Expected:N0}"),
                target ? "0" : "(target set at 1000/s)",
                target ? (r.Missing == 0 ? "met" : "missed") : "—"));
        }
    }

    private static async Task<PhaseResult> PhaseAsync(int rate, int seconds, int[] gridIds, HttpClient http, AppProcess app, Process appProcess, List<HubClient> clients)
    {
        var freq = Stopwatch.Frequency;
        var warm = rate * WarmupSeconds;
        var total = warm + (rate * seconds);
        Console.Error.WriteLine(I($"[hub] {rate}/s: {WarmupSeconds} s warm-up + {seconds} s measured ({total:N0} POSTs) from {Senders} senders..."));
        foreach (var c in clients)
        {
            c.StartPhase(total);
        }

        var sentAt = new long[total];
        var doneAt = new long[total];
        var status = new int[total]; // HTTP status; -1 transport error or timeout; -2 not sent (too late)
        var ids = new long[total];
        var channel = Channel.CreateUnbounded<(int Index, long Due)>(new UnboundedChannelOptions { SingleWriter = true });
        var uri = new Uri("api/v1/incidents", UriKind.Relative);
        var giveUp = (long)(GiveUpLate.TotalSeconds * freq);
        string? firstError = null;

        async Task SendLoop()
        {
            await foreach (var (i, due) in channel.Reader.ReadAllAsync())
            {
                var start = Stopwatch.GetTimestamp();
                if (start - due > giveUp)
                {
                    status[i] = -2;
                    continue;
                }

                sentAt[i] = start;
                var body = I($$"""{"category":"fire","gridId":{{gridIds[i % gridIds.Length]}},"source":"Hotline","reporterName":"bench","title":"bench {{rate}}-{{i}}"}""");
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(uri, content);
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    doneAt[i] = Stopwatch.GetTimestamp();
                    status[i] = (int)response.StatusCode;
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        using var doc = JsonDocument.Parse(bytes);
                        ids[i] = doc.RootElement.GetProperty("id").GetInt64();
                    }
                    else
                    {
                        Interlocked.CompareExchange(ref firstError, I($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}"), null);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                    doneAt[i] = Stopwatch.GetTimestamp();
                    status[i] = -1;
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
            }
        }

        var appCpu0 = Cpu(appProcess);
        var benchCpu0 = Cpu(null);
        var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoop)).ToList();

        // The schedule: send i is due at start + i / rate. A dedicated thread wakes about every millisecond and hands
        // every send that is due to the senders, so the pace does not drift and nothing spins on the 2 cores.
        var scheduleStart = 0L;
        var scheduler = new Thread(() =>
        {
            scheduleStart = Stopwatch.GetTimestamp();
            var issued = 0;
            while (issued < total)
            {
                var now = Stopwatch.GetTimestamp();
                var dueCount = Math.Min(total, (int)((now - scheduleStart) * rate / freq) + 1);
                for (; issued < dueCount; issued++)
                {
                    channel.Writer.TryWrite((issued, scheduleStart + (issued * freq / rate)));
                }

                if (issued < total)
                {
                    Thread.Sleep(1);
                }
            }

            channel.Writer.Complete();
        })
        { IsBackground = true, Name = "hub-bench-schedule" };
        scheduler.Start();
        await Task.WhenAll(senders);
        scheduler.Join();
        var sendsDone = Stopwatch.GetTimestamp();
        var appCpu = Cpu(appProcess) - appCpu0;
        var benchCpu = Cpu(null) - benchCpu0;
        var cpuSeconds = Time.Ms(scheduleStart, sendsDone) / 1000;

        // Wait until every client has seen every version up to the board's version now (so every incident accepted
        // above, since each was published before its 201), or 10 s.
        var boardVersion = (await app.DiagnosticsAsync(http, gc: false)).BoardVersion;
        var deadline = sendsDone + (long)(DeliveryWait.TotalSeconds * freq);
        while (clients.Min(c => c.LastTo) < boardVersion && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }

        var drainMs = Time.Ms(sendsDone, Stopwatch.GetTimestamp());
        var caughtUp = clients.Count(c => c.LastTo >= boardVersion);

        // Sender side, measured window only.
        var windowStart = scheduleStart + (warm * freq / rate);
        var measured = Enumerable.Range(warm, total - warm).ToList();
        var sent = measured.Where(i => status[i] != -2).ToList();
        var accepted = measured.Where(i => status[i] == (int)HttpStatusCode.Created).ToList();
        var lastSent = sent.Count > 0 ? sent.Max(i => sentAt[i]) : windowStart;
        var lastAccepted = accepted.Count > 0 ? accepted.Max(i => doneAt[i]) : windowStart;
        double PerSecond(int n, long last) => n / ((Math.Max(0, Time.Ms(windowStart, last)) / 1000) + (1.0 / rate));
        var byId = new Dictionary<long, int>(accepted.Count);
        foreach (var i in accepted)
        {
            byId[ids[i]] = i;
        }

        // Client side: each client's first arrival of each measured incident.
        var fromAccept = new List<double>(accepted.Count * clients.Count);
        var fromSend = new List<double>(accepted.Count * clients.Count);
        var seen = new bool[total];
        long missing = 0, early = 0, duplicates = 0;
        var phaseStats = new List<ClientPhase>(clients.Count);
        foreach (var c in clients)
        {
            var (arrivals, stats) = c.EndPhase();
            phaseStats.Add(stats);
            Array.Clear(seen);
            var seenCount = 0;
            foreach (var (id, at) in arrivals)
            {
                if (!byId.TryGetValue(id, out var i))
                {
                    continue;
                }

                if (seen[i])
                {
                    duplicates++;
                    continue;
                }

                seen[i] = true;
                seenCount++;
                var ms = Time.Ms(doneAt[i], at);
                early += ms < 0 ? 1 : 0;
                fromAccept.Add(ms);
                fromSend.Add(Time.Ms(sentAt[i], at));
            }

            missing += accepted.Count - seenCount;
        }

        var result = new PhaseResult(
            rate, seconds, clients.Count,
            Scheduled: measured.Count,
            Sent: sent.Count,
            Accepted: accepted.Count,
            Skipped: measured.Count - sent.Count,
            Errors: measured.Count(i => status[i] == -1),
            OtherStatus: measured.Where(i => status[i] > 0 && status[i] != (int)HttpStatusCode.Created).GroupBy(i => status[i]).ToDictionary(g => g.Key, g => g.Count()),
            FirstError: firstError,
            SentPerSecond: PerSecond(sent.Count, lastSent),
            AcceptedPerSecond: PerSecond(accepted.Count, lastAccepted),
            Post: accepted.Count > 0 ? Summary.Of(accepted.Select(i => Time.Ms(sentAt[i], doneAt[i])).ToList()) : null,
            Lateness: sent.Count > 0 ? Summary.Of(sent.Select(i => Time.Ms(scheduleStart + (i * freq / rate), sentAt[i])).ToList()) : null,
            Latency: fromAccept.Count > 0 ? Summary.Of(fromAccept) : null,
            FromSend: fromSend.Count > 0 ? Summary.Of(fromSend) : null,
            Expected: (long)accepted.Count * clients.Count,
            Missing: missing,
            Early: early,
            Duplicates: duplicates,
            Batches: phaseStats.Sum(s => (long)s.Batches),
            BatchItemsMax: phaseStats.Count > 0 ? phaseStats.Max(s => s.MaxItems) : 0,
            BatchItems: phaseStats.Sum(s => s.Items),
            Resyncs: phaseStats.Sum(s => s.Resyncs),
            Gaps: phaseStats.Sum(s => s.Gaps),
            Overlaps: phaseStats.Sum(s => s.Overlaps),
            ShortIntervals: phaseStats.Sum(s => s.ShortIntervals),
            MinIntervalMs: phaseStats.Select(s => s.MinIntervalMs).Where(m => !double.IsNaN(m)).DefaultIfEmpty(double.NaN).Min(),
            Closed: clients.Count(c => c.ClosedWith is not null),
            PhaseSeconds: Time.Ms(scheduleStart, Stopwatch.GetTimestamp()) / 1000,
            DrainMs: drainMs,
            CaughtUp: caughtUp,
            AppCores: appCpu / cpuSeconds,
            BenchCores: benchCpu / cpuSeconds);
        Console.Error.WriteLine(result.Latency is { } l
            ? I($"[hub] {rate}/s: sent {result.SentPerSecond:0}/s, 201 {result.AcceptedPerSecond:0}/s, p50 {l.P50:0.0} ms, p99 {l.P99:0.0} ms, max {l.Max:0} ms, missing {missing:N0}, resyncs {result.Resyncs}, gaps {result.Gaps}")
            : I($"[hub] {rate}/s: no deliveries; sent {sent.Count}, 201 {accepted.Count}; {firstError}"));
        return result;
    }

    private static void Render(Options options, StringBuilder sb, List<PhaseResult> rows, int clients, double connectMs, int grids, string stop, AppLog log)
    {
        sb.AppendLine(I($"The app as its own process (Production, simulator off, per-key and per-address API rate limits raised to 100,000,000 a minute for this process), {clients} SignalR clients in the bench process on `/hubs/live` (WebSockets, `X-Api-Key` demo key, the app's JSON protocol options: camelCase, string enums), connected {ConnectParallel} at a time and each calling `GetSnapshot` once ({connectMs:0} ms for all). For each rate: `POST /api/v1/incidents` (`fire`, grids round-robin over the {grids} grids of the snapshot, source `Hotline`) on a Stopwatch schedule (send i due at start + i/R; a dedicated thread hands due sends to {Senders} concurrent senders on pooled keep-alive connections; a send more than {GiveUpLate.TotalSeconds:0} s late is not sent and counted), {WarmupSeconds} s warm-up then {options.HubSeconds} s measured; only incidents of the measured window count."));
        sb.AppendLine();
        sb.AppendLine("**Latency** = from the `201` (response fully read by the sender: the honest \"accepted\") to the `Changed` batch holding that incident arriving at a client (the client's handler entered, the message parsed), over all (incident × client) pairs; one Stopwatch clock, clients and senders in one process. The app publishes the change before it answers `201`, so a batch can reach a client before the `201` reaches the sender: such pairs count with a negative latency (column \"before 201\"). **Missing** = pairs not delivered when every client had caught up with the board's version after the last send, or 10 s after the last send.");
        sb.AppendLine();
        sb.AppendLine(I($"**Machine: {Environment.ProcessorCount} logical cores shared by the app and the bench** (senders, {clients} clients' receive loops and JSON parsing); the CPU columns show how much each used while sending. The clients parse only `fromVersion`, `toVersion`, `resync` and `incidents[].id` of each batch (the rest is skipped, not bound), to leave the cores to the app."));
        sb.AppendLine();
        sb.AppendLine("| Rate | sent/s | 201/s | 201 of scheduled | POST round trip p50 / p99 | deliveries | p50 | p95 | p99 | max | before 201 | missing |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var l = r.Latency;
            sb.AppendLine(I($"| {r.Rate}/s | {r.SentPerSecond:0} | {r.AcceptedPerSecond:0} | {r.Accepted:N0} / {r.Scheduled:N0} | {F(r.Post?.P50)} / {F(r.Post?.P99)} | {r.Expected - r.Missing:N0} | {F(l?.P50)} | {F(l?.P95)} | {F(l?.P99)} | {F(l?.Max)} | {r.Early:N0} | **{r.Missing:N0}** |"));
        }

        sb.AppendLine();
        sb.AppendLine("| Rate | send → client p50 / p99 | schedule lateness p99 / max | not sent (late) / errors / other status | batches per client per s | incidents per batch mean / max | resync | version gaps / overlaps | arrival intervals < 95 ms (shortest) | closed | caught up (after) | app CPU | bench CPU |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var other = r.OtherStatus.Count == 0 ? "0" : string.Join(", ", r.OtherStatus.Select(kv => I($"{kv.Value}×{kv.Key}")));
            var perClientPerSecond = r.Clients == 0 ? 0 : r.Batches / (double)r.Clients / r.PhaseSeconds;
            var meanItems = r.Batches == 0 ? 0 : (double)r.BatchItems / r.Batches;
            sb.AppendLine(I($"| {r.Rate}/s | {F(r.FromSend?.P50)} / {F(r.FromSend?.P99)} | {F(r.Lateness?.P99)} / {F(r.Lateness?.Max)} | {r.Skipped:N0} / {r.Errors:N0} / {other} | {perClientPerSecond:0.0} | {meanItems:0.0} / {r.BatchItemsMax} | {r.Resyncs} | {r.Gaps} / {r.Overlaps} | {r.ShortIntervals} ({F(double.IsNaN(r.MinIntervalMs) ? null : r.MinIntervalMs)}) | {r.Closed} | {r.CaughtUp}/{r.Clients} ({r.DrainMs:0} ms) | {r.AppCores:0.00} cores | {r.BenchCores:0.00} cores |"));
        }

        sb.AppendLine();
        sb.AppendLine("\"batches per client per s\" counts the whole phase (warm-up, window and the wait for delivery); \"arrival intervals < 95 ms\" counts consecutive batches arriving at one client closer together than the hub's 100 ms window: the hub spaces its sends by at least 100 ms, so these are delivery jitter (a late batch followed by an on-time one), not extra sends. \"version gaps\": a batch whose `fromVersion` is past the client's last `toVersion` + 1 (a client would refetch the snapshot); \"overlaps\": one that starts at or below it. \"caught up\": clients whose last `toVersion` reached the board's version read after the last send, and how long after the last send that took.");
        foreach (var r in rows.Where(r => r.FirstError is not null))
        {
            sb.AppendLine().AppendLine(I($"At {r.Rate}/s, the first failed send: `{r.FirstError}`."));
        }

        foreach (var r in rows.Where(r => r.Duplicates > 0))
        {
            sb.AppendLine().AppendLine(I($"At {r.Rate}/s, {r.Duplicates:N0} repeated deliveries of an incident to the same client (only the first counts)."));
        }

        sb.AppendLine();
        sb.AppendLine(I($"App {stop}. Warnings and errors it logged: {log.Warnings:N0} warning(s), {log.Errors:N0} error(s) in its log file ({log.Lines:N0} lines) and the first {log.ConsoleLines:N0} lines of its console output. Logging as in production: each accepted incident logs the handler's Information line and Serilog's request-log line."));
        if (log.Samples.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| count | level, source: message (start) |");
            sb.AppendLine("|---|---|");
            foreach (var (text, count) in log.Samples)
            {
                sb.AppendLine(I($"| {count:N0} | `{text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}` |"));
            }
        }
    }

    private static string F(double? ms) => ms is not { } v ? "—" : Math.Abs(v) >= 100 ? I($"{v:0} ms") : I($"{v:0.0} ms");

    /// <summary>CPU seconds used so far by the app (a process) or by this process (null).</summary>
    private static double Cpu(Process? process)
    {
        if (process is null)
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime.TotalSeconds;
        }

        process.Refresh();
        return process.HasExited ? 0 : process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The grid ids of the board, from GET /api/v1/snapshot.</summary>
    private static async Task<int[]> GridIdsAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("api/v1/snapshot", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(body);
        var ids = doc.RootElement.GetProperty("grids").EnumerateArray().Select(g => g.GetProperty("id").GetInt32()).Order().ToArray();
        return ids.Length > 0 ? ids : throw new InvalidOperationException("The snapshot has no grids to report incidents in.");
    }

    private sealed record PhaseResult(
        int Rate, int Seconds, int Clients, int Scheduled, int Sent, int Accepted, int Skipped, int Errors,
        Dictionary<int, int> OtherStatus, string? FirstError, double SentPerSecond, double AcceptedPerSecond,
        Summary? Post, Summary? Lateness, Summary? Latency, Summary? FromSend, long Expected, long Missing, long Early, long Duplicates,
        long Batches, int BatchItemsMax, long BatchItems, int Resyncs, int Gaps, int Overlaps, int ShortIntervals, double MinIntervalMs, int Closed,
        double PhaseSeconds, double DrainMs, int CaughtUp, double AppCores, double BenchCores);

    /// <summary>What a client saw of the batches of one phase.</summary>
    private sealed record ClientPhase(int Batches, long Items, int MaxItems, int Resyncs, int Gaps, int Overlaps, int ShortIntervals, double MinIntervalMs);

    /// <summary>The part of a <c>LiveBatch</c> the bench reads; System.Text.Json skips the other members.</summary>
    private sealed record BatchIds(long FromVersion, long ToVersion, bool Resync, IReadOnlyList<IdOnly>? Incidents);

    private sealed record IdOnly(long Id);

    /// <summary>The part of a <c>LiveSnapshot</c> the bench reads.</summary>
    private sealed record VersionOnly(long Version);

    /// <summary>One hub connection and what it received: (incident id, arrival timestamp) per incident in a batch.</summary>
    private sealed class HubClient
    {
        private static readonly long MinInterval = Stopwatch.Frequency * 95 / 1000;
        private readonly Lock _gate = new();
        private HubConnection _connection = null!;
        private List<(long Id, long At)> _arrivals = [];
        private long _lastTo;
        private long _lastBatchAt;
        private int _batches, _maxItems, _resyncs, _gaps, _overlaps, _short;
        private long _items;
        private long _minInterval = long.MaxValue;
        private volatile bool _stopping;

        public long LastTo => Interlocked.Read(ref _lastTo);

        public string? ClosedWith { get; private set; }

        public static async Task<HubClient> ConnectAsync(Uri baseAddress)
        {
            var client = new HubClient();
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "hubs/live"), o =>
                {
                    o.Headers["X-Api-Key"] = AppProcess.ApiKey;
                    o.Transports = HttpTransportType.WebSockets;
                })
                .AddJsonProtocol(o => CommandCenterHosting.ConfigureJson(o.PayloadSerializerOptions))
                .Build();
            client._connection = connection;
            connection.On<BatchIds>("Changed", client.OnChanged);
            connection.Closed += ex =>
            {
                if (!client._stopping)
                {
                    client.ClosedWith = ex?.Message ?? "closed by the server";
                }

                return Task.CompletedTask;
            };
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await connection.StartAsync(cts.Token);
                var snapshot = await connection.InvokeAsync<VersionOnly>("GetSnapshot", cts.Token);
                lock (client._gate)
                {
                    client._lastTo = Math.Max(client._lastTo, snapshot.Version);
                }
            }
            catch (Exception ex)
            {
                await connection.DisposeAsync();
                throw new InvalidOperationException("A hub client could not connect to /hubs/live or read the snapshot: " + ex.Message, ex);
            }

            return client;
        }

        public void StartPhase(int expectedIncidents)
        {
            lock (_gate)
            {
                _arrivals = new List<(long, long)>(expectedIncidents + 64);
                _batches = _maxItems = _resyncs = _gaps = _overlaps = _short = 0;
                _items = 0;
                _minInterval = long.MaxValue;
            }
        }

        public (List<(long Id, long At)> Arrivals, ClientPhase Stats) EndPhase()
        {
            lock (_gate)
            {
                var arrivals = _arrivals;
                _arrivals = [];
                return (arrivals, new ClientPhase(_batches, _items, _maxItems, _resyncs, _gaps, _overlaps, _short,
                    _minInterval == long.MaxValue ? double.NaN : Time.Ms(0, _minInterval)));
            }
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
                // Best effort: disposing below closes the socket anyway.
            }

            await _connection.DisposeAsync();
        }

        private void OnChanged(BatchIds batch)
        {
            var now = Stopwatch.GetTimestamp();
            var incidents = batch.Incidents ?? [];
            lock (_gate)
            {
                var last = _lastTo;
                if (last > 0 && batch.FromVersion > last + 1)
                {
                    _gaps++;
                }
                else if (last > 0 && batch.FromVersion <= last)
                {
                    _overlaps++;
                }

                if (_lastBatchAt != 0)
                {
                    _short += now - _lastBatchAt < MinInterval ? 1 : 0;
                    _minInterval = Math.Min(_minInterval, now - _lastBatchAt);
                }

                _lastBatchAt = now;
                _batches++;
                _resyncs += batch.Resync ? 1 : 0;
                _items += incidents.Count;
                _maxItems = Math.Max(_maxItems, incidents.Count);
                foreach (var i in incidents)
                {
                    _arrivals.Add((i.Id, now));
                }

                Interlocked.Exchange(ref _lastTo, Math.Max(last, batch.ToVersion));
            }
        }
    }

    /// <summary>Warnings and errors in the app's own log file(s), grouped by source and message start.</summary>
    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    private sealed record AppLog(long Lines, int ConsoleLines, long Warnings, long Errors, IReadOnlyList<(string Text, int Count)> Samples)
    {
        /// <summary>
        /// The log file(s) ("2026-...Z [WRN] Source: message") and the captured console output ("[03:01:35 WRN] Source: message",
        /// where the request log also goes). A file line's event is usually on the console too: both are counted, the
        /// file first; a console line counts only if its message is not in the file.
        /// </summary>
        public static AppLog Read(string folder, IReadOnlyList<string> console)
        {
            long lines = 0, warnings = 0, errors = 0;
            var groups = new Dictionary<string, int>(StringComparer.Ordinal);
            var fileMessages = new HashSet<string>(StringComparer.Ordinal);

            void Note(string level, string message)
            {
                if (level == "WRN") warnings++; else errors++;
                var text = Digits().Replace(level + " " + message, "N");
                var key = text.Length > 110 ? text[..110] + "…" : text;
                groups[key] = groups.GetValueOrDefault(key) + 1;
            }

            var dir = Path.Combine(folder, "logs");
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).ToArray() : [])
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                while (reader.ReadLine() is { } line)
                {
                    lines++;
                    var at = line.IndexOf(" [", StringComparison.Ordinal);
                    if (at >= 0 && line.Length > at + 7 && line[at + 5] == ']' && line.Substring(at + 2, 3) is "WRN" or "ERR" or "FTL")
                    {
                        var message = line[(at + 7)..];
                        fileMessages.Add(message);
                        Note(line.Substring(at + 2, 3), message);
                    }
                }
            }

            foreach (var line in console)
            {
                // "[HH:mm:ss LVL] message"
                if (line.Length > 15 && line[0] == '[' && line[13] == ']' && line.Substring(10, 3) is "WRN" or "ERR" or "FTL"
                    && !fileMessages.Contains(line[15..]))
                {
                    Note(line.Substring(10, 3), line[15..]);
                }
            }

            return new AppLog(lines, console.Count, warnings, errors, [.. groups.OrderByDescending(g => g.Value).Take(8).Select(g => (g.Key, g.Value))]);
        }
    }
}
