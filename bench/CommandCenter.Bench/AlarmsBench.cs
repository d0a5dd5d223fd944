using System.Text;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Alarm quality (ISA-18.2 / EEMUA 191: more than 10 alarms in 10 minutes per operator is a flood). A recorded storm is
/// replayed through the ingestion path — <see cref="RecordReadingsHandler"/> and <see cref="RaiseCameraAlertHandler"/> over
/// a migrated SQLite database, the live board as the sink — on a replay clock: 40 waterlogging points reporting every
/// 30 s for 3 hours with sensor noise, of which 8 truly rise above their alarm line (onsets spread over the storm), 16
/// hover just under a line with noise that crosses it, 4 send single-reading spikes, the rest stay dry; 3 cameras repeat a
/// fire/smoke detection (0.9) every 30 s for 10 minutes, and 10 send low-confidence ones. Reported: the most alarms
/// (Alarm-level WaterAlarm rows) plus banners (notices raised on the board) in any 10-minute window, and whether every
/// point whose true depth held above its alarm line longer than the pending time raised exactly one Alarm (and the others none).
/// </summary>
internal static class AlarmsBench
{
    private const int Points = 40;
    private const double WarningCm = 15, AlarmCm = 30, HysteresisCm = 3, RiseLimit = 2;
    private const int PendingSeconds = 60, IntervalSeconds = 30;
    private static readonly TimeSpan Storm = TimeSpan.FromHours(3);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const int FloodLimit = 10;

    public static async Task RunAsync(Options options, Report report)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-bench-alarms-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await RunInAsync(folder, report);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BenchDatabase.DeleteFolder(folder);
        }
    }

    private static async Task RunInAsync(string folder, Report report)
    {
        var start = new DateTimeOffset(2026, 7, 20, 0, 0, 0, TimeSpan.Zero);
        var time = new ReplayTime(start);
        var clock = new BoardClock(time, BoardClock.FindZone("Asia/Shanghai"));
        await using var db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "alarms.db")}" });
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        await InsertStreetAsync(db);
        var options = new AlarmOptions();
        var board = new LiveBoard(clock) { RaisesNotice = options.RaisesNotice };
        board.Load(await new BoardLoader(db, clock).LoadAsync());
        var banners = new List<DateTimeOffset>();
        var fireBannerTimes = new List<DateTimeOffset>();
        var seen = new HashSet<(AlarmSource, long)>();
        using var sub = board.Subscribe(change =>
        {
            if ((change.Sections & LiveSections.Notices) == 0) return;
            foreach (var n in board.GetSnapshot().Notices)
            {
                if (!seen.Add((n.Source, n.Id))) continue;
                lock (banners)
                {
                    banners.Add(n.At);
                    if (n.Source == AlarmSource.CameraAlert) fireBannerTimes.Add(n.At);
                }
            }
        });
        var readings = new RecordReadingsHandler(db, board, clock, new WaterAlarmTracker(db));
        var alerts = new RaiseCameraAlertHandler(db, board, clock, options);
        var storm = new StormModel(new Random(2026));
        var actor = Actor.System("bench");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var sent = 0;
        for (var t = TimeSpan.Zero; t <= Storm; t += TimeSpan.FromSeconds(IntervalSeconds))
        {
            var at = start + t;
            time.Now = at;
            var batch = new List<ReadingInput>(Points);
            for (var p = 1; p <= Points; p++)
            {
                batch.Add(new ReadingInput { SensorId = Code(p), DepthCm = Math.Round(storm.Measured(p, t), 1), MeasuredAt = at });
            }

            await readings.HandleAsync(new RecordReadings { Readings = batch }, actor);
            sent += batch.Count;
            foreach (var (camera, kind, confidence) in storm.Detections(t))
            {
                await alerts.HandleAsync(new RaiseCameraAlert { CameraId = camera, Kind = kind, Confidence = confidence, OccurredAt = at }, actor);
            }
        }

        watch.Stop();
        await using var c = await db.OpenAsync();
        var alarms = (await c.QueryAsync<(int Point, DateTimeOffset RaisedAt)>(
            "SELECT WaterPointId, RaisedAt FROM WaterAlarm WHERE Kind = 2 ORDER BY RaisedAt")).ToList();
        var riseAt = (await c.QueryAsync<DateTimeOffset>("SELECT RaisedAt FROM WaterAlarm WHERE Kind = 3")).ToList();
        var rise = riseAt.Count;
        var alertRows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert");
        var detections = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(RepeatCount), 0) FROM CameraAlert");
        // Alarms are the Alarm-level and rate-of-rise rows; a water alarm's banner is the alarm itself (counted once), plus
        // the banners of fire/smoke alerts.
        var all = alarms.Select(a => a.RaisedAt).Concat(riseAt).ToList();
        lock (banners) all.AddRange(fireBannerTimes);
        all.Sort();
        var maxInWindow = 0;
        for (var i = 0; i < all.Count; i++)
        {
            var j = i;
            while (j < all.Count && all[j] - all[i] < Window) j++;
            maxInWindow = Math.Max(maxInWindow, j - i);
        }

        var truly = Enumerable.Range(1, Points).Where(storm.TrulyHeldAboveAlarm).ToHashSet();
        var perPoint = alarms.GroupBy(a => a.Point).ToDictionary(g => g.Key, g => g.Count());
        var exactlyOne = truly.All(p => perPoint.GetValueOrDefault(p) == 1);
        var falseAlarms = perPoint.Keys.Count(p => !truly.Contains(p));
        var ok = exactlyOne && maxInWindow <= FloodLimit;

        var sb = new StringBuilder();
        sb.AppendLine(I($"Replay of a 3-hour storm through `RecordReadingsHandler` / `RaiseCameraAlertHandler` (SQLite, live board as the sink, replay clock): {Points} points every {IntervalSeconds} s ({sent:N0} readings in {sent / Points:N0} batches), warning {WarningCm} cm, alarm {AlarmCm} cm, margin {HysteresisCm} cm, pending {PendingSeconds} s, rise limit {RiseLimit} cm/min; {detections:N0} camera detections. Took {watch.Elapsed.TotalSeconds:0.0} s."));
        sb.AppendLine();
        sb.AppendLine("| Figure | Value |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(I($"| Points whose true depth held above the alarm line > pending time | {truly.Count} |"));
        sb.AppendLine(I($"| … of which raised exactly one Alarm | {truly.Count(p => perPoint.GetValueOrDefault(p) == 1)} |"));
        sb.AppendLine(I($"| Points that raised an Alarm although their true depth stayed under the line (noisy readings held above it for the pending time) | {falseAlarms} |"));
        sb.AppendLine(I($"| Alarm-level WaterAlarm rows | {alarms.Count} |"));
        sb.AppendLine(I($"| Rate-of-rise alarms | {rise} |"));
        sb.AppendLine(I($"| Camera detections → alert rows (folded within {options.FoldWindowSeconds} s) | {detections:N0} → {alertRows:N0} |"));
        sb.AppendLine(I($"| Banners raised (notices: Alarm levels and fire/smoke ≥ {options.NoticeConfidence}) | {banners.Count} |"));
        sb.AppendLine(I($"| **Most alarms (Alarm level and rate of rise) + fire banners in any 10 minutes** | **{maxInWindow}** (flood above {FloodLimit}) |"));
        report.Add(new Headline("Alarm quality: most alarms + banners in any 10 minutes (storm replay)", I($"{maxInWindow}"), I($"≤ {FloodLimit}"), maxInWindow <= FloodLimit ? "ok" : "MISSED"));
        report.Add(new Headline("Alarm quality: points truly above the alarm line raising exactly one Alarm", I($"{truly.Count(p => perPoint.GetValueOrDefault(p) == 1)} / {truly.Count}"), "all", exactlyOne ? "ok" : "MISSED"));
        report.Section("Alarm quality: a noisy storm replayed through the ingestion path", sb.ToString());
        if (!ok) Console.Error.WriteLine("[alarms] the alarm-quality targets were missed (see the report).");
    }

    private static string Code(int p) => I($"WL-{p:00}");

    private static async Task InsertStreetAsync(DbConnectionFactory db) => await db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("INSERT INTO Street (Id, Code, Name, NameZh) VALUES (1, '370402003', 'Bench Street', '基准街道')", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (1, 1, '370402003001', 'North', '北社区')", transaction: tx);
        await c.ExecuteAsync("INSERT INTO Grid (Id, CommunityId, Code, Name, NameZh, Kind) VALUES (1, 1, '370402003001001', 'Grid 1', '第一网格', 1)", transaction: tx);
        for (var i = 1; i <= 13; i++)
        {
            await c.ExecuteAsync("INSERT INTO Camera (Id, Code, Name, GridId, Lon, Lat, IsOnline) VALUES (@Id, @Code, @Code, 1, 117.5, 34.8, 1)",
                new { Id = i, Code = I($"CAM-{i:00}") }, tx);
        }

        for (var p = 1; p <= Points; p++)
        {
            await c.ExecuteAsync(
                "INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm, HysteresisCm, PendingSeconds, RiseLimitCmPerMin) " +
                "VALUES (@Id, @Code, @Code, @Code, 1, 117.5, 34.8, @W, @A, @H, @P, @R)",
                new { Id = p, Code = Code(p), W = WarningCm, A = AlarmCm, H = HysteresisCm, P = PendingSeconds, R = RiseLimit }, tx);
        }

        return 0;
    });

    /// <summary>The storm: a true depth per point and minute, plus sensor noise; the camera detections.</summary>
    private sealed class StormModel(Random rnd)
    {
        /// <summary>Points 1–8 truly rise above the alarm line, one every 12 minutes from minute 20, each held 25–40 minutes.</summary>
        public static bool Rises(int p) => p <= 8;

        /// <summary>Points 9–24 hover under a line: 9–16 at 28 cm (alarm line 30), 17–24 at 13.5 cm (warning line 15); noise ±2.5 cm crosses it.</summary>
        public static bool Hovers(int p) => p is >= 9 and <= 24;

        /// <summary>Points 25–28 are dry with one spurious 60 cm reading each.</summary>
        public static bool Spikes(int p) => p is >= 25 and <= 28;

        public double True(int p, TimeSpan t)
        {
            var m = t.TotalMinutes;
            if (Rises(p))
            {
                var onset = 20 + (12 * (p - 1));    // reaches the alarm line at this minute
                var hold = 25 + (2 * p);            // minutes above it
                var peak = 36 + p;
                if (m < onset - 30) return 5;
                if (m < onset) return 5 + ((AlarmCm - 5) * (m - (onset - 30)) / 30);             // slow rise to the line
                if (m < onset + 5) return AlarmCm + ((peak - AlarmCm) * (m - onset) / 5);           // faster to the peak
                if (m < onset + hold) return peak;
                return Math.Max(5, peak - (1.0 * (m - onset - hold)));                               // falling 1 cm/min
            }

            if (Hovers(p)) return p <= 16 ? 28 : 13.5;
            return 5;
        }

        public double Measured(int p, TimeSpan t)
        {
            if (Spikes(p) && (int)t.TotalSeconds == (600 + (900 * (p - 25)))) return 60;
            var noise = Hovers(p) ? 2.5 : 1.5;
            return Math.Max(0, True(p, t) + ((rnd.NextDouble() * 2) - 1) * noise);
        }

        /// <summary>Whether the true depth held at or above the alarm line longer than the pending time (every reading on it, noise included, stays above).</summary>
        public bool TrulyHeldAboveAlarm(int p) => Rises(p);

        public IEnumerable<(string Camera, string Kind, double Confidence)> Detections(TimeSpan t)
        {
            var s = (int)t.TotalSeconds;
            // Three cameras see a fire at minutes 40, 95 and 150 and repeat it every 30 s for 10 minutes.
            foreach (var (camera, from) in new[] { ("CAM-01", 40), ("CAM-02", 95), ("CAM-03", 150) })
            {
                if (t.TotalMinutes >= from && t.TotalMinutes < from + 10) yield return (camera, "fire_smoke", 0.9);
            }

            // Ten cameras send a low-confidence smoke detection now and then (no banner).
            if (s % 600 == 300) yield return (I($"CAM-{4 + (s / 600 % 10):00}"), "fire_smoke", 0.45);
        }
    }

    private sealed class ReplayTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
