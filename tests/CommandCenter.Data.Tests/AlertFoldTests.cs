using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>
/// Folded repeats keep their external ids (a redelivered repeat counts once) and reach the live board as
/// <see cref="CameraAlertFoldedEvent"/>s whose sequence is the repeat's row.
/// </summary>
public sealed class AlertFoldTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 7, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly Actor Webhook = new(ActorKind.ApiKey, "7", "vms", null);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private RaiseCameraAlertHandler Handler(ILiveEventSink? sink = null) =>
        new(_db.Factory, sink ?? _sink, _clock, new AlarmOptions { FoldWindowSeconds = 300 });

    private static RaiseCameraAlert Fire(string externalId, int secondsAgo, double confidence = 0.9) => new()
    {
        CameraId = "CAM-0001",
        Kind = "fire_smoke",
        Confidence = confidence,
        OccurredAt = Now.AddSeconds(-secondsAgo),
        ExternalId = externalId,
    };

    private async Task<(int RepeatCount, DateTimeOffset? LastOccurredAt, long Rows, long Repeats)> StateAsync(long alertId)
    {
        await using var c = await _db.Factory.OpenAsync();
        var (count, last) = await c.QuerySingleAsync<(int, DateTimeOffset?)>("SELECT RepeatCount, LastOccurredAt FROM CameraAlert WHERE Id = @alertId", new { alertId });
        var rows = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert");
        var repeats = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlertRepeat WHERE AlertId = @alertId", new { alertId });
        return (count, last, rows, repeats);
    }

    [Fact]
    public async Task ARedeliveredRepeat_IsADuplicateOfTheAlertItFoldedInto_AndCountsOnce()
    {
        var handler = Handler();
        var first = await handler.HandleAsync(Fire("frigate:a", 120), Webhook);
        var repeat = await handler.HandleAsync(Fire("frigate:b", 60), Webhook);
        var redelivered = await handler.HandleAsync(Fire("frigate:b", 60), Webhook);
        var retriedWithoutInstant = await handler.HandleAsync(Fire("frigate:b", 60) with { OccurredAt = null }, Webhook);

        Assert.Equal(new AlertAccepted(first.Id, false, Folded: true), repeat);
        Assert.Equal(new AlertAccepted(first.Id, true, Folded: true), redelivered);
        Assert.Equal(new AlertAccepted(first.Id, true, Folded: true), retriedWithoutInstant);
        Assert.Equal((2, Now.AddSeconds(-60), 1L, 1L), await StateAsync(first.Id));
        Assert.Single(_sink.Events.OfType<CameraAlertFoldedEvent>()); // the duplicates publish nothing
    }

    [Fact]
    public async Task ARepeatsIdReusedForADifferentAlert_IsAConflict_AndAnotherCallersSameId_FoldsOnItsOwn()
    {
        var handler = Handler();
        var first = await handler.HandleAsync(Fire("vms-1", 120), Webhook);
        await handler.HandleAsync(Fire("vms-2", 60), Webhook);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => handler.HandleAsync(Fire("vms-2", 60, confidence: 0.5), Webhook));
        Assert.Equal("externalId", ex.Field);
        var other = await handler.HandleAsync(Fire("vms-2", 30), Actor.SystemActor); // another caller's id space

        Assert.Equal(new AlertAccepted(first.Id, false, Folded: true), other);
        Assert.Equal((3, Now.AddSeconds(-30), 1L, 2L), await StateAsync(first.Id));
    }

    [Fact]
    public async Task AFold_PublishesTheAlertsCountAndLastOccurrence_WithTheRepeatRowAsSequence()
    {
        var handler = Handler();
        var first = await handler.HandleAsync(Fire("a", 120), Webhook);
        await handler.HandleAsync(Fire("b", 60), Webhook);
        await handler.HandleAsync(Fire("c", 90) with { ExternalId = null }, Webhook); // a late repeat: the last occurrence stays

        var folds = _sink.Events.OfType<CameraAlertFoldedEvent>().ToList();
        await using var c = await _db.Factory.OpenAsync();
        var rows = (await c.QueryAsync<long>("SELECT Id FROM CameraAlertRepeat ORDER BY Id")).ToList();
        Assert.Equal(
            [new CameraAlertFoldedEvent(first.Id, 1, 2, Now.AddSeconds(-60)) { Sequence = rows[0] }, new CameraAlertFoldedEvent(first.Id, 1, 3, Now.AddSeconds(-60)) { Sequence = rows[1] }],
            folds);
    }

    [Fact]
    public async Task TheBoard_ShowsAFoldLive_AndABoardLoadedAfterwardsShowsTheSame_WithoutCountingItAgain()
    {
        var loader = new BoardLoader(_db.Factory, _clock);
        var live = new LiveBoard(_clock);
        live.Load(await loader.LoadAsync());
        var changes = new List<LiveChange>();
        using var _ = live.Subscribe(changes.Add);
        var handler = Handler(live);

        var first = await handler.HandleAsync(Fire("a", 120), Webhook);
        await handler.HandleAsync(Fire("b", 60), Webhook);

        var shown = live.GetSnapshot().RecentAlerts.Single(a => a.Id == first.Id);
        Assert.Equal((2, Now.AddSeconds(-60)), (shown.RepeatCount, shown.LastOccurredAt));
        var change = changes[^1];
        Assert.Equal((ChangeKind.Alert, LiveSections.Alerts), (change.Kind, change.Sections));
        Assert.Equal(shown, change.Alert);
        Assert.Equal(1, live.GetSnapshot().Cameras.AlertsToday); // a repeat is not a new alert

        var reloaded = new LiveBoard(_clock);
        reloaded.Load(await loader.LoadAsync());
        Assert.Equal(live.GetSnapshot().RecentAlerts, reloaded.GetSnapshot().RecentAlerts);
        var version = reloaded.Version;
        reloaded.Publish(new CameraAlertFoldedEvent(first.Id, 1, 3, Now) { Sequence = await MaxRepeatIdAsync() }); // at the loaded high-water mark: a replay
        Assert.Equal(version, reloaded.Version);
    }

    private async Task<long> MaxRepeatIdAsync()
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT MAX(Id) FROM CameraAlertRepeat");
    }
}
