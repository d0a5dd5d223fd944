using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Readings;
using CommandCenter.Web.Security;
using Microsoft.Data.Sqlite;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Water-depth readings over HTTP in batches against the raw SQLite insert limit measured in the same run: first, on a
/// copy of the app's migrated and seeded database, the same batches inserted straight into SensorReading (one
/// transaction per batch, one prepared command, WAL and synchronous=NORMAL as the app); then 4 clients POST
/// /api/v1/readings with batches of the same size to the app started on that database; readings/s and HTTP ÷ raw.
/// </summary>
internal static class ReadingsBench
{
    private const int Clients = 4;
    private const double TargetRatio = 0.5;

    /// <summary>The raw insert stops here even if --seconds has not passed (keeps the temp file to a few hundred MB).</summary>
    private const long RawRowCap = 2_000_000;

    private const int RawWarmupBatches = 5;
    private const long MaxRequests = 1_000_000;

    /// <summary>Readings go to the last 3 hours (never the future): a gateway sending what it has buffered.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromHours(3);

    public static async Task RunAsync(Options options, Report report)
    {
        var batch = options.Batch;
        var bodyLimit = MaxRequestBodyBytes(options.AppDll);
        var folder = Directory.CreateTempSubdirectory("cc-bench-readings-").FullName;
        try
        {
            var template = await BenchDatabase.BuildTemplateAsync(options, folder, "readings");
            List<(long Id, string Code)> points;
            long rowsBefore;
            using (var c = BenchDatabase.Open(template))
            {
                points = ReadPoints(c);
                rowsBefore = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM SensorReading");
            }

            if (points.Count == 0)
            {
                throw new InvalidOperationException("The seeded database has no water points (WaterPoint is empty): is the demo (Demo:Enabled) off in the app's appsettings.json?");
            }

            // The body of one batch must fit the app's request-body limit, or every request would be refused with 413.
            var probe = Body(new DistinctReadings(points, DateTimeOffset.UtcNow), batch)!;
            if (probe.Length > bodyLimit)
            {
                throw new InvalidOperationException(I($"A batch of {batch:N0} readings is {probe.Length:N0} bytes of JSON, over the app's Security:MaxRequestBodyBytes ({bodyLimit:N0}): use a smaller --batch."));
            }

            // (1) The raw limit: no app running, a copy of the same database file.
            var loads = new List<double?> { Report.LoadAverage() };
            var rawFile = Path.Combine(folder, "raw.db");
            BenchDatabase.Copy(template, rawFile);
            Console.Error.WriteLine(I($"[readings] raw SQLite insert, batches of {batch:N0}, up to {options.Seconds} s or {RawRowCap:N0} rows..."));
            var raw = RawInsert(rawFile, points, batch, options.Seconds);
            BenchDatabase.Delete(rawFile);
            Console.Error.WriteLine(I($"[readings] raw: {raw.Rows / raw.Seconds:N0} rows/s ({raw.Rows:N0} rows in {raw.Seconds:0.0} s)"));

            // (2) HTTP: the app on the same database, 4 clients posting batches.
            Console.Error.WriteLine("[readings] starting the app on the seeded database...");
            await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-readings-app-", extraArgs: BenchDatabase.RaisedRateLimits, database: template);
            await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
            using var client = AppProcess.Client(app.BaseAddress);
            var problemsBefore = app.Problems().Count;
            loads.Add(Report.LoadAverage());
            var readings = new DistinctReadings(points, DateTimeOffset.UtcNow);
            LoadRequest? Next() => Body(readings, batch) is { } body ? new LoadRequest(body, batch) : null;
            var load = await HttpLoad.RunAsync(client, "api/v1/readings", Clients, options.WarmupSeconds, options.Seconds, Next, MaxRequests, "readings");
            var stop = await app.StopAsync();
            var problems = app.Problems().Skip(problemsBefore).ToList();
            loads.Add(Report.LoadAverage());

            // Every acknowledged reading must be a row, and no (point, instant) pair may be there twice.
            long created, duplicates;
            using (var c = BenchDatabase.Open(app.DatabaseFile, wal: false))
            {
                created = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM SensorReading") - rowsBefore;
                duplicates = BenchDatabase.Scalar(c, "SELECT COUNT(*) FROM (SELECT 1 FROM SensorReading GROUP BY WaterPointId, MeasuredAt HAVING COUNT(*) > 1)");
            }

            Write(options, report, raw, load, points.Count, rowsBefore, probe.Length, bodyLimit, created, duplicates, problems, stop, loads);
        }
        finally
        {
            BenchDatabase.DeleteFolder(folder);
        }
    }

    internal sealed record RawResult(long Rows, long Batches, double Seconds, List<double> BatchMs, bool Capped);

    /// <summary>Batches of readings in one transaction each, one prepared command, for --seconds or up to the row cap.</summary>
    internal static RawResult RawInsert(string file, List<(long Id, string Code)> points, int batch, int seconds)
    {
        using var c = BenchDatabase.Open(file);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES ($point, $depth, $measured, $received)";
        var point = cmd.Parameters.Add("$point", SqliteType.Integer);
        var depth = cmd.Parameters.Add("$depth", SqliteType.Real);
        var measured = cmd.Parameters.Add("$measured", SqliteType.Text);
        var received = cmd.Parameters.Add("$received", SqliteType.Text);
        cmd.Prepare();
        var readings = new DistinctReadings(points, DateTimeOffset.UtcNow);

        bool Batch()
        {
            using var tx = c.BeginTransaction();
            cmd.Transaction = tx;
            received.Value = SqlTypeHandlers.ToSqlite(DateTimeOffset.UtcNow);
            for (var i = 0; i < batch; i++)
            {
                if (readings.Next() is not { } r)
                {
                    return false;
                }

                point.Value = points[r.Point].Id;
                depth.Value = r.DepthCm;
                measured.Value = SqlTypeHandlers.ToSqlite(r.At);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
            return true;
        }

        for (var i = 0; i < RawWarmupBatches; i++)
        {
            Batch();
        }

        var batchMs = new List<double>();
        long rows = 0;
        var t0 = Stopwatch.GetTimestamp();
        var end = t0 + (seconds * Stopwatch.Frequency);
        var capped = false;
        while (Stopwatch.GetTimestamp() < end)
        {
            if (rows + batch > RawRowCap)
            {
                capped = true;
                break;
            }

            var b0 = Stopwatch.GetTimestamp();
            if (!Batch())
            {
                break;
            }

            batchMs.Add(Time.Ms(b0, Stopwatch.GetTimestamp()));
            rows += batch;
        }

        return new RawResult(rows, batchMs.Count, Time.Ms(t0, Stopwatch.GetTimestamp()) / 1000, batchMs, capped);
    }

    /// <summary>{"readings":[{"sensorId":"WL-01","depthCm":12.5,"measuredAt":"...Z"}, ...]}, or null when the distinct instants are used up.</summary>
    private static byte[]? Body(DistinctReadings readings, int batch)
    {
        var buffer = new ArrayBufferWriter<byte>(batch * 80);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("readings");
            for (var i = 0; i < batch; i++)
            {
                if (readings.Next() is not { } r)
                {
                    return null;
                }

                w.WriteStartObject();
                w.WriteString("sensorId", readings.Code(r.Point));
                w.WriteNumber("depthCm", r.DepthCm);
                w.WriteString("measuredAt", r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Distinct (water point, instant) pairs: reading k goes to point k mod P at slot k div P; slots are the milliseconds
    /// 1..999 of each second from 3 hours ago (never a whole second, so never the instant of a seeded demo reading, which
    /// are whole seconds), up to one minute ago. Thread-safe; null once the window is used up (about 10.8 million readings
    /// per point).
    /// </summary>
    private sealed class DistinctReadings(List<(long Id, string Code)> points, DateTimeOffset now)
    {
        private readonly DateTimeOffset _from = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) - Window;
        private readonly DateTimeOffset _until = now - TimeSpan.FromMinutes(1);
        private long _next = -1;

        public string Code(int point) => points[point].Code;

        public (int Point, DateTimeOffset At, double DepthCm)? Next()
        {
            var k = Interlocked.Increment(ref _next);
            var slot = k / points.Count;
            var at = _from + TimeSpan.FromSeconds(slot / 999) + TimeSpan.FromMilliseconds(1 + (slot % 999));
            return at > _until ? null : ((int)(k % points.Count), at, 2.0 + ((k % 150) / 10.0));
        }
    }

    private static string Load(double? load) => load is { } v ? I($"{v:0.00}") : "—";

    internal static List<(long Id, string Code)> ReadPoints(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT Id, Code FROM WaterPoint ORDER BY Id";
        using var r = cmd.ExecuteReader();
        var list = new List<(long, string)>();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), r.GetString(1)));
        }

        return list;
    }

    /// <summary>Security:MaxRequestBodyBytes from the app's appsettings.json (the bench does not override it), else the option's default.</summary>
    private static long MaxRequestBodyBytes(string appDll)
    {
        var fallback = new SecurityOptions().MaxRequestBodyBytes;
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(appDll))!, "appsettings.json");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.TryGetProperty(SecurityOptions.SectionName, out var s) && s.TryGetProperty(nameof(SecurityOptions.MaxRequestBodyBytes), out var v) && v.TryGetInt64(out var n)
                ? n
                : fallback;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return fallback;
        }
    }

    private static void Write(Options options, Report report, RawResult raw, LoadResult load, int pointCount, long rowsBefore, int bodyBytes, long bodyLimit,
        long created, long duplicates, IReadOnlyList<string> problems, string stop, List<double?> loads)
    {
        var batch = options.Batch;
        var rawRate = raw.Seconds > 0 ? raw.Rows / raw.Seconds : 0;
        var httpRate = load.UnitsPerSecond;
        var ratio = rawRate > 0 ? httpRate / rawRate : 0;
        var rawBatch = raw.BatchMs.Count > 0 ? Summary.Of(raw.BatchMs) : null;
        var lat = load.Latency();

        var sb = new StringBuilder();
        sb.AppendLine(I($"Both on a copy of the app's own database after migration and demo seeding ({rowsBefore:N0} readings, {pointCount} water points), batches of {batch:N0} readings, every reading a distinct (water point, instant) pair: instants on the milliseconds 1–999 of each second of the last 3 hours (never a whole second, the seeded readings' instants; never the future), points round robin."));
        sb.AppendLine();
        sb.AppendLine(I($"- **Raw SQLite limit** (no app running, in the bench process, Microsoft.Data.Sqlite as the app): `INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt)` with one prepared command, one transaction per batch, `journal_mode=WAL`, `synchronous=NORMAL`, `foreign_keys=ON` as the app's connections; {RawWarmupBatches} warm-up batches, then for {options.Seconds} s or up to {RawRowCap:N0} rows{(raw.Capped ? " (the row cap ended it)" : "")}: **{rawRate:N0} rows/s** ({raw.Rows:N0} rows, {raw.Batches:N0} batches in {raw.Seconds:0.00} s; per batch p50 {rawBatch?.P50 ?? 0:0.00} ms, p95 {rawBatch?.P95 ?? 0:0.00} ms, max {rawBatch?.Max ?? 0:0.00} ms)."));
        sb.AppendLine(I($"- **HTTP**: `POST /api/v1/readings` over loopback with `X-Api-Key` (the demo key; rate limits raised to 1,000,000/min), {Clients} concurrent clients in a closed loop, {options.WarmupSeconds} s warm-up then {options.Seconds} s measured; app process started on the same seeded database, simulator off; a body is {bodyBytes:N0} bytes (limit {bodyLimit:N0}): **{httpRate:N0} readings/s** ({httpRate / batch:N1} batches/s); round trip per batch p50 {lat?.P50 ?? 0:0.0} ms, p95 {lat?.P95 ?? 0:0.0} ms, p99 {lat?.P99 ?? 0:0.0} ms, max {lat?.Max ?? 0:0.0} ms."));
        sb.AppendLine(I($"- **HTTP ÷ raw: {ratio:0.00}** (target ≥ {TargetRatio:0.0})."));
        sb.AppendLine(I($"- Machine load average (1 min), other processes included: raw start {Load(loads[0])}, HTTP start {Load(loads[1])}, HTTP end {Load(loads[2])}. Raw and HTTP run one after the other, so a neighbour's work can weigh on one and not the other."));
        sb.AppendLine();
        sb.AppendLine(I($"Readings per second over HTTP: {HttpLoad.Series(load)}."));
        sb.AppendLine();
        sb.AppendLine(I($"Rows the HTTP run added (read after the app stopped): {created:N0}, for {load.AcceptedUnitsAll:N0} readings acknowledged with a 2xx (warm-up included){(created == load.AcceptedUnitsAll ? "" : " — **mismatch**")}; (point, instant) pairs stored more than once: {duplicates:N0}. App {stop}."));
        if (load.FailureCount > 0)
        {
            sb.AppendLine();
            sb.AppendLine(I($"**{load.FailureCount:N0} failed request(s)** ({string.Join(", ", load.Failures.OrderBy(f => f.Key).Select(f => I($"{(f.Key == 0 ? "no answer" : f.Key.ToString(CultureInfo.InvariantCulture))}: {f.Value:N0}")))}); the first: `{load.FirstFailure?.ReplaceLineEndings(" ")}`"));
        }

        if (problems.Count > 0)
        {
            sb.AppendLine();
            sb.Append(HttpLoad.ProblemsNote(problems));
        }

        if (load.StoppedEarly is { } why)
        {
            sb.AppendLine().AppendLine(I($"The HTTP run {why}."));
        }

        report.Section("Water-depth readings over HTTP vs the raw SQLite insert limit", sb.ToString());
        report.Add(new Headline(I($"Readings/s: raw SQLite insert (batches of {batch:N0}) / HTTP ({Clients} clients)"), I($"{rawRate:N0} / {httpRate:N0}"), "—", "—"));
        report.Add(new Headline("Readings over HTTP ÷ raw SQLite insert limit", I($"{ratio:0.00}"), I($"≥ {TargetRatio:0.0}"), AtLeast(ratio, TargetRatio)));
        if (lat is not null)
        {
            report.Add(new Headline(I($"POST readings round trip (batch of {batch:N0}), p50 / p95 / p99"), I($"{lat.P50:0.0} / {lat.P95:0.0} / {lat.P99:0.0} ms"), "—", "—"));
        }

        if (load.FailureCount > 0 || duplicates > 0 || created != load.AcceptedUnitsAll)
        {
            report.Add(new Headline("Readings: failed requests / duplicate pairs / rows ≠ acknowledged", I($"{load.FailureCount:N0} / {duplicates:N0} / {created - load.AcceptedUnitsAll:N0}"), "0 / 0 / 0", "see the readings section"));
        }
    }
}
