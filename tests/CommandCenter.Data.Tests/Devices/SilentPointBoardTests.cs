using CommandCenter.Data.Devices;
using CommandCenter.Data.History;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Devices;

/// <summary>A waterlogging point's offline status goes from the silent-device job to the live board, and both judge by one rule.</summary>
public sealed class SilentPointBoardTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly HistoryOptions _options = new() { SilentFactor = 1, SilentGrace = TimeSpan.FromSeconds(30) };
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE WaterPoint SET ExpectedIntervalSeconds = 300; UPDATE Camera SET ExpectedIntervalSeconds = 3600", transaction: tx));
        _clock = new BoardClock(_time, TimeZoneInfo.Utc);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private SilenceMargin Margin => new(_options.SilentFactor, _options.SilentGrace);

    private async Task<LiveBoard> LoadBoardAsync()
    {
        var board = new LiveBoard(_clock, Margin);
        board.Load(await new BoardLoader(_db.Factory, _clock).LoadAsync());
        return board;
    }

    private SilentDeviceSweeper Sweeper(ILiveEventSink sink) =>
        new(_db.Factory, new TestHandlers(_db.Factory, sink, _clock).Alerts, _time, _options, sink, NullLogger<SilentDeviceSweeper>.Instance);

    private static WaterLevel Level(LiveBoard board) => board.GetSnapshot().WaterPoints.Single(p => p.Code == "WL-01").Level;

    [Fact]
    public async Task Sweeper_MarksPointOffline_BoardGetsTheEvent_ReloadAgrees_ReplayChangesNothing_AReadingBringsItBack()
    {
        var live = await LoadBoardAsync();
        var handlers = new TestHandlers(_db.Factory, live, _clock);
        await handlers.RecordReadingsAsync(new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 3, MeasuredAt = Start }] });
        var recording = new RecordingSink();
        var sweeper = Sweeper(new FanOut(live, recording));
        Assert.Empty((await sweeper.RunAsync()).PointsOffline);

        // 300 s × 1 + 30 s: at 329 s neither the job nor the board calls it silent.
        _time.Advance(TimeSpan.FromSeconds(329));
        Assert.Empty((await sweeper.RunAsync()).PointsOffline);
        live.Tick();
        Assert.NotEqual(WaterLevel.Silent, Level(live));

        // At 331 s the job marks it offline and publishes a status event with a sequence; the board shows it silent.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["WL-01"], (await sweeper.RunAsync()).PointsOffline);
        var offline = Assert.Single(recording.Events.OfType<WaterPointStatusEvent>());
        Assert.False(offline.Online);
        Assert.Equal(WaterPointStatusEvent.StampOf(_time.GetUtcNow(), offline.WaterPointId), offline.Sequence);
        Assert.Equal(WaterLevel.Silent, Level(live));

        // A board loaded from the database agrees and does not apply the same event again.
        var reloaded = await LoadBoardAsync();
        Assert.Equal(WaterLevel.Silent, Level(reloaded));
        var version = reloaded.Version;
        reloaded.Publish(offline);
        Assert.Equal(version, reloaded.Version);

        // The point reports: the board shows its level at once; the job then marks it online and says so.
        _time.Advance(TimeSpan.FromSeconds(5));
        await handlers.RecordReadingsAsync(new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 4, MeasuredAt = _time.GetUtcNow() }] });
        Assert.Equal(WaterLevel.Normal, Level(live));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["WL-01"], (await sweeper.RunAsync()).PointsOnline);
        Assert.Contains(recording.Events.OfType<WaterPointStatusEvent>(), e => e.Online && e.Sequence > offline.Sequence);
        Assert.Equal(WaterLevel.Normal, Level(await LoadBoardAsync()));
    }

    [Fact]
    public async Task OfflineMark_HoldsThePointSilent_UntilANewerReading_EvenWithinItsInterval()
    {
        // A reading 60 s ago, but the job (another node, another margin) marked the point offline after it.
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (1, 5, @At, @At); UPDATE WaterPoint SET IsOnline = 0, StatusAt = @Now WHERE Id = 1",
            new { At = Start.AddSeconds(-60), Now = Start }, tx));

        var board = await LoadBoardAsync();
        Assert.Equal(WaterLevel.Silent, Level(board));
        board.Publish(WaterPointStatusEvent.Of(1, true, Start.AddSeconds(1)));
        Assert.Equal(WaterLevel.Normal, Level(board));
        // An older mark than the one held changes nothing.
        board.Publish(WaterPointStatusEvent.Of(1, false, Start.AddSeconds(-5)));
        Assert.Equal(WaterLevel.Normal, Level(board));
    }

    private sealed class FanOut(params ILiveEventSink[] sinks) : ILiveEventSink
    {
        public void Publish(LiveEvent liveEvent)
        {
            foreach (var s in sinks) s.Publish(liveEvent);
        }
    }
}
