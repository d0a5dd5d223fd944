using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Demo;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Hosting;
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
internal static class SnapshotBench
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
            var db = new DbConnectionFactory(new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(folder, "cc.db")}" });
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

            var json = new JsonSerializerOptions(JsonSerializerDefaults.Web); // what ASP.NET Core's JsonOptions start from
            CommandCenterHosting.ConfigureJson(json);

            // The very first build and serialisation in this process (JIT and type metadata included).
            t0 = Stopwatch.GetTimestamp();
            var first = board.GetSnapshot();
            var firstBuildMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            t0 = Stopwatch.GetTimestamp();
            var payload = JsonSerializer.SerializeToUtf8Bytes(first, json);
            var firstSerializeMs = Time.Ms(t0, Stopwatch.GetTimestamp());

            var gridIds = first.Grids.Select(g => g.Id).ToArray();
            var n = options.Iterations;
            var w = options.Warmup;
            Console.Error.WriteLine(I($"[snapshot] in-process: {w} warm-up + {n} iterations each..."));

            // (a) build after a change: publish a patrol (harmless: marks a grid patrolled today), time only GetSnapshot().
            var (build, buildAlloc) = Measure(w, n, i => board.Publish(new PatrolEvent(gridIds[i % gridIds.Length], 1, clock.Now)),
                () => GC.KeepAlive(board.GetSnapshot()));

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

            // (c') the same without the grid polygons, to show what they cost (they never change between versions).
            var withoutPolygons = snapshot with { Grids = [.. snapshot.Grids.Select(g => g with { Polygon = [] })] };
            var polygonFree = JsonSerializer.SerializeToUtf8Bytes(withoutPolygons, json).Length;
            var (serializeNoPolygons, _) = Measure(w, n, null, () => GC.KeepAlive(JsonSerializer.SerializeToUtf8Bytes(withoutPolygons, json)));

            // (a+c) what one request costs the server after a change: build + serialise.
            var (both, bothAlloc) = Measure(w, n, i => board.Publish(new PatrolEvent(gridIds[i % gridIds.Length], 1, clock.Now)),
                () => GC.KeepAlive(JsonSerializer.SerializeToUtf8Bytes(board.GetSnapshot(), json)));

            var b = Summary.Of(build);
            var c = Summary.Of(cachedNs);
            var s = Summary.Of(serialize);
            var bc = Summary.Of(both);
            sb.AppendLine("### In-process (no HTTP)").AppendLine();
            sb.Append(I($"Demo database built once in-process (migrations + `DemoStreetSeeder.SeedIfEmptyAsync` {seedMs:0} ms, `BoardLoader.LoadAsync` {loadMs:0} ms), "));
            sb.AppendLine(I($"board: {first.Grids.Count} grids, {first.CameraMarks.Count} cameras, {first.WaterPoints.Count} water points, {first.Incidents.Open} open incidents, {first.RecentAlerts.Count} recent alerts."));
            if (seederLog.Lines.FirstOrDefault(l => l.StartsWith("Seeded demo street", StringComparison.Ordinal)) is { } line)
            {
                sb.AppendLine().AppendLine(I($"Seeder: `{line}`"));
            }

            sb.AppendLine();
            sb.AppendLine(I($"{w} warm-up iterations, then {n} measured, single thread, {(GCSettings.IsServerGC ? "server" : "workstation")} GC (as the app). Stopwatch per iteration; \"alloc\" is bytes allocated per operation on the measuring thread."));
            sb.AppendLine();
            sb.AppendLine("| Operation | mean | p50 | p95 | p99 | max | alloc/op |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            sb.AppendLine(Row("(a) `GetSnapshot()` after a change (build)", b, "µs", buildAlloc));
            sb.AppendLine(Row(I($"(b) `GetSnapshot()` cached (per call, batches of {Batch})"), c, "ns", cachedAlloc / Batch));
            sb.AppendLine(Row("(c) `JsonSerializer.SerializeToUtf8Bytes(snapshot)`", s, "µs", serializeAlloc));
            sb.AppendLine(Row(I($"(c′) the same with the grid polygons left out ({polygonFree:N0} instead of {payload.Length:N0} bytes; diagnostic only)"), Summary.Of(serializeNoPolygons), "µs", double.NaN));
            sb.AppendLine(Row("(a+c) build + serialise after a change", bc, "µs", bothAlloc));
            sb.AppendLine();
            sb.AppendLine(I($"First call in a fresh process (JIT included): build {firstBuildMs:0.0} ms, serialise {firstSerializeMs:0.0} ms. Payload: {payload.Length:N0} bytes of JSON ({Bytes(payload.Length)})."));
            sb.AppendLine();
            sb.AppendLine(I($"Where the payload's bytes are (each member serialised on its own): {SectionSizes(snapshot, json)}."));
            sb.AppendLine();

            report.Add(new Headline("Snapshot server time after a change: build + serialise, p95 (in-process)",
                I($"{bc.P95 / 1000:0.000} ms (mean {bc.Mean / 1000:0.000}, p99 {bc.P99 / 1000:0.000})"), "< 5 ms", Ratio(bc.P95 / 1000, TargetMs)));
            report.Add(new Headline("`GetSnapshot()` build after a change, p95", I($"{b.P95 / 1000:0.000} ms"), "< 5 ms", Ratio(b.P95 / 1000, TargetMs)));
            report.Add(new Headline("`GetSnapshot()` cached, p50 per call", I($"{c.P50:0} ns"), "< 5 ms", Ratio(c.P50 / 1_000_000, TargetMs)));
            report.Add(new Headline("Serialise snapshot, p95", I($"{s.P95 / 1000:0.000} ms"), "—", "—"));
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
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-http-");
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

        // After a change: POST a patrol check-in (a real write through IngestionService), then time only the GET.
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

        var stop = await app.StopAsync();
        var h = Summary.Of(cached);
        sb.AppendLine("### HTTP round trip over loopback (app process)").AppendLine();
        sb.AppendLine(I($"`GET /api/v1/snapshot` with `X-Api-Key`, one keep-alive connection, sequential, body read fully; client and server share the 2 cores. Simulator off, so the board does not change between requests (every request serialises the cached snapshot). {options.HttpWarmup} warm-up requests. App {stop}."));
        sb.AppendLine();
        sb.AppendLine("| Request | n | mean | p50 | p95 | p99 | max |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        sb.AppendLine(I($"| GET snapshot (cached) | {h.Count} | {h.Mean:0.000} ms | {h.P50:0.000} ms | {h.P95:0.000} ms | {h.P99:0.000} ms | {h.Max:0.000} ms |"));
        if (changed is { Count: > 0 })
        {
            var ch = Summary.Of(changed);
            sb.AppendLine(I($"| GET snapshot right after `POST /api/v1/patrols` (rebuilt) | {ch.Count} | {ch.Mean:0.000} ms | {ch.P50:0.000} ms | {ch.P95:0.000} ms | {ch.P99:0.000} ms | {ch.Max:0.000} ms |"));
            report.Add(new Headline("HTTP GET snapshot after a change, loopback, p95", I($"{ch.P95:0.000} ms (p50 {ch.P50:0.000})"), "< 5 ms", Ratio(ch.P95, TargetMs)));
        }

        sb.AppendLine();
        sb.AppendLine(I($"Payload on the wire: {bytes:N0} bytes (no response compression)."));
        if (changedNote is not null)
        {
            sb.AppendLine().AppendLine(I($"Note on the after-a-change row: {changedNote}."));
        }

        report.Add(new Headline("HTTP GET snapshot (cached), loopback, p50 / p95", I($"{h.P50:0.000} / {h.P95:0.000} ms"), "< 5 ms", Ratio(h.P95, TargetMs)));
    }

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
