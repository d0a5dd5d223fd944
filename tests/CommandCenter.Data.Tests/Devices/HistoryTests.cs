using CommandCenter.Data.Devices;
using CommandCenter.Data.History;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Devices;

/// <summary>Roll-ups (values, idempotency, catching up), retention in batches, silent devices — with a fake clock.</summary>
public sealed class HistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingSink _sink = new();
    private readonly HistoryOptions _options = new() { RetentionBatchSize = 7 };
    private SqliteDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private ReadingRollup Rollup => new(_db.Factory, _time, _options, NullLogger<ReadingRollup>.Instance);

    private static Task InsertReadingsAsync(DbConnectionFactory db, IEnumerable<(DateTimeOffset At, double Depth)> readings) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (1, @Depth, @At, @At)",
            readings.Select(r => new { r.At, r.Depth }), tx));

    private async Task<List<(string Bucket, double Min, double Max, double Avg, double Last, long Count)>> RowsAsync(string table)
    {
        await using var c = await _db.Factory.OpenAsync();
        return (await c.QueryAsync<(string, double, double, double, double, long)>(
            $"SELECT BucketStart, MinCm, MaxCm, AvgCm, LastCm, ReadingCount FROM {table} ORDER BY WaterPointId, BucketStart")).ToList();
    }

    [Fact]
    public async Task Rollup_MinuteAndHour_HaveMinMaxAvgLastCount_AndRunningTwiceChangesNothing()
    {
        // 10:00:10 → 4, 10:00:40 → 8, 10:01:05 → 6 (measured out of order on purpose: "last" is by time, not by id).
        await InsertReadingsAsync(_db.Factory, [(Start.AddHours(10).AddSeconds(40), 8), (Start.AddHours(10).AddSeconds(10), 4), (Start.AddHours(10).AddSeconds(65), 6)]);
        _time.SetUtcNow(Start.AddHours(11));

        await Rollup.RunAsync();
        var minutes = await RowsAsync("SensorReadingMinute");
        var hours = await RowsAsync("SensorReadingHour");
        await Rollup.RunAsync();

        Assert.Equal(2, minutes.Count);
        Assert.Equal(("2026-11-30T10:00:00.0000000Z", 4.0, 8.0, 6.0, 8.0, 2L), minutes[0]);
        Assert.Equal(("2026-11-30T10:01:00.0000000Z", 6.0, 6.0, 6.0, 6.0, 1L), minutes[1]);
        Assert.Equal(("2026-11-30T10:00:00.0000000Z", 4.0, 8.0, 6.0, 6.0, 3L), Assert.Single(hours));
        Assert.Equal(minutes, await RowsAsync("SensorReadingMinute"));
        Assert.Equal(hours, await RowsAsync("SensorReadingHour"));
    }

    [Fact]
    public async Task Rollup_AfterDowntime_CatchesUpEverything_AndCountsALateReadingWithinTheWindow()
    {
        // One reading per 10 minutes over 2 days, then the job runs once (the host was down).
        await InsertReadingsAsync(_db.Factory, Enumerable.Range(0, 288).Select(i => (Start.AddMinutes(10 * i), (double)(i % 50))));
        _time.SetUtcNow(Start.AddDays(2).AddMinutes(5));

        var doneUntil = await Rollup.RunAsync();

        Assert.Equal(Start.AddDays(2).AddMinutes(4), doneUntil);
        Assert.Equal(288, (await RowsAsync("SensorReadingMinute")).Count);
        var hours = await RowsAsync("SensorReadingHour");
        Assert.Equal(48, hours.Count);
        Assert.All(hours, h => Assert.Equal(6, h.Count));

        // A reading measured 3 minutes ago arrives late: the next run recomputes the late window and counts it.
        await InsertReadingsAsync(_db.Factory, [(Start.AddDays(2).AddMinutes(1), 99)]);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Rollup.RunAsync();
        Assert.Contains(await RowsAsync("SensorReadingMinute"), m => m.Bucket == "2026-12-02T00:01:00.0000000Z" && m.Max == 99);
        Assert.Equal(99, (await RowsAsync("SensorReadingHour")).Single(h => h.Bucket == "2026-12-02T00:00:00.0000000Z").Max);
    }

    [Fact]
    public async Task Rollup_NoReadings_DoesNothing()
    {
        Assert.Null(await Rollup.RunAsync());
    }

    [Fact]
    public async Task Retention_DeletesOnlyOldRolledUpRawRows_InBatches()
    {
        // 40 readings 100 days ago, 5 readings today.
        await InsertReadingsAsync(_db.Factory, Enumerable.Range(0, 40).Select(i => (Start.AddMinutes(i), 1.0)));
        _time.SetUtcNow(Start.AddDays(100));
        await InsertReadingsAsync(_db.Factory, Enumerable.Range(0, 5).Select(i => (Start.AddDays(100).AddMinutes(-30 + i), 2.0)));
        var retention = new ReadingRetention(_db.Factory, _time, _options, NullLogger<ReadingRetention>.Instance);

        // Nothing rolled up yet: nothing is deleted, whatever its age.
        Assert.Equal(0, (await retention.RunAsync()).RawDeleted);

        await Rollup.RunAsync();
        var result = await retention.RunAsync();

        Assert.Equal(40, result.RawDeleted);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(5, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading"));
        // The roll-ups of the deleted rows stay: the hour ones for good, the minute ones for MinuteRetentionDays.
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReadingMinute WHERE BucketStart < '2026-12-01'"));
        Assert.Equal(40, await c.ExecuteScalarAsync<long>("SELECT SUM(ReadingCount) FROM SensorReadingHour WHERE BucketStart < '2026-12-01'"));
    }

    [Fact]
    public async Task Readings_ServeRawMinuteAndHourSeries()
    {
        await InsertReadingsAsync(_db.Factory, [(Start.AddSeconds(10), 4), (Start.AddSeconds(40), 8)]);
        _time.SetUtcNow(Start.AddHours(2));
        await Rollup.RunAsync();
        var queries = new DeviceQueries(_db.Factory);
        var now = _time.GetUtcNow();

        var raw = await queries.ReadingsAsync("WL-01", ReadingHistoryRange.Validate(Start, now, "raw", now), Actor.SystemActor);
        var minute = await queries.ReadingsAsync("wl-01", ReadingHistoryRange.Validate(Start, now, "minute", now), Actor.SystemActor);
        var hour = await queries.ReadingsAsync("WL-01", ReadingHistoryRange.Validate(Start, now, "HOUR", now), Actor.SystemActor);

        Assert.Equal([4.0, 8.0], raw.Select(r => r.LastCm));
        Assert.Equal(new ReadingPoint(Start, 4, 8, 6, 8, 2), Assert.Single(minute));
        Assert.Equal(new ReadingPoint(Start, 4, 8, 6, 8, 2), Assert.Single(hour));
    }

    [Fact]
    public async Task SilentDevices_OfflineAfterTheMargin_OnlineWhenItReports_CameraStatusReachesTheBoardWithItsRowId()
    {
        var clock = new BoardClock(_time, TimeZoneInfo.Utc);
        var handlers = new TestHandlers(_db.Factory, _sink, clock);
        var options = new HistoryOptions { SilentFactor = 1, SilentGrace = TimeSpan.FromSeconds(30) };
        var sweeper = new SilentDeviceSweeper(_db.Factory, handlers.Alerts, _time, options, _sink, NullLogger<SilentDeviceSweeper>.Instance);
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE Camera SET ExpectedIntervalSeconds = 600; UPDATE WaterPoint SET ExpectedIntervalSeconds = 300", transaction: tx));

        // First look: nothing is silent yet (watched from now on).
        var first = await sweeper.RunAsync();
        Assert.Empty(first.CamerasOffline.Concat(first.PointsOffline));

        // 5:29 later the point is still within 300 s + 30 s; at 5:31 it is silent. Cameras (600 s) are not yet.
        _time.Advance(TimeSpan.FromSeconds(329));
        Assert.Empty((await sweeper.RunAsync()).PointsOffline);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["WL-01"], (await sweeper.RunAsync()).PointsOffline);

        _time.Advance(TimeSpan.FromSeconds(300));
        var cams = await sweeper.RunAsync();
        Assert.Equal(["CAM-0001", "CAM-0002"], cams.CamerasOffline.Order());
        var status = _sink.Events.OfType<CameraStatusEvent>().Where(e => !e.Online).ToList();
        Assert.Equal(2, status.Count);
        Assert.All(status, e => Assert.True(e.Sequence > 0));

        // Marked offline once only; the offline marker itself is not "seen".
        Assert.Empty((await sweeper.RunAsync()).CamerasOffline);

        // The point and one camera report again: both come back.
        _time.Advance(TimeSpan.FromSeconds(10));
        await handlers.RecordReadingsAsync(new CommandCenter.Domain.Readings.RecordReadings
        {
            Readings = [new CommandCenter.Domain.Readings.ReadingInput { SensorId = "WL-01", DepthCm = 1, MeasuredAt = _time.GetUtcNow() }],
        });
        await handlers.RaiseCameraAlertAsync(new CommandCenter.Domain.Cameras.RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", OccurredAt = _time.GetUtcNow() });
        _time.Advance(TimeSpan.FromSeconds(1));
        var back = await sweeper.RunAsync();
        Assert.Equal(["WL-01"], back.PointsOnline);
        Assert.Equal(["CAM-0001"], back.CamerasOnline);
        Assert.Contains(_sink.Events.OfType<CameraStatusEvent>(), e => e.Online && e.CameraId == 1);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT IsOnline FROM WaterPoint WHERE Id = 1"));
    }
}
