using System.Text;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Start-up to ready on an empty database: N runs, each a new process on a fresh temp folder; wall time from
/// just before Process.Start to the first 200 from /health/ready (runtime start, host build, migrations, demo
/// seeding, board load, Kestrel listening, first health check).
/// </summary>
internal static class StartupBench
{
    public static async Task RunAsync(Options options, Report report)
    {
        var rows = new List<(double ReadyMs, double? InitMs, double? SeedMs, double? GenMs, string Stop)>();
        for (var run = 1; run <= options.StartupRuns; run++)
        {
            Console.Error.WriteLine(I($"[startup] run {run}/{options.StartupRuns}..."));
            await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-startup-");
            var readyAfter = await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
            await Task.Delay(300); // let the last start-up lines reach stdout
            var seeded = app.SeederLine();
            var stop = await app.StopAsync();
            rows.Add((readyAfter.TotalMilliseconds, app.ReadyLineMs(), seeded?.SeedMs, seeded?.GenerationMs, stop));
            Console.Error.WriteLine(I($"[startup] run {run}: ready after {readyAfter.TotalMilliseconds:0} ms; {stop}"));
        }

        var ready = rows.Select(r => r.ReadyMs).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(I($"{rows.Count} run(s), each a new `dotnet CommandCenter.Web.dll` process on an empty SQLite database in a new temp folder (simulator off)."));
        sb.AppendLine("Measured: wall time from just before `Process.Start` to the first `200` from `GET /health/ready` (polled every 20 ms).");
        sb.AppendLine();
        sb.AppendLine("| Run | Process start → ready | Initializer (migrate + seed + load) | Seeding (app log) | of which generation | Shutdown |");
        sb.AppendLine("|---|---|---|---|---|---|");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sb.AppendLine(I($"| {i + 1} | {r.ReadyMs:0} ms | {Opt(r.InitMs)} | {Opt(r.SeedMs)} | {Opt(r.GenMs)} | {r.Stop} |"));
        }

        sb.AppendLine();
        sb.AppendLine(I($"Start → ready: min {ready.Min():0} ms, median {Summary.Median(ready):0} ms, max {ready.Max():0} ms."));
        var seeds = rows.Where(r => r.SeedMs is not null).Select(r => r.SeedMs!.Value).ToList();
        if (seeds.Count > 0)
        {
            sb.AppendLine(I($"Seeding alone (the seeder's own \"Seeded demo street ... in N ms\" line): min {seeds.Min():0} ms, median {Summary.Median(seeds):0} ms, max {seeds.Max():0} ms."));
        }
        else
        {
            sb.AppendLine("The seeder's \"Seeded demo street ... in N ms\" line was not found on stdout.");
        }

        report.Section("Start-up to ready (empty database, seeding included)", sb.ToString());
        report.Add(new Headline("Start-up to ready, empty DB, seeding included (median of " + rows.Count + ")",
            I($"{Summary.Median(ready) / 1000:0.00} s (min {ready.Min() / 1000:0.00}, max {ready.Max() / 1000:0.00})"),
            "measure and report", seeds.Count > 0 ? I($"seeding {Summary.Median(seeds) / 1000:0.00} s of it") : "—"));
    }

    private static string Opt(double? ms) => ms is { } v ? I($"{v:0} ms") : "—";
}
