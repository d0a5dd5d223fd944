using CommandCenter.Data.Cameras;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>Frigate's has_snapshot stored on the alert (migration 0022), at once or marked by a later message of the event.</summary>
public sealed class FrigateSnapshotDataTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 7, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly Actor Mqtt = Actor.System("mqtt");
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(new FakeTimeProvider(Now), BoardClock.FindZone("Asia/Shanghai"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<string?> SnapshotOfAsync(long id) =>
        (await new IncidentQueries(_db.Factory, new FakeTimeProvider(Now)).ListRecentAlertsAsync(null)).Single(a => a.Id == id).SnapshotEventId;

    [Fact]
    public async Task AnAlertWithASnapshot_NamesItsFrigateEvent_OneWithoutIsMarkedByALaterMessage_OnceAndForItsCallerOnly()
    {
        var handler = new RaiseCameraAlertHandler(_db.Factory, new RecordingSink(), _clock);
        var marker = new MarkAlertSnapshotHandler(_db.Factory);
        var withSnapshot = await handler.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", OccurredAt = Now, ExternalId = "frigate:1718.1-aa", HasSnapshot = true }, Mqtt);
        var without = await handler.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "crowd", OccurredAt = Now, ExternalId = "frigate:1718.2-bb" }, Mqtt);
        var webhook = await handler.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "intrusion", OccurredAt = Now, ExternalId = "vms-1", HasSnapshot = true }, Mqtt);

        Assert.Equal("1718.1-aa", await SnapshotOfAsync(withSnapshot.Id));
        Assert.Null(await SnapshotOfAsync(without.Id));
        Assert.Null(await SnapshotOfAsync(webhook.Id)); // not a Frigate event: no link to build

        Assert.False(await marker.HandleAsync("CAM-0002", "frigate:1718.2-bb", Actor.SystemActor)); // another caller's id space
        Assert.False(await marker.HandleAsync("CAM-0001", "frigate:1718.2-bb", Mqtt));              // another camera
        Assert.True(await marker.HandleAsync("CAM-0002", "frigate:1718.2-bb", Mqtt));
        Assert.False(await marker.HandleAsync("CAM-0002", "frigate:1718.2-bb", Mqtt));              // marked already
        Assert.Equal("1718.2-bb", await SnapshotOfAsync(without.Id));
    }
}
