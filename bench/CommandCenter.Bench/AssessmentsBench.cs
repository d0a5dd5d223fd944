using System.Diagnostics;
using System.Text;
using CommandCenter.Data.Assessments;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Points;
using CommandCenter.Demo.Street;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Points and assessments, in-process on a SQLite file: the demo street (seeded with its 90 days of history) is extended
/// to a year of activity by copying its 13 weeks of incidents (closed, with their timelines), camera alerts, patrol
/// check-ins and household visits 13, 26 and 39 weeks back (same weekdays and hours). Then (1) the points of the whole
/// year are scored from scratch (every week, finalised, as the scoring job's catch-up does) and (2) one finished week is
/// assessed for all grids and all communities (computed and stored), several times.
/// </summary>
internal static class AssessmentsBench
{
    private const double ScoringTargetSeconds = 10;
    private const double AssessTargetSeconds = 1;
    private const int AssessRuns = 7;

    // Shifts a stored instant (yyyy-MM-ddTHH:mm:ss.fffffffZ) by @Shift ('-91 days'), keeping its format.
    private static string S(string column) => $"strftime('%Y-%m-%dT%H:%M:%S', {column}, @Shift) || substr({column}, 20)";

    public static async Task RunAsync(Options options, Report report)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-bench-assess-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "bench.db")}" });
            await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
            var clock = new BoardClock(TimeProvider.System, BoardClock.FindZone("Asia/Shanghai"));
            await new DemoStreetSeeder(db, clock, NullLogger<DemoStreetSeeder>.Instance).SeedIfEmptyAsync();
            await ExtendToAYearAsync(db);
            var counts = await CountsAsync(db);
            Console.Error.WriteLine($"[assess] a year of activity: {counts}");

            // (1) A year scored from scratch.
            var scoring = new PointsScoringService(new PointsScorer(db, clock), clock, new PointsScoringOptions { MaxCatchUpWeeks = 60, FinaliseAfter = TimeSpan.Zero });
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var weeks = await scoring.RunAsync();
            var scoringSeconds = watch.Elapsed.TotalSeconds;
            var scoringCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            int rows;
            await using (var c = await db.OpenAsync())
            {
                rows = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM PointsLedger");
            }

            // (2) One finished week, all grids and all communities.
            var settings = new AssessmentSettingsStore(db, clock);
            var engine = new AssessmentEngine(db, clock, settings);
            var week = Period.WeekOf(clock.Today).Previous();
            var times = new List<double>();
            var assessCpu = Process.GetCurrentProcess().TotalProcessorTime;
            int grids = 0, communities = 0;
            for (var i = 0; i < AssessRuns + 1; i++)
            {
                // Stored final after the first run, so each run recomputes without storing, then one stores (first).
                var t = Stopwatch.StartNew();
                var g = i == 0 ? await engine.RunAsync(AssessmentKind.Grid, week) : await engine.CalculateAsync(AssessmentKind.Grid, week, 0, AssessmentSettings.Default);
                var m = i == 0 ? await engine.RunAsync(AssessmentKind.Community, week) : await engine.CalculateAsync(AssessmentKind.Community, week, 0, AssessmentSettings.Default);
                if (i > 0) times.Add(t.Elapsed.TotalMilliseconds);
                else times.Insert(0, t.Elapsed.TotalMilliseconds);
                grids = g.Items.Count;
                communities = m.Items.Count;
            }

            var assessCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - assessCpu).TotalMilliseconds / (AssessRuns + 1);
            var first = times[0];
            var rest = times.Skip(1).Order().ToList();
            var median = rest[rest.Count / 2];
            var sb = new StringBuilder();
            sb.AppendLine(I($"Demo street extended to a year: {counts}."));
            sb.AppendLine();
            sb.AppendLine("| What | Figure |");
            sb.AppendLine("|---|---|");
            sb.AppendLine(I($"| Points: {weeks.Count} weeks scored from scratch and finalised (catch-up) | **{scoringSeconds:0.00} s** wall, {scoringCpu:0.00} s CPU of the process, {rows:N0} ledger rows |"));
            sb.AppendLine(I($"| Assessment of {week}: {grids} grids + {communities} communities, computed and stored (first, cold) | {first:0} ms |"));
            sb.AppendLine(I($"| Same, recomputed ({AssessRuns} runs): median / best / worst | **{median:0} ms** / {rest[0]:0} ms / {rest[^1]:0} ms (CPU per run, all {AssessRuns + 1} averaged: {assessCpuMs:0} ms) |"));
            report.Section("Points and assessments (in-process, SQLite)", sb.ToString());
            report.Add(new Headline("Points: a year of demo activity scored from scratch", I($"{scoringSeconds:0.00} s ({scoringCpu:0.00} s CPU)"), I($"< {ScoringTargetSeconds:0} s"),
                Ratio(scoringSeconds, ScoringTargetSeconds)));
            report.Add(new Headline("Assessment: one week, all grids and communities (median)", I($"{median:0} ms"), I($"< {AssessTargetSeconds * 1000:0} ms"),
                Ratio(median / 1000, AssessTargetSeconds)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static async Task ExtendToAYearAsync(DbConnectionFactory db) => await db.WriteAsync(async (c, tx) =>
    {
        var maxIncident = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(Id), 0) FROM Incident", transaction: tx);
        var maxAlert = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(Id), 0) FROM CameraAlert", transaction: tx);
        var maxPatrol = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(Id), 0) FROM PatrolCheckIn", transaction: tx);
        var maxVisit = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(Id), 0) FROM HouseholdVisit", transaction: tx);
        foreach (var k in new[] { 1, 2, 3 })
        {
            var args = new { Shift = I($"-{91 * k} days"), Offset = maxIncident * k, MaxId = maxIncident, Suffix = I($"-H{k}"), MaxAlert = maxAlert };
            await c.ExecuteAsync(
                "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, Step, Cycle, " +
                "ReportedAt, DueAt, ClosedAt, UpdatedAt, Caller, Priority, HolderKind, HolderId, Resolution, RejectReason, Satisfaction, ClosedOnTime) " +
                $"SELECT Id + @Offset, Number || @Suffix, Category, GridId, Source, ReporterName, ReporterPhone, Title, Description, Address, Lon, Lat, Step, Cycle, " +
                $"{S("ReportedAt")}, {S("DueAt")}, {S("ClosedAt")}, {S("UpdatedAt")}, Caller, Priority, HolderKind, HolderId, Resolution, RejectReason, Satisfaction, ClosedOnTime " +
                "FROM Incident WHERE Id <= @MaxId AND Step = 6", args, tx);
            await c.ExecuteAsync(
                "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, Note, LoopAction, FromStep, ActorKind, ActorId, StaffId) " +
                $"SELECT l.IncidentId + @Offset, l.Step, {S("l.At")}, l.Actor, l.Note, l.LoopAction, l.FromStep, l.ActorKind, l.ActorId, l.StaffId " +
                "FROM IncidentStepLog l JOIN Incident i ON i.Id = l.IncidentId WHERE i.Id <= @MaxId AND i.Step = 6", args, tx);
            await c.ExecuteAsync(
                "INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) " +
                $"SELECT CameraId, Kind, Confidence, {S("OccurredAt")}, {S("ReceivedAt")}, Status, {S("AcknowledgedAt")} FROM CameraAlert WHERE Id <= @MaxAlert", args, tx);
            await c.ExecuteAsync(
                $"INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt, Lon, Lat, Note) SELECT StaffId, GridId, {S("CheckedInAt")}, Lon, Lat, Note FROM PatrolCheckIn WHERE Id <= @Max",
                new { args.Shift, Max = maxPatrol }, tx);
            await c.ExecuteAsync(
                $"INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt, Note) SELECT StaffId, HouseholdId, {S("VisitedAt")}, Note FROM HouseholdVisit WHERE Id <= @Max",
                new { args.Shift, Max = maxVisit }, tx);
        }

        return 0;
    });

    private static async Task<string> CountsAsync(DbConnectionFactory db)
    {
        await using var c = await db.OpenAsync();
        var r = await c.QuerySingleAsync<(long Incidents, long Steps, long Alerts, long Patrols, long Visits, string First)>(
            "SELECT (SELECT COUNT(*) FROM Incident), (SELECT COUNT(*) FROM IncidentStepLog), (SELECT COUNT(*) FROM CameraAlert), (SELECT COUNT(*) FROM PatrolCheckIn), " +
            "(SELECT COUNT(*) FROM HouseholdVisit), (SELECT MIN(ReportedAt) FROM Incident)");
        return I($"{r.Incidents:N0} incidents, {r.Steps:N0} timeline rows, {r.Alerts:N0} camera alerts, {r.Patrols:N0} patrol check-ins, {r.Visits:N0} household visits since {r.First[..10]}");
    }
}
