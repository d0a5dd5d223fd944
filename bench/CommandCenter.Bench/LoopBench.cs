using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Data.Sqlite;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// The closed loop at scale (issue 9): a database with <c>--history</c> incidents (default 1,000,000; written by
/// <see cref="Generate"/> in one transaction with one prepared command), then (a) the queue's first page with its counts
/// per step under each single filter, in-process (server time); (b) one action (rules, write, timeline row, live board
/// update) in-process with the live board as the sink; (c) actions per second through <c>POST /api/v1/incidents/{id}/actions/verify</c>
/// against the app process started on that database.
/// </summary>
internal static class LoopBench
{
    private const double QueueTargetMs = 50;
    private const double ActionTargetMs = 5;
    private const double RateTarget = 1000;
    private const int HttpClients = 16;

    public static async Task RunAsync(Options options, Report report)
    {
        var folder = Directory.CreateTempSubdirectory("cc-bench-loop-").FullName;
        try
        {
            var template = await BenchDatabase.BuildTemplateAsync(options, folder, "loop");
            var file = Path.Combine(folder, "history.db");
            BenchDatabase.Copy(template, file);
            var generated = Generate(file, options.History);
            Console.Error.WriteLine(I($"[loop] {options.History:N0} incidents written in {generated.Ms / 1000:0.0} s ({generated.Open:N0} open, {generated.Reported:N0} of them reported)"));

            var db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={file}" });
            var clock = new BoardClock(TimeProvider.System, BoardClock.FindZone("Asia/Shanghai"));
            var board = new LiveBoard(clock);
            var t0 = Stopwatch.GetTimestamp();
            board.Load(await new BoardLoader(db, clock).LoadAsync());
            var loadMs = Time.Ms(t0, Stopwatch.GetTimestamp());
            var settings = new LoopSettingsProvider(db, new IncidentLoopOptions(), clock);
            var queue = new IncidentQueue(db, settings, clock);
            var queueRows = await QueueAsync(queue, generated, options.Iterations);
            var actions = new IncidentActionHandler(db, board, clock, settings);
            var verify = await ActionsAsync(actions, generated.ReportedIds.Take(Math.Min(2000, generated.ReportedIds.Count / 4)).ToList(), IncidentStep.Reported, options.Warmup);
            var check = await ActionsAsync(actions, generated.FeedbackIds.Take(Math.Min(2000, generated.FeedbackIds.Count)).ToList(), IncidentStep.FeedbackGiven, options.Warmup);
            await db.DisposeAsync(); // the app is the only writer from here on
            SqliteConnection.ClearAllPools();

            // (c) Through the API: the rest of the reported incidents, each verified once.
            var remaining = generated.ReportedIds.Skip(Math.Min(2000, generated.ReportedIds.Count / 4)).ToArray();
            var http = await HttpAsync(options, file, remaining);
            Write(options, report, generated, loadMs, queueRows, verify, check, http);
        }
        finally
        {
            // CC_BENCH_KEEP=1 keeps the generated database (history.db) for profiling the app on it by hand.
            if (Environment.GetEnvironmentVariable("CC_BENCH_KEEP") == "1") Console.Error.WriteLine("[loop] kept " + folder);
            else BenchDatabase.DeleteFolder(folder);
        }
    }

    internal sealed record Generated(double Ms, long Open, long Reported, IReadOnlyList<long> ReportedIds, IReadOnlyList<long> FeedbackIds, int GridId, int CommunityId, int CenterId, string Word);

    /// <summary>
    /// 1,000,000 incidents of history (by default) over the last year: 94 % closed (resolved, 80 % on time), 6 % open — two
    /// thirds of those just reported (what the action runs verify), the rest dispatched, in process or awaiting the check —
    /// over every grid, category and source, the cycles 80 / 15 / 5 % with their holders. No timeline rows for the history.
    /// </summary>
    internal static Generated Generate(string file, int count)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var c = BenchDatabase.Open(file);
        var grids = new List<(int Id, int Community)>();
        using (var q = c.CreateCommand())
        {
            q.CommandText = "SELECT Id, CommunityId FROM Grid ORDER BY Id";
            using var r = q.ExecuteReader();
            while (r.Read()) grids.Add((r.GetInt32(0), r.GetInt32(1)));
        }

        var center = (int)BenchDatabase.Scalar(c, "SELECT Id FROM Department WHERE Code = 'center'");
        var first = BenchDatabase.Scalar(c, "SELECT COALESCE(MAX(Id), 0) FROM Incident") + 1;
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, " +
            "Step, Cycle, ReportedAt, DueAt, ClosedAt, UpdatedAt, ExternalId, RowVersion, HolderKind, HolderId, Priority, Resolution, ClosedOnTime) VALUES " +
            "($id, $number, $category, $grid, $source, 'bench', NULL, $title, '', NULL, NULL, NULL, $step, $cycle, $reported, $due, $closed, $reported, NULL, 1, " +
            "$holderKind, $holderId, $priority, $resolution, $onTime)";
        SqliteParameter P(string name, SqliteType type) => cmd.Parameters.Add(name, type);
        var id = P("$id", SqliteType.Integer);
        var number = P("$number", SqliteType.Text);
        var category = P("$category", SqliteType.Text);
        var grid = P("$grid", SqliteType.Integer);
        var source = P("$source", SqliteType.Integer);
        var title = P("$title", SqliteType.Text);
        var step = P("$step", SqliteType.Integer);
        var cycle = P("$cycle", SqliteType.Integer);
        var reported = P("$reported", SqliteType.Text);
        var due = P("$due", SqliteType.Text);
        var closed = P("$closed", SqliteType.Text);
        var holderKind = P("$holderKind", SqliteType.Integer);
        var holderId = P("$holderId", SqliteType.Integer);
        var priority = P("$priority", SqliteType.Integer);
        var resolution = P("$resolution", SqliteType.Integer);
        var onTime = P("$onTime", SqliteType.Integer);
        cmd.Prepare();

        string[] words = ["垃圾", "占道", "噪音", "积水", "消防通道", "违建", "路灯", "井盖", "Litter", "Parking"];
        var categories = IncidentCategories.All.Select(x => x.Entry.Code).ToArray();
        var now = DateTimeOffset.UtcNow;
        var openEvery = 100 / 6.0;
        var reportedIds = new List<long>();
        var feedbackIds = new List<long>();
        long open = 0;
        for (var i = 0; i < count; i++)
        {
            var incidentId = first + i;
            var isOpen = i % 50 < 3; // 6 %
            var g = grids[(int)((i * 7L) % grids.Count)];
            var cat = categories[i % categories.Length];
            var cyc = (i % 20) switch { < 16 => 1, < 19 => 2, _ => 3 };
            var at = isOpen
                ? now - TimeSpan.FromSeconds(60 + (i % 172_800)) // open: the last two days
                : now - TimeSpan.FromMinutes(120 + ((long)i * 525_600 / count)); // closed: over the year
            var hours = IncidentCategories.All.First(x => x.Entry.Code == cat).DeadlineHours;
            var dueAt = at.AddHours(hours);
            id.Value = incidentId;
            number.Value = I($"H{incidentId:D9}");
            category.Value = cat;
            grid.Value = g.Id;
            source.Value = 1 + (i % 5);
            title.Value = I($"{words[i % words.Length]} {i % 9973} history {i}");
            priority.Value = 1 + (i % 3);
            int s;
            if (isOpen)
            {
                open++;
                s = (i / 50) % 3 == 2 ? 2 + ((i / 150) % 4) : 1; // two thirds Reported, the rest Verified..FeedbackGiven
                if (s == 1 && cyc == 1) reportedIds.Add(incidentId);
                if (s == 5 && cyc == 1) feedbackIds.Add(incidentId);
                closed.Value = DBNull.Value;
                resolution.Value = 0;
                onTime.Value = DBNull.Value;
            }
            else
            {
                s = 6;
                var closedAt = at.AddHours(hours * ((i % 5) == 0 ? 1.5 : 0.5));
                closed.Value = SqlTypeHandlers.ToSqlite(closedAt);
                resolution.Value = 1;
                onTime.Value = closedAt <= dueAt ? 1 : 0;
            }

            step.Value = s;
            cycle.Value = cyc;
            holderKind.Value = cyc;
            holderId.Value = cyc switch { 1 => g.Id, 2 => g.Community, _ => center };
            reported.Value = SqlTypeHandlers.ToSqlite(at);
            due.Value = SqlTypeHandlers.ToSqlite(dueAt);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
        BenchDatabase.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE);");
        _ = openEvery;
        return new Generated(Time.Ms(t0, Stopwatch.GetTimestamp()), open, reportedIds.Count, reportedIds, feedbackIds, grids[0].Id, grids[0].Community, center, "积水");
    }

    internal sealed record QueueRow(string Filter, Summary Ms, int Total);

    private static async Task<List<QueueRow>> QueueAsync(IncidentQueue queue, Generated g, int iterations)
    {
        var n = Math.Clamp(iterations / 20, 20, 200);
        var filters = new (string Name, IncidentQueueQuery Query)[]
        {
            ("none (all incidents)", new()),
            ("step=Reported", new() { Step = "Reported" }),
            ("step=open", new() { Step = "open" }),
            ("category=flooding", new() { Category = "flooding" }),
            (I($"communityId={g.CommunityId}"), new() { CommunityId = g.CommunityId }),
            (I($"gridId={g.GridId}"), new() { GridId = g.GridId }),
            (I($"unitKind=department&unitId={g.CenterId}"), new() { UnitKind = "department", UnitId = g.CenterId }),
            ("cycle=large", new() { Cycle = "large" }),
            ("overdue=true", new() { Overdue = true }),
            ("source=Camera", new() { Source = "Camera" }),
            ("q=" + g.Word, new() { Q = g.Word }),
        };
        var rows = new List<QueueRow>();
        foreach (var (name, query) in filters)
        {
            var f = query.Validate();
            var times = new List<double>();
            var total = 0;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < n + 3; i++)
            {
                // A slow filter stops after 5 s (at least 5 measured calls): the figure is clear by then.
                if (times.Count >= 5 && Time.Ms(started, Stopwatch.GetTimestamp()) > 5000) break;
                var t0 = Stopwatch.GetTimestamp();
                var page = await queue.ListAsync(f, null);
                var ms = Time.Ms(t0, Stopwatch.GetTimestamp());
                total = page.Total;
                if (i >= 3) times.Add(ms);
            }

            rows.Add(new QueueRow(name, Summary.Of(times), total));
            Console.Error.WriteLine(I($"[loop] queue {name}: p50 {rows[^1].Ms.P50:0.0} ms, total {total:N0}"));
        }

        return rows;
    }

    internal sealed record ActionRow(string Action, Summary Ms, int Count);

    private static async Task<ActionRow> ActionsAsync(IncidentActionHandler handler, List<long> ids, IncidentStep from, int warmup)
    {
        var who = LoopActor.System("bench");
        var times = new List<double>();
        var i = 0;
        foreach (var id in ids)
        {
            LoopCommand command = from == IncidentStep.Reported ? new VerifyCommand(from, "bench") : new CheckCommand(from, true, 5, "bench");
            var t0 = Stopwatch.GetTimestamp();
            var r = await handler.HandleAsync(id, command, who, 1);
            var ms = Time.Ms(t0, Stopwatch.GetTimestamp());
            if (r is null) throw new InvalidOperationException(I($"incident {id} not found"));
            if (i++ >= Math.Min(warmup, ids.Count / 10)) times.Add(ms);
        }

        var name = from == IncidentStep.Reported ? "verify" : "check (pass, close)";
        Console.Error.WriteLine(I($"[loop] {name}: p50 {Summary.Of(times).P50:0.00} ms over {times.Count}"));
        return new ActionRow(name, Summary.Of(times), times.Count);
    }

    internal sealed record HttpResult(double Rate, Summary Ms, long Ok, long Failed, string? FirstFailure, double ReadyMs, long TimelineRows, long Verified, int[] PerSecond, double? LoadBefore, double? LoadAfter, double AppCpuMs, double ClientCpuMs, double SettledMs);

    private static async Task<HttpResult> HttpAsync(Options options, string file, long[] ids)
    {
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-loop-app-", extraArgs: BenchDatabase.RaisedRateLimits, database: file);
        var ready = await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        // On a history it has never seen, the app first runs every job once (the start-up catch-up: it scores and
        // assesses the whole year, re-syncs the board, renders the missed reports). The rate is the steady state: wait
        // at least 30 s, then until the app has been idle (under 10 % of a core) for three 3-second windows in a row.
        var settleStart = Stopwatch.GetTimestamp();
        var idle = 0;
        for (var i = 0; i < 200 && (idle < 3 || Stopwatch.GetElapsedTime(settleStart) < TimeSpan.FromSeconds(30)); i++)
        {
            var cpu0 = Process.GetProcessById(app.Id).TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(3));
            idle = (Process.GetProcessById(app.Id).TotalProcessorTime - cpu0).TotalMilliseconds < 300 ? idle + 1 : 0;
        }

        var settledMs = Time.Ms(settleStart, Stopwatch.GetTimestamp());
        Console.Error.WriteLine(I($"[loop] app idle {settledMs / 1000:0} s after ready (start-up catch-up of the jobs)"));
        using var client = AppProcess.Client(app.BaseAddress);
        var body = Encoding.UTF8.GetBytes("{\"fromStep\":\"Reported\"}");
        var next = -1;
        var samples = new ConcurrentBag<(long End, double Ms, int Status)>();
        string? firstFailure = null;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (options.WarmupSeconds * Stopwatch.Frequency);
        var end = measureStart + (options.Seconds * Stopwatch.Frequency);
        var loadBefore = Report.LoadAverage();
        using var trace = TraceIfAsked(app.Id, options.WarmupSeconds, options.Seconds);
        var workers = Enumerable.Range(0, HttpClients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= ids.Length) return;
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(I($"api/v1/incidents/{ids[k]}/actions/verify"), UriKind.Relative))
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                var t0 = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(request);
                    status = (int)response.StatusCode;
                    if (status != 200 && firstFailure is null) firstFailure = I($"{status}: {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException ex)
                {
                    status = 0;
                    firstFailure ??= ex.Message;
                }

                var t1 = Stopwatch.GetTimestamp();
                samples.Add((t1, Time.Ms(t0, t1), status));
            }
        })).ToArray();
        // CPU spent by the app and by this client during the measured seconds: per action, the cost that bounds the rate.
        var cpu = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var app0 = Process.GetProcessById(app.Id).TotalProcessorTime;
            var me0 = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            return (App: (Process.GetProcessById(app.Id).TotalProcessorTime - app0).TotalMilliseconds, Client: (Process.GetCurrentProcess().TotalProcessorTime - me0).TotalMilliseconds);
        });
        await Task.WhenAll(workers);
        var (appCpuMs, clientCpuMs) = await cpu;
        var loadAfter = Report.LoadAverage();
        var measured = samples.Where(s => s.End >= measureStart && s.End < end).ToList();
        var ok = measured.Count(s => s.Status == 200);
        var perSecond = new int[options.Seconds];
        foreach (var s in measured.Where(s => s.Status == 200))
        {
            perSecond[Math.Min(options.Seconds - 1, (int)((s.End - measureStart) / Stopwatch.Frequency))]++;
        }

        var window = Math.Min(options.Seconds, (samples.Max(s => s.End) - measureStart) / (double)Stopwatch.Frequency);
        await app.StopAsync();
        long timelineRows, verified;
        using (var c = BenchDatabase.Open(app.DatabaseFile, wal: false))
        {
            timelineRows = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM IncidentStepLog WHERE LoopAction = 1 AND Actor LIKE 'key:%'");
            verified = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM Incident WHERE Step = 2 AND RowVersion = 2");
        }

        if (measured.Count == 0)
        {
            throw new InvalidOperationException(I($"All {ids.Length:N0} reported incidents were verified during the {options.WarmupSeconds} s warm-up: nothing left to measure. Raise --history (about 4 % of it is reported) or lower --warmup-seconds."));
        }

        var allOk = samples.Count(s => s.Status == 200);
        if (timelineRows != allOk)
        {
            firstFailure ??= I($"timeline rows {timelineRows:N0} ≠ 200 answers {allOk:N0}");
        }

        Console.Error.WriteLine(I($"[loop] API: {ok / window:N0} actions/s; CPU per action: app {appCpuMs / Math.Max(1, ok):0.00} ms, client {clientCpuMs / Math.Max(1, ok):0.00} ms"));
        return new HttpResult(ok / window, Summary.Of(measured.Select(s => s.Ms).ToList()), ok, samples.Count(s => s.Status != 200), firstFailure,
            ready.TotalMilliseconds, timelineRows, verified, perSecond, loadBefore, loadAfter, appCpuMs / Math.Max(1, ok), clientCpuMs / Math.Max(1, ok), settledMs);
    }

    /// <summary>
    /// With <c>CC_BENCH_TRACE=/path/file.nettrace</c> set, samples the app's CPU with <c>dotnet-trace</c> (installed by
    /// <c>dotnet tool install -g dotnet-trace</c>) over the measured seconds; read it with <c>dotnet-trace report FILE topN</c>.
    /// </summary>
    private static Process? TraceIfAsked(int pid, int warmupSeconds, int seconds)
    {
        if (Environment.GetEnvironmentVariable("CC_BENCH_TRACE") is not { Length: > 0 } file) return null;
        var psi = new ProcessStartInfo("dotnet-trace") { UseShellExecute = false };
        foreach (var a in new[] { "collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
                     "-o", file, "--duration", TimeSpan.FromSeconds(warmupSeconds + seconds).ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi);
    }

    private static void Write(Options options, Report report, Generated g, double loadMs, List<QueueRow> queue, ActionRow verify, ActionRow check, HttpResult http)
    {
        var sb = new StringBuilder();
        sb.AppendLine(I($"A copy of the seeded demo database with **{options.History:N0} incidents of history** written by the bench's generator (`LoopBench.Generate`: one transaction, one prepared command, {g.Ms / 1000:0.0} s): 94 % closed over the last year, {g.Open:N0} open (reported in the last two days; {g.Reported:N0} just reported in the micro cycle), every grid, category and source, cycles 80 / 15 / 5 % with their holders; no timeline rows for the history. The live board loaded it in {loadMs:N0} ms."));
        sb.AppendLine();
        sb.AppendLine("**Queue: first page (50, newest first) with the counts per step, one filter at a time** — `IncidentQueue.ListAsync` in-process (server time, no HTTP):");
        sb.AppendLine();
        sb.AppendLine("| Filter | Total | mean | p50 | p95 | max | vs 50 ms |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var q in queue)
        {
            sb.AppendLine(I($"| `{q.Filter}` | {q.Total:N0} | {q.Ms.Mean:0.0} ms | {q.Ms.P50:0.0} ms | {q.Ms.P95:0.0} ms | {q.Ms.Max:0.0} ms | {Ratio(q.Ms.P95, QueueTargetMs)} |"));
        }

        sb.AppendLine();
        sb.AppendLine("**One action** — `IncidentActionHandler.HandleAsync` in-process: load, rules (version, fromStep, role), `UPDATE … WHERE RowVersion`, timeline row, audit row, commit, `LiveBoard.Publish` (the live update, applied in-line):");
        sb.AppendLine();
        sb.AppendLine("| Action | n | mean | p50 | p95 | p99 | max |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var a in new[] { verify, check })
        {
            sb.AppendLine(I($"| {a.Action} | {a.Count:N0} | {a.Ms.Mean:0.00} ms | {a.Ms.P50:0.00} ms | {a.Ms.P95:0.00} ms | {a.Ms.P99:0.00} ms | {a.Ms.Max:0.0} ms |"));
        }

        sb.AppendLine();
        sb.AppendLine(I($"**Actions through the API** — `POST /api/v1/incidents/{{id}}/actions/verify` with `If-Match: \"1\"` and `{{\"fromStep\":\"Reported\"}}`, each on a different incident, {HttpClients} clients in a closed loop over loopback with the demo key (rate limits raised), {options.WarmupSeconds} s warm-up then {options.Seconds} s measured; app process started on the same database (ready in {http.ReadyMs / 1000:0.0} s, idle {http.SettledMs / 1000:0} s later once the jobs' start-up catch-up had scored and assessed the history; measured after that). Load average {(http.LoadBefore is { } lb ? I($"{lb:0.00}") : "—")} → {(http.LoadAfter is { } la ? I($"{la:0.00}") : "—")}."));
        sb.AppendLine();
        sb.AppendLine("| actions/s | p50 | p95 | p99 | max | per second min / median / max | failed | timeline rows = 200 answers | CPU per action: app / client |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        var ps = http.PerSecond.Select(v => (double)v).ToList();
        sb.AppendLine(I($"| **{http.Rate:N0}** | {http.Ms.P50:0.0} ms | {http.Ms.P95:0.0} ms | {http.Ms.P99:0.0} ms | {http.Ms.Max:0} ms | {ps.Min():N0} / {Summary.Median(ps):N0} / {ps.Max():N0} | {http.Failed:N0} | {http.TimelineRows:N0} | {http.AppCpuMs:0.00} ms / {http.ClientCpuMs:0.00} ms |"));
        sb.AppendLine();
        sb.AppendLine("Answered 200 in each measured second: " + string.Join(", ", http.PerSecond.Select(v => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))) + ".");
        if (http.FirstFailure is not null)
        {
            sb.AppendLine();
            sb.AppendLine("First failure: `" + http.FirstFailure.Replace('\n', ' ')[..Math.Min(300, http.FirstFailure.Length)] + "`");
        }

        report.Section(I($"Closed loop with {options.History:N0} incidents (issue 9)"), sb.ToString());
        var worstQueue = queue.Max(q => q.Ms.P95);
        report.Add(new Headline(I($"Queue first page + counts, any one filter, {options.History:N0} incidents (worst p95)"), I($"{worstQueue:0.0} ms"), "< 50 ms", Ratio(worstQueue, QueueTargetMs)));
        var worstAction = Math.Max(verify.Ms.P95, check.Ms.P95);
        report.Add(new Headline("One action: rules, write, timeline, live update (worst p95)", I($"{worstAction:0.00} ms"), "< 5 ms", Ratio(worstAction, ActionTargetMs)));
        report.Add(new Headline("Actions per second through the API", I($"{http.Rate:N0}/s"), "≥ 1,000/s", AtLeast(http.Rate, RateTarget)));
    }
}
