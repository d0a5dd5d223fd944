using System.Diagnostics;
using System.Text;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Points;
using CommandCenter.Demo.Street;
using CommandCenter.Domain.Live;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// A year of demo activity scored from scratch (in-process, SQLite): the demo street's 90 days of history, with the
/// patrol check-ins, household visits, camera alerts, waterlogging alarms and loop actions copied three more times,
/// 91, 182 and 273 days earlier; then one scoring pass with no week scored yet (every week caught up and finalised).
/// </summary>
internal static class ScoringBench
{
    private const double TargetSeconds = 10;

    private static readonly string[] Copies =
    [
        "INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt, Lon, Lat, Note) SELECT StaffId, GridId, {0}(CheckedInAt), Lon, Lat, Note FROM PatrolCheckIn WHERE Id <= {1}",
        "INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt, Note) SELECT StaffId, HouseholdId, {0}(VisitedAt), Note FROM HouseholdVisit WHERE Id <= {1}",
        "INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt, AcknowledgedByUserId) " +
        "SELECT CameraId, Kind, Confidence, {0}(OccurredAt), {0}(ReceivedAt), Status, {0}(AcknowledgedAt), AcknowledgedByUserId FROM CameraAlert WHERE Id <= {1}",
        "INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, ClearedAt, AcknowledgedAt) " +
        "SELECT WaterPointId, Kind, {0}(RaisedAt), DepthCm, PeakDepthCm, {0}(ClearedAt), {0}(AcknowledgedAt) FROM WaterAlarm WHERE Id <= {1}",
        "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, LoopAction, ActorKind, StaffId) " +
        "SELECT IncidentId, Step, {0}(At), Actor, LoopAction, ActorKind, StaffId FROM IncidentStepLog WHERE Id <= {1} AND LoopAction IS NOT NULL",
    ];

    private static readonly string[] Tables = ["PatrolCheckIn", "HouseholdVisit", "CameraAlert", "WaterAlarm", "IncidentStepLog"];

    public static async Task RunAsync(Options options, Report report)
    {
        var folder = Directory.CreateTempSubdirectory("cc-bench-scoring-").FullName;
        try
        {
            await using var db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "cc.db")}" });
            await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
            var clock = new BoardClock(TimeProvider.System, BoardClock.FindZone("Asia/Shanghai"));
            Console.Error.WriteLine("[scoring] seeding the demo street...");
            await new DemoStreetSeeder(db, clock, NullLogger<DemoStreetSeeder>.Instance).SeedIfEmptyAsync();
            var counts = new StringBuilder();
            await using (var c = await db.OpenAsync())
            {
                foreach (var (sql, table) in Copies.Zip(Tables))
                {
                    var max = await c.ExecuteScalarAsync<long>($"SELECT COALESCE(MAX(Id), 0) FROM {table}");
                    foreach (var days in new[] { 91, 182, 273 })
                    {
                        await c.ExecuteAsync(Shift(sql, days, max));
                    }

                    counts.Append(I($"{table} {await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"):N0}; "));
                }
            }

            var scorer = new PointsScorer(db, clock);
            var service = new PointsScoringService(scorer, clock, new PointsScoringOptions { MaxCatchUpWeeks = 60 });
            Console.Error.WriteLine("[scoring] scoring from scratch...");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var weeks = await service.RunAsync();
            var seconds = watch.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            watch.Restart();
            var again = await service.RunAsync();
            var againSeconds = watch.Elapsed.TotalSeconds;
            long rows;
            await using (var c = await db.OpenAsync())
            {
                rows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM PointsLedger");
            }

            var sb = new StringBuilder();
            sb.AppendLine(I($"Source rows: {counts}(incident reports: the demo's 90 days only). {weeks.Count} weeks scored ({weeks.Count(w => w.Status == Domain.Points.ScoringRunStatus.Final)} finalised), {rows:N0} ledger rows written."));
            sb.AppendLine();
            sb.AppendLine("| pass | weeks | seconds (wall) | CPU seconds of the process |");
            sb.AppendLine("|---|---|---|---|");
            sb.AppendLine(I($"| from scratch | {weeks.Count} | **{seconds:0.00}** | {cpuSeconds:0.00} |"));
            sb.AppendLine(I($"| again (the running week only) | {again.Count} | {againSeconds:0.00} | — |"));
            report.Add(new Headline("Points: a year of demo activity scored from scratch (s)", I($"{seconds:0.00}"), I($"< {TargetSeconds:0}"), Ratio(seconds, TargetSeconds)));
            report.Section("Points scoring: a year from scratch", sb.ToString());
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
                // The OS cleans the temp folder.
            }
        }
    }

    /// <summary>The copy statement with every instant moved <paramref name="days"/> earlier (fixed-width UTC text keeps its fraction).</summary>
    private static string Shift(string sql, int days, long max)
    {
        var shifted = System.Text.RegularExpressions.Regex.Replace(sql, @"\{0\}\((\w+)\)",
            m => $"CASE WHEN {m.Groups[1].Value} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S', {m.Groups[1].Value}, '-{days} days') || substr({m.Groups[1].Value}, 20) END");
        return shifted.Replace("{1}", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
