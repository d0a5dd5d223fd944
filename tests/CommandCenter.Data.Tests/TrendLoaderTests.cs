using System.Text.Json;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Readings;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

public sealed class TrendLoaderTests
{
    [Fact]
    public async Task LoadAsync_TwoWeeksOfEvents_TrendsFromDatabaseEqualTrendsFromEvents()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(db.Factory);
        // 2026-11-09 08:00 in Shanghai, a Monday; two weeks later is Monday 2026-11-23.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero));
        var clock = new BoardClock(time, BoardClock.FindZone("Asia/Shanghai"));
        var loader = new BoardLoader(db.Factory, clock);
        var live = new LiveBoard(clock);
        live.Load(await loader.LoadAsync());
        var handlers = new TestHandlers(db.Factory, live, clock);
        string[] categories = ["fire", "noise", "sanitation"];

        for (var day = 0; day <= 14; day++)
        {
            for (var k = 0; k <= day % 3; k++)
            {
                // Hours spread over the local day, past midnight in UTC too.
                time.SetUtcNow(new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddHours((k * 9) + (day % 5)));
                var grid = 1 + ((day + k) % 3);
                var a = await handlers.ReportIncidentAsync(new ReportIncident { Category = categories[(day + k) % 3], GridId = grid, Source = "Resident", ReporterName = "r", Title = "t" });
                if ((day + k) % 2 == 0)
                {
                    for (var s = 0; s < 5; s++) await handlers.AdvanceIncidentAsync(a.Id);
                }

                await handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = k % 2 == 0 ? "CAM-0001" : "CAM-0002", Kind = "crowd", Confidence = 0.8 });
                var at = time.GetUtcNow();
                await handlers.RecordReadingsAsync(new RecordReadings
                {
                    Readings =
                    [
                        new() { SensorId = "WL-01", DepthCm = 10, MeasuredAt = at.AddMinutes(-30) },
                        new() { SensorId = "WL-01", DepthCm = day % 2 == 0 ? 31 : 20, MeasuredAt = at.AddMinutes(-20) },
                        new() { SensorId = "WL-01", DepthCm = 35, MeasuredAt = at.AddMinutes(-10) },
                    ],
                });
            }
        }

        time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero)); // Tuesday 07:00 in Shanghai
        live.Tick();
        var fromDb = new LiveBoard(clock);
        fromDb.Load(await loader.LoadAsync());

        static string Json(TrendStats t) => JsonSerializer.Serialize(t);
        var street = live.GetSnapshot().Trends;
        Assert.Equal(Json(street), Json(fromDb.GetSnapshot().Trends));
        Assert.Equal(Json(live.GetSnapshot(1).Trends), Json(fromDb.GetSnapshot(1).Trends));
        Assert.Equal(Json(live.GetSnapshot(2).Trends), Json(fromDb.GetSnapshot(2).Trends));
        Assert.Equal(new[] { "fire", "noise", "sanitation" }, street.Categories.Select(c => c.Key).Order());
        Assert.True(street.ReportedByHour.Sum() > 0);
        Assert.True(street.ReportedByHourLastWeek.Sum() > 0);
        Assert.True(street.ClosedByHourLastWeek.Sum() > 0);
        Assert.Equal(15 + 10 + 5, street.Categories.Sum(c => c.Days.Sum())); // 1, 2 or 3 reports a day over 15 days
        Assert.Equal(30, street.Alerts.Sum());
        Assert.True(street.Alarms.Sum() >= 8);
    }

    [Fact]
    public async Task LoadAsync_CountsTheAlarmLevelRowsTheMachineRaised_NotReadingsOverTheLine()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(db.Factory);
        var now = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        var clock = new BoardClock(new FakeTimeProvider(now), BoardClock.FindZone("Asia/Shanghai"));
        await using (var c = await db.Factory.OpenAsync())
        {
            // Readings over the alarm line (30 cm) that raised nothing (noise the machine held back) count nothing.
            foreach (var (depth, at) in new[] { (31.0, now.AddDays(-2)), (12.0, now.AddDays(-2).AddMinutes(1)), (33.0, now.AddDays(-2).AddMinutes(2)) })
            {
                await c.ExecuteAsync("INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (1, @depth, @at, @at)", new { depth, at });
            }

            // Rows: two Alarm-level ones five days ago (one cleared), one three days ago; a Warning and a rate-of-rise alarm
            // (not counted); an Alarm 40 days ago (outside the window).
            (int Kind, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt)[] rows =
            [
                (2, now.AddDays(-5), now.AddDays(-5).AddMinutes(30)), (2, now.AddDays(-5).AddHours(1), null), (2, now.AddDays(-3), null),
                (1, now.AddDays(-3), null), (3, now.AddDays(-3), null), (2, now.AddDays(-40), now.AddDays(-40).AddHours(1)),
            ];
            foreach (var (kind, raisedAt, clearedAt) in rows)
            {
                await c.ExecuteAsync("INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, ClearedAt) VALUES (1, @kind, @raisedAt, 31, 31, @clearedAt)",
                    new { kind, raisedAt, clearedAt });
            }
        }

        var seed = await new BoardLoader(db.Factory, clock).LoadAsync();
        var board = new LiveBoard(clock);
        board.Load(seed);

        var alarms = board.GetSnapshot().Trends.Alarms;
        Assert.Equal(3, alarms.Sum());
        Assert.Equal(2, alarms[^6]);
        Assert.Equal(1, alarms[^4]);
        Assert.Equal(3, board.GetSnapshot(1).Trends.Alarms.Sum()); // WL-01 is in grid 2, the North
    }

    [Fact]
    public async Task SyncAsync_EventsPublishedWhileLoadingAndReplays_CountOnceInTheTrends()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(db.Factory);
        var clock = new BoardClock(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero)), BoardClock.FindZone("Asia/Shanghai"));
        var board = new LiveBoard(clock);
        var loader = new BoardLoader(db.Factory, clock);
        var sync = new BoardSync(board, loader, NullLogger<BoardSync>.Instance);
        await sync.SyncAsync("test");
        var events = new List<LiveEvent>();
        var recorder = new RecordingSink(board, events);
        var handlers = new TestHandlers(db.Factory, recorder, clock);
        await handlers.ReportIncidentAsync(new ReportIncident { Category = "fire", GridId = 1, Source = "Hotline", ReporterName = "r", Title = "t" });

        board.BeginResync();
        var seed = await loader.LoadAsync(); // holds the first report
        await handlers.ReportIncidentAsync(new ReportIncident { Category = "noise", GridId = 3, Source = "Hotline", ReporterName = "r", Title = "t" });
        await handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.8 });
        board.Load(seed); // replays what the seed does not hold
        foreach (var e in events) board.Publish(e); // and redeliveries change nothing

        var t = board.GetSnapshot().Trends;
        Assert.Equal(2, t.ReportedByHour[14]);
        Assert.Equal(1, t.Alerts[^1]);
        await sync.SyncAsync("test");
        Assert.Equal(JsonSerializer.Serialize(t), JsonSerializer.Serialize(board.GetSnapshot().Trends));
    }

    private sealed class RecordingSink(LiveBoard board, List<LiveEvent> events) : ILiveEventSink
    {
        public void Publish(LiveEvent liveEvent)
        {
            events.Add(liveEvent);
            board.Publish(liveEvent);
        }
    }
}
