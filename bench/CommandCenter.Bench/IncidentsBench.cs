using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Incidents reported per second over HTTP with a growing open set: for each level (0, 10,000, 50,000 extra open incidents
/// written into the app's database before it starts, so its live board loads them), 8 clients POST /api/v1/incidents in a
/// closed loop for a warm-up and a measured window; incidents/s, per-second counts, latency, failures; then the ratio of the
/// last level's rate to the first's.
/// </summary>
internal static class IncidentsBench
{
    private const int Clients = 8;
    private const double TargetRatio = 0.8;
    private const long MaxRequests = 2_000_000;

    public static async Task RunAsync(Options options, Report report)
    {
        var folder = Directory.CreateTempSubdirectory("cc-bench-incidents-").FullName;
        try
        {
            var template = await BenchDatabase.BuildTemplateAsync(options, folder, "incidents");
            int[] grids;
            long seededOpen, seededRows;
            using (var c = BenchDatabase.Open(template))
            {
                grids = Read(c, "SELECT Id FROM Grid ORDER BY Id").Select(v => (int)v).ToArray();
                seededOpen = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM Incident WHERE Step < 6");
                seededRows = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM Incident");
            }

            if (grids.Length == 0)
            {
                throw new InvalidOperationException("The seeded database has no grids: is the demo (Demo:Enabled) off in the app's appsettings.json?");
            }

            var levels = new List<Level>();
            foreach (var extra in options.OpenLevels)
            {
                levels.Add(await RunLevelAsync(options, folder, template, grids, extra, seededOpen, seededRows));
            }

            Write(options, report, levels, seededOpen, grids.Length);
        }
        finally
        {
            BenchDatabase.DeleteFolder(folder);
        }
    }

    private sealed record Level(
        int Extra, double InsertMs, double ReadyMs, long OpenAtStart, long OpenAtEnd, LoadResult Load, long RowsCreated, bool Resynced, IReadOnlyList<string> Problems, string Stop, double? LoadBefore, double? LoadAfter);

    private static async Task<Level> RunLevelAsync(Options options, string folder, string template, int[] grids, int extra, long seededOpen, long seededRows)
    {
        var tag = I($"incidents {extra:N0}");
        var file = Path.Combine(folder, I($"open-{extra}.db"));
        BenchDatabase.Copy(template, file);
        var insertMs = InsertOpenIncidents(file, grids, extra);
        Console.Error.WriteLine(I($"[{tag}] {extra:N0} open incidents written in {insertMs:0} ms; starting the app on that database..."));

        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-incidents-app-", extraArgs: BenchDatabase.RaisedRateLimits, database: file);
        BenchDatabase.Delete(file); // the app has its own copy
        var ready = await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        using var client = AppProcess.Client(app.BaseAddress);
        var openAtStart = await OpenOnBoardAsync(client);
        if (openAtStart < seededOpen + extra)
        {
            throw new InvalidOperationException(I($"The app's board shows {openAtStart:N0} open incidents at start, expected {seededOpen + extra:N0} ({seededOpen:N0} seeded + {extra:N0})."));
        }

        var problemsBefore = app.Problems().Count;
        var loadBefore = Report.LoadAverage();
        var categories = IncidentCategories.All.Select(c => c.Entry.Code).ToArray();
        var sources = Enum.GetNames<IncidentSource>();
        long seq = -1;
        LoadRequest Next()
        {
            var k = Interlocked.Increment(ref seq);
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                category = categories[k % categories.Length],
                gridId = grids[(k * 7) % grids.Length],
                source = sources[k % sources.Length],
                reporterName = "bench",
                reporterPhone = "12345",
                title = I($"Bench load incident {k + 1} ({extra} open)"),
            });
            return new LoadRequest(body, 1);
        }

        var load = await HttpLoad.RunAsync(client, "api/v1/incidents", Clients, options.WarmupSeconds, options.Seconds, Next, MaxRequests, tag);
        var openAtEnd = await OpenOnBoardAsync(client);
        var resynced = app.Output.Any(l => l.Contains("Live board re-synced", StringComparison.Ordinal));
        var stop = await app.StopAsync();

        // Every 2xx must be a row: the API acknowledges only after the commit.
        long rows;
        using (var c = BenchDatabase.Open(app.DatabaseFile, wal: false))
        {
            rows = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM Incident");
        }

        return new Level(extra, insertMs, ready.TotalMilliseconds, openAtStart, openAtEnd, load, rows - seededRows - extra, resynced,
            app.Problems().Skip(problemsBefore).ToList(), stop, loadBefore, Report.LoadAverage());
    }

    /// <summary>Open incidents (steps 1–5, round robin) over every grid and category, reported over the last 7 days, in one transaction with one prepared command.</summary>
    private static double InsertOpenIncidents(string file, int[] grids, int count)
    {
        if (count == 0)
        {
            return 0;
        }

        var t0 = Stopwatch.GetTimestamp();
        using var c = BenchDatabase.Open(file);
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "INSERT INTO Incident (Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, " +
            "Step, Cycle, ReportedAt, DueAt, ClosedAt, UpdatedAt, ExternalId) VALUES " +
            "($number, $category, $grid, $source, 'bench', NULL, $title, '', NULL, NULL, NULL, $step, 1, $reported, $due, NULL, $reported, NULL)";
        var number = cmd.Parameters.Add("$number", Microsoft.Data.Sqlite.SqliteType.Text);
        var category = cmd.Parameters.Add("$category", Microsoft.Data.Sqlite.SqliteType.Text);
        var grid = cmd.Parameters.Add("$grid", Microsoft.Data.Sqlite.SqliteType.Integer);
        var source = cmd.Parameters.Add("$source", Microsoft.Data.Sqlite.SqliteType.Integer);
        var title = cmd.Parameters.Add("$title", Microsoft.Data.Sqlite.SqliteType.Text);
        var step = cmd.Parameters.Add("$step", Microsoft.Data.Sqlite.SqliteType.Integer);
        var reported = cmd.Parameters.Add("$reported", Microsoft.Data.Sqlite.SqliteType.Text);
        var due = cmd.Parameters.Add("$due", Microsoft.Data.Sqlite.SqliteType.Text);
        cmd.Prepare();

        var categories = IncidentCategories.All.Select(x => x.Entry.Code).ToArray();
        var now = DateTimeOffset.UtcNow;
        var spreadTicks = TimeSpan.FromDays(7).Ticks / count;
        for (var i = 0; i < count; i++)
        {
            var at = now - TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(spreadTicks * i);
            var cat = categories[i % categories.Length];
            number.Value = I($"BENCH{i + 1:D7}");
            category.Value = cat;
            grid.Value = grids[i % grids.Length];
            source.Value = 1 + (i % 5);
            title.Value = I($"Bench open incident {i + 1}");
            step.Value = 1 + (i % 5); // Reported .. FeedbackGiven: open
            reported.Value = SqlTypeHandlers.ToSqlite(at);
            due.Value = SqlTypeHandlers.ToSqlite(IncidentCategories.DueAt(cat, at));
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
        BenchDatabase.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE);");
        return Time.Ms(t0, Stopwatch.GetTimestamp());
    }

    /// <summary>incidents.open of GET /api/v1/snapshot: what the live board holds.</summary>
    private static async Task<long> OpenOnBoardAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("api/v1/snapshot", UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(I($"GET /api/v1/snapshot answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"));
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(body);
        return doc.RootElement.GetProperty("incidents").GetProperty("open").GetInt64();
    }

    private static string Load(double? load) => load is { } v ? I($"{v:0.00}") : "—";

    private static List<long> Read(Microsoft.Data.Sqlite.SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<long>();
        while (r.Read())
        {
            list.Add(r.GetInt64(0));
        }

        return list;
    }

    private static void Write(Options options, Report report, List<Level> levels, long seededOpen, int gridCount)
    {
        var sb = new StringBuilder();
        sb.AppendLine(I($"`POST /api/v1/incidents` over loopback with `X-Api-Key` (the demo key; rate limits raised to 1,000,000/min), {Clients} concurrent clients in a closed loop (each sends its next report when the previous answer is read), {options.WarmupSeconds} s warm-up then {options.Seconds} s measured, for each level of extra open incidents. Each level is a new app process (simulator off) on a copy of the seeded demo database ({seededOpen:N0} open incidents of its own, {gridCount} grids) into which the extra open incidents (steps Reported..FeedbackGiven round robin, every category and grid, reported over the last 7 days, no step log) were written before the start, so the live board loads them. Every report is a new incident (no `externalId`), category, grid and source varied. Client and app share the {Environment.ProcessorCount} cores."));
        sb.AppendLine();
        sb.AppendLine("| Extra open | Open on the board at start → end | Start → ready | Incidents/s | per second: min / median / max | p50 | p95 | p99 | max | Failed requests | Rows created / 2xx |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in levels)
        {
            var per = l.Load.PerSecond();
            var lat = l.Load.Latency();
            string Ms(double? v) => v is { } x ? I($"{x:0.0} ms") : "—";
            sb.AppendLine(I($"| {l.Extra:N0} | {l.OpenAtStart:N0} → {l.OpenAtEnd:N0} | {l.ReadyMs / 1000:0.0} s | **{l.Load.UnitsPerSecond:N1}** | {per.DefaultIfEmpty().Min():N0} / {Summary.Median(per.Select(v => (double)v).DefaultIfEmpty().ToList()):N0} / {per.DefaultIfEmpty().Max():N0} | {Ms(lat?.P50)} | {Ms(lat?.P95)} | {Ms(lat?.P99)} | {Ms(lat?.Max)} | {l.Load.FailureCount:N0} | {l.RowsCreated:N0} / {l.Load.AcceptedUnitsAll:N0} |"));
        }

        sb.AppendLine();
        sb.AppendLine("Latency is the client's round trip of the 2xx requests that ended in the measured window. Every accepted report is a new open incident, so the open set grows during each level by the number of reports (\"start → end\"); a level's figures are for its extra open incidents plus that growth. \"Rows created / 2xx\" compares the `Incident` rows the run added (read from the app's database after it stopped) with the 2xx answers of the whole run, warm-up included: they must be equal.");
        sb.AppendLine();
        foreach (var l in levels)
        {
            sb.AppendLine(I($"- {l.Extra:N0} extra open: {(l.Extra > 0 ? I($"written in {l.InsertMs:0} ms; ") : "")}incidents per second: {HttpLoad.Series(l.Load)}. Machine load average (1 min) {Load(l.LoadBefore)} → {Load(l.LoadAfter)}. App {l.Stop}."));
            sb.Append(HttpLoad.ProblemsNote(l.Problems, "  "));
            if (l.Load.FailureCount > 0)
            {
                sb.AppendLine(I($"  - **{l.Load.FailureCount:N0} failed request(s)** ({string.Join(", ", l.Load.Failures.OrderBy(f => f.Key).Select(f => I($"{(f.Key == 0 ? "no answer" : f.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {f.Value:N0}")))}); the first: `{l.Load.FirstFailure?.ReplaceLineEndings(" ")}`"));
            }

            if (l.Load.StoppedEarly is { } why)
            {
                sb.AppendLine(I($"  - The run {why}."));
            }

            if (l.Resynced)
            {
                sb.AppendLine("  - The hourly board re-sync job ran during this level (its log line was seen): it reloads every open incident, so this level's figures include it.");
            }

            if (l.RowsCreated != l.Load.AcceptedUnitsAll)
            {
                sb.AppendLine(I($"  - **Mismatch**: {l.RowsCreated:N0} rows for {l.Load.AcceptedUnitsAll:N0} acknowledged reports."));
            }
        }

        report.Section("Incidents reported over HTTP with a growing open set", sb.ToString());

        report.Add(new Headline(I($"Incidents/s over HTTP ({Clients} clients) with {string.Join(" / ", levels.Select(l => I($"{l.Extra:N0}")))} extra open"),
            string.Join(" / ", levels.Select(l => I($"{l.Load.UnitsPerSecond:N1}"))), "—", "—"));
        if (levels.Count >= 2)
        {
            var first = levels[0];
            var last = levels[^1];
            var ratio = first.Load.UnitsPerSecond > 0 ? last.Load.UnitsPerSecond / first.Load.UnitsPerSecond : 0;
            report.Add(new Headline(I($"Incidents/s with {last.Extra:N0} extra open ÷ with {first.Extra:N0}"), I($"{ratio:0.00}"), I($"≥ {TargetRatio:0.0}"), AtLeast(ratio, TargetRatio)));
        }

        foreach (var l in levels)
        {
            if (l.Load.Latency() is { } lat)
            {
                report.Add(new Headline(I($"POST incident round trip with {l.Extra:N0} extra open, p50 / p95 / p99"), I($"{lat.P50:0.0} / {lat.P95:0.0} / {lat.P99:0.0} ms"), "—", "—"));
            }
        }

        var failed = levels.Sum(l => l.Load.FailureCount);
        if (failed > 0)
        {
            report.Add(new Headline("Failed incident reports (non-2xx or no answer)", I($"{failed:N0}"), "0", "see the incidents section"));
        }
    }
}
