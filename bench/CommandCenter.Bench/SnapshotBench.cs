using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommandCenter.Demo.Street;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Live;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// The snapshot: (a) GetSnapshot() after a change (the per-version build), (b) the cached GetSnapshot(),
/// (c) System.Text.Json serialisation with the app's options, (a+c) build + serialise, all in-process;
/// then (d) GET /api/v1/snapshot over loopback against the app process, cached and right after a change.
/// </summary>
internal static partial class SnapshotBench
{
    private const double TargetMs = 5.0;

    public static async Task RunAsync(Options options, Report report)
    {
        var sb = new StringBuilder();
        await InProcessAsync(options, report, sb);
        await HttpAsync(options, report, sb);
        report.Section("Snapshot", sb.ToString());
    }

    private static async Task InProcessAsync(Options options, Report report, StringBuilder sb)
    {
        var folder = Directory.CreateTempSubdirectory("cc-bench-snapshot-").FullName;
        try
        {
            Console.Error.WriteLine("[snapshot] building the demo database in-process...");
            await using var db = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(folder, "cc.db")}" });
            var clock = new BoardClock(TimeProvider.System, BoardClock.FindZone("Asia/Shanghai"));
            await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
            var seederLog = new CapturingLogger<DemoStreetSeeder>();
            var t0 = Stopwatch.GetTimestamp();
            await new DemoStreetSeeder(db, clock, seederLog).SeedIfEmptyAsync();
            var seedMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            t0 = Stopwatch.GetTimestamp();
            var seed = await new BoardLoader(db, clock).LoadAsync();
            var loadMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            var board = new LiveBoard(clock);
            board.Load(seed);

            // The app's JSON options: ASP.NET Core's JsonOptions (JsonSerializerDefaults.Web) + CommandCenterHosting.ConfigureJson.
            var jsonOptions = new Microsoft.AspNetCore.Http.Json.JsonOptions();
            CommandCenterHosting.ConfigureJson(jsonOptions.SerializerOptions);
            var json = jsonOptions.SerializerOptions;
            var snapshotJson = new SnapshotJson(board, Microsoft.Extensions.Options.Options.Create(jsonOptions));

            // The very first build and serialisation in this process (JIT and type metadata included).
            t0 = Stopwatch.GetTimestamp();
            var first = board.GetSnapshot();
            var firstBuildMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            t0 = Stopwatch.GetTimestamp();
            var payload = JsonSerializer.SerializeToUtf8Bytes(first, json);
            var firstSerializeMs = Time.Ms(t0, Stopwatch.GetTimestamp());

            var gridIds = first.Grids.Select(g => g.Id).ToArray();
            var communityId = first.Street.Communities[0].Id;
            var n = options.Iterations;
            var w = options.Warmup;
            Console.Error.WriteLine(I($"[snapshot] in-process: {w} warm-up + {n} iterations each..."));
            void Change(int i) => board.Publish(new PatrolEvent(gridIds[i % gridIds.Length], 1, clock.Now)); // harmless: a grid patrolled today

            // (a) build after a change: publish, then time only GetSnapshot().
            var (build, buildAlloc) = Measure(w, n, Change, () => GC.KeepAlive(board.GetSnapshot()));

            // (b) cached: batches of 1,000 calls (one call is too short for one Stopwatch reading); per-call figures.
            const int Batch = 1000;
            var (cachedBatches, cachedAlloc) = Measure(w, n, null, () =>
            {
                for (var k = 0; k < Batch; k++) GC.KeepAlive(board.GetSnapshot());
            });
            var cachedNs = cachedBatches.Select(us => us * 1000 / Batch).ToList();

            // (c) serialisation of the (cached) snapshot with the app's options.
            var snapshot = board.GetSnapshot();
            var (serialize, serializeAlloc) = Measure(w, n, null, () => GC.KeepAlive(JsonSerializer.SerializeToUtf8Bytes(snapshot, json)));

            // (d) what GET /api/v1/snapshot costs the server after a change: SnapshotJson.Get = build + serialise once per version.
            var (both, bothAlloc) = Measure(w, n, Change, () => GC.KeepAlive(snapshotJson.Get(null)));

            // (e) every other request of the same version: SnapshotJson.Get hits its per-version bytes.
            var (jsonCachedBatches, jsonCachedAlloc) = Measure(w, n, null, () =>
            {
                for (var k = 0; k < Batch; k++) GC.KeepAlive(snapshotJson.Get(null));
            });
            var jsonCachedNs = jsonCachedBatches.Select(us => us * 1000 / Batch).ToList();

            // (f) a community-scoped caller after a change: full build + scoped cut + serialise.
            var (scoped, scopedAlloc) = Measure(w, n, Change, () => GC.KeepAlive(snapshotJson.Get(communityId)));
            var scopedBytes = snapshotJson.Get(communityId).Length;

            var b = Summary.Of(build);
            var c = Summary.Of(cachedNs);
            var s = Summary.Of(serialize);
            var bc = Summary.Of(both);
            var jc = Summary.Of(jsonCachedNs);
            var sc = Summary.Of(scoped);
            sb.AppendLine("### In-process (no HTTP)").AppendLine();
            sb.Append(I($"Demo database built once in-process (migrations + `DemoStreetSeeder.SeedIfEmptyAsync` {seedMs:0} ms, `BoardLoader.LoadAsync` {loadMs:0} ms), "));
            sb.AppendLine(I($"board: {first.Grids.Count} grids, {first.CameraMarks.Count} cameras, {first.WaterPoints.Count} water points, {first.Incidents.Open} open incidents, {first.RecentAlerts.Count} recent alerts."));
            if (seederLog.Lines.FirstOrDefault(l => l.StartsWith("Seeded demo street", StringComparison.Ordinal)) is { } line)
            {
                sb.AppendLine().AppendLine(I($"Seeder: `{line}`"));
            }

            sb.AppendLine();
            sb.AppendLine(I($"{w} warm-up iterations, then {n} measured, single thread, {(GCSettings.IsServerGC ? "server" : "workstation")} GC (as the app). Stopwatch per iteration; \"after a change\" publishes a `PatrolEvent` before each (untimed) iteration; \"alloc\" is bytes allocated per operation on the measuring thread."));
            sb.AppendLine();
            sb.AppendLine("| Operation | mean | p50 | p95 | p99 | max | alloc/op |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            sb.AppendLine(Row("(a) `LiveBoard.GetSnapshot()` after a change (build)", b, "µs", buildAlloc));
            sb.AppendLine(Row(I($"(b) `LiveBoard.GetSnapshot()` cached (per call, batches of {Batch})"), c, "ns", cachedAlloc / Batch));
            sb.AppendLine(Row("(c) `JsonSerializer.SerializeToUtf8Bytes(snapshot)` with the app's options", s, "µs", serializeAlloc));
            sb.AppendLine(Row("(d) `SnapshotJson.Get(null)` after a change = build + serialise (what `GET /api/v1/snapshot` runs)", bc, "µs", bothAlloc));
            sb.AppendLine(Row(I($"(e) `SnapshotJson.Get(null)` same version (per call, batches of {Batch})"), jc, "ns", jsonCachedAlloc / Batch));
            sb.AppendLine(Row(I($"(f) `SnapshotJson.Get(community {communityId})` after a change (build + scoped cut + serialise, {scopedBytes:N0} B)"), sc, "µs", scopedAlloc));
            sb.AppendLine();
            sb.AppendLine(I($"First call in a fresh process (JIT included): build {firstBuildMs:0.0} ms, serialise {firstSerializeMs:0.0} ms. Payload: {payload.Length:N0} bytes of JSON ({Bytes(payload.Length)})."));
            sb.AppendLine();
            sb.AppendLine(I($"Where the payload's bytes are (each member serialised on its own): {SectionSizes(snapshot, json)}."));
            sb.AppendLine();

            report.Add(new Headline("Snapshot server time after a change (`SnapshotJson.Get`: build + serialise), p50 / p95",
                I($"{bc.P50 / 1000:0.000} / {bc.P95 / 1000:0.000} ms (p99 {bc.P99 / 1000:0.000})"), "< 5 ms", Ratio(bc.P95 / 1000, TargetMs) + " (p95)"));
            report.Add(new Headline("of which `GetSnapshot()` build, p50 / p95", I($"{b.P50 / 1000:0.000} / {b.P95 / 1000:0.000} ms"), "< 5 ms", Ratio(b.P95 / 1000, TargetMs) + " (p95)"));
            report.Add(new Headline("Snapshot server time, same version (`SnapshotJson.Get` hit), p50", I($"{jc.P50:0} ns"), "< 5 ms", Ratio(jc.P50 / 1_000_000, TargetMs)));
            report.Add(new Headline("Snapshot payload", I($"{payload.Length:N0} bytes"), "—", "—"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(folder);
        }
    }

    private static async Task HttpAsync(Options options, Report report, StringBuilder sb)
    {
        Console.Error.WriteLine("[snapshot] starting the app for the HTTP round trips...");
        // The per-key and per-address rate limits (1,200 and 2,400 a minute) would answer 429 to a benchmark: raised for this process only.
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-http-",
            extraArgs: ["--Security:PerKeyPerMinute=1000000", "--Security:PerAddressPerMinute=1000000"]);
        await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        using var client = AppProcess.Client(app.BaseAddress);
        var uri = new Uri("api/v1/snapshot", UriKind.Relative);

        async Task<(double Ms, long Bytes)> GetOnce()
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Time.Ms(t0, Stopwatch.GetTimestamp());
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /api/v1/snapshot answered {(int)response.StatusCode}.");
            }

            return (ms, body.LongLength);
        }

        var requests = options.HttpRequests;
        Console.Error.WriteLine(I($"[snapshot] HTTP: {options.HttpWarmup} warm-up + {requests} sequential GETs (cached snapshot)..."));
        for (var i = 0; i < options.HttpWarmup; i++) await GetOnce();
        var cached = new List<double>(requests);
        long bytes = 0;
        for (var i = 0; i < requests; i++)
        {
            var (ms, len) = await GetOnce();
            cached.Add(ms);
            bytes = len;
        }

        // After a change: POST a patrol check-in (a real write through CheckInPatrolHandler), then time only the GET.
        var staff = await ActiveStaffAsync(app.DatabaseFile);
        List<double>? changed = null;
        string? changedNote = null;
        if (staff is { } st)
        {
            var changes = Math.Max(20, requests / 5);
            Console.Error.WriteLine(I($"[snapshot] HTTP: {changes} × (POST patrol, then timed GET)..."));
            changed = new List<double>(changes);
            var before = (await app.DiagnosticsAsync(client, gc: false)).BoardVersion;
            for (var i = 0; i < changes + 10; i++)
            {
                using (var post = await client.PostAsJsonAsync(new Uri("api/v1/patrols", UriKind.Relative), new { staffId = st.StaffId, gridId = st.GridId }))
                {
                    if (post.StatusCode != HttpStatusCode.Created)
                    {
                        changedNote = I($"POST /api/v1/patrols answered {(int)post.StatusCode}: {await post.Content.ReadAsStringAsync()}");
                        changed = null;
                        break;
                    }
                }

                var (ms, _) = await GetOnce();
                if (i >= 10) changed!.Add(ms); // the first 10 warm the POST path
            }

            var after = (await app.DiagnosticsAsync(client, gc: false)).BoardVersion;
            if (changed is not null && after - before < changes + 10)
            {
                changedNote = I($"the board version rose by {after - before} for {changes + 10} posts");
            }
        }
        else
        {
            changedNote = "no active staff member found in the app's database";
        }

        // The server's own view of each request: Serilog's request log ("HTTP GET /api/v1/snapshot responded 200 in N ms",
        // from the request-logging middleware to the end of the response), in request order.
        await Task.Delay(500);
        var serverMs = app.Output.Select(l => RespondedRegex().Match(l)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var stop = await app.StopAsync();
        var expected = options.HttpWarmup + requests + (changed is null ? 0 : changed.Count + 10);
        List<double>? serverCached = null, serverChanged = null;
        if (serverMs.Count == expected)
        {
            serverCached = serverMs.Skip(options.HttpWarmup).Take(requests).ToList();
            serverChanged = changed is null ? null : serverMs.Skip(options.HttpWarmup + requests + 10).ToList();
        }

        var h = Summary.Of(cached);
        sb.AppendLine("### HTTP over loopback (app process)").AppendLine();
        sb.AppendLine(I($"`GET /api/v1/snapshot` with `X-Api-Key` (the demo key; rate limits raised to 1,000,000/min for this process), one keep-alive connection, sequential, body read fully; client and server share the 2 cores. Simulator off, so the board does not change between the cached requests (each is served from `SnapshotJson`'s bytes for the version). {options.HttpWarmup} warm-up requests. \"Client\" rows are the round trip seen by the bench; \"server\" rows are the app's own request log (Serilog request logging: elapsed from that middleware to the end of the response, so authentication, rate limiter, endpoint and body write, not Kestrel parsing). App {stop}."));
        sb.AppendLine();
        sb.AppendLine("| Request | n | mean | p50 | p95 | p99 | max |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        string R(string name, Summary x) => I($"| {name} | {x.Count} | {x.Mean:0.000} ms | {x.P50:0.000} ms | {x.P95:0.000} ms | {x.P99:0.000} ms | {x.Max:0.000} ms |");
        sb.AppendLine(R("GET snapshot, same version — client round trip", h));
        if (serverCached is { Count: > 0 })
        {
            var sc = Summary.Of(serverCached);
            sb.AppendLine(R("GET snapshot, same version — server (request log)", sc));
            report.Add(new Headline("HTTP GET snapshot, same version: server time (request log), p50 / p95", I($"{sc.P50:0.000} / {sc.P95:0.000} ms"), "< 5 ms", Ratio(sc.P95, TargetMs) + " (p95)"));
        }

        report.Add(new Headline("HTTP GET snapshot, same version: loopback round trip, p50 / p95", I($"{h.P50:0.000} / {h.P95:0.000} ms"), "—", "—"));
        if (changed is { Count: > 0 })
        {
            var ch = Summary.Of(changed);
            sb.AppendLine(R("GET snapshot right after `POST /api/v1/patrols` (new version) — client round trip", ch));
            if (serverChanged is { Count: > 0 })
            {
                var sch = Summary.Of(serverChanged);
                sb.AppendLine(R("GET snapshot right after `POST /api/v1/patrols` (new version) — server (request log)", sch));
                report.Add(new Headline("HTTP GET snapshot after a change: server time (request log), p50 / p95", I($"{sch.P50:0.000} / {sch.P95:0.000} ms"), "< 5 ms", Ratio(sch.P95, TargetMs) + " (p95)"));
            }

            report.Add(new Headline("HTTP GET snapshot after a change: loopback round trip, p50 / p95", I($"{ch.P50:0.000} / {ch.P95:0.000} ms"), "—", "—"));
        }

        sb.AppendLine();
        sb.AppendLine(I($"Payload on the wire: {bytes:N0} bytes (no response compression)."));
        if (serverCached is null)
        {
            sb.AppendLine().AppendLine(I($"Server rows missing: found {serverMs.Count} request-log lines for the snapshot, expected {expected}."));
        }

        if (changedNote is not null)
        {
            sb.AppendLine().AppendLine(I($"Note on the after-a-change rows: {changedNote}."));
        }
    }

    [GeneratedRegex(@"HTTP GET /api/v1/snapshot responded 200 in ([0-9.]+) ms")]
    private static partial Regex RespondedRegex();

    /// <summary>Runs <paramref name="before"/> (untimed) then times <paramref name="op"/>; returns µs per iteration and mean bytes allocated per op.</summary>
    private static (List<double> Us, double AllocPerOp) Measure(int warmup, int iterations, Action<int>? before, Action op)
    {
        for (var i = 0; i < warmup; i++)
        {
            before?.Invoke(i);
            op();
        }

        var us = new List<double>(iterations);
        long allocated = 0;
        for (var i = 0; i < iterations; i++)
        {
            before?.Invoke(warmup + i);
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            op();
            var t1 = Stopwatch.GetTimestamp();
            allocated += GC.GetAllocatedBytesForCurrentThread() - a0;
            us.Add(Time.Us(t0, t1));
        }

        return (us, (double)allocated / iterations);
    }

    /// <summary>"waterPoints 21,004 B (34%), ..." for the snapshot's members, largest first.</summary>
    private static string SectionSizes(LiveSnapshot snapshot, JsonSerializerOptions json)
    {
        var total = JsonSerializer.SerializeToUtf8Bytes(snapshot, json).Length;
        var sizes = typeof(LiveSnapshot).GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => (Name: json.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name, Bytes: JsonSerializer.SerializeToUtf8Bytes(p.GetValue(snapshot), p.PropertyType, json).Length))
            .OrderByDescending(x => x.Bytes)
            .ToList();
        return string.Join(", ", sizes.Take(6).Select(x => I($"`{x.Name}` {x.Bytes:N0} B ({100.0 * x.Bytes / total:0}%)")))
            + I($"; the other {Math.Max(0, sizes.Count - 6)} members {sizes.Skip(6).Sum(x => x.Bytes):N0} B");
    }

    private static string Row(string name, Summary s, string unit, double alloc)
    {
        string F(double usOrNs) => unit == "ns" ? I($"{usOrNs:0} ns") : usOrNs >= 1000 ? I($"{usOrNs / 1000:0.000} ms") : I($"{usOrNs:0.0} µs");
        return I($"| {name} | {F(s.Mean)} | {F(s.P50)} | {F(s.P95)} | {F(s.P99)} | {F(s.Max)} | {(double.IsNaN(alloc) ? "—" : Bytes(alloc))} |");
    }

    /// <summary>An active staff member and one of their grids, read from the app's SQLite file (read-only, WAL allows it).</summary>
    private static async Task<(int StaffId, int GridId)?> ActiveStaffAsync(string databaseFile)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = databaseFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var c = new SqliteConnection(cs);
        await c.OpenAsync();
        var row = await c.QueryFirstOrDefaultAsync<(long StaffId, long GridId)?>(
            "SELECT s.Id, sa.GridId FROM Staff s JOIN StaffAssignment sa ON sa.StaffId = s.Id WHERE s.Active = 1 ORDER BY s.Id LIMIT 1");
        return row is { } r ? ((int)r.StaffId, (int)r.GridId) : null;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Keeps the formatted log lines, to quote the seeder's own timing.</summary>
    private sealed class CapturingLogger<T> : ILogger<T>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines => _lines;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
