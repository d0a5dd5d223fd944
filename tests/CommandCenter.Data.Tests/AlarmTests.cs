using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>Waterlogging alarms written with their readings; camera alerts folded, acknowledged and dismissed.</summary>
public sealed class AlarmTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 7, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly Actor Operator = new(ActorKind.User, "1", "op", null);
    private static readonly Actor SouthOperator = new(ActorKind.User, "1", "op", 2);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        await using var c = await _db.Factory.OpenAsync();
        // WL-01: warning 15, alarm 30; margin 3 cm, pending 60 s.
        await c.ExecuteAsync("UPDATE WaterPoint SET HysteresisCm = 3, PendingSeconds = 60 WHERE Id = 1");
        await c.ExecuteAsync("INSERT INTO AppUser (Id, UserName, DisplayName, PasswordHash, Role, SecurityStamp, CreatedAt, PasswordChangedAt) " +
            "VALUES (1, 'op', 'Operator', 'x', 'Operator', 's', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private RecordReadingsHandler Readings(WaterAlarmTracker? tracker = null) => new(_db.Factory, _sink, _clock, tracker ?? new WaterAlarmTracker(_db.Factory));

    private static RecordReadings Batch(params (int Seconds, double Depth)[] readings) => new()
    {
        Readings = [.. readings.Select(r => new ReadingInput { SensorId = "WL-01", DepthCm = r.Depth, MeasuredAt = Now.AddMinutes(-30).AddSeconds(r.Seconds) })],
    };

    private async Task<List<(long Id, int Kind, DateTimeOffset RaisedAt, double PeakDepthCm, DateTimeOffset? ClearedAt)>> AlarmsAsync()
    {
        await using var c = await _db.Factory.OpenAsync();
        return [.. await c.QueryAsync<(long, int, DateTimeOffset, double, DateTimeOffset?)>("SELECT Id, Kind, RaisedAt, PeakDepthCm, ClearedAt FROM WaterAlarm ORDER BY Id")];
    }

    [Fact]
    public async Task Readings_ThatHoldAboveTheAlarmLine_WriteOneWarningAndOneAlarmRow_WithPeakAndClear()
    {
        var handler = Readings();
        await handler.HandleAsync(Batch((0, 10), (30, 35), (60, 36)), Actor.SystemActor);
        Assert.Empty(await AlarmsAsync()); // pending: not held for 60 s yet

        await handler.HandleAsync(Batch((90, 38), (120, 41), (150, 29)), Actor.SystemActor);
        var rows = await AlarmsAsync();
        Assert.Equal([1, 2], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(Now.AddMinutes(-30).AddSeconds(90), r.RaisedAt));
        Assert.All(rows, r => Assert.Equal(41, r.PeakDepthCm));
        Assert.All(rows, r => Assert.Null(r.ClearedAt)); // 29 is above 30 - 3

        // The same readings again (a redelivery) and a late one change nothing.
        await handler.HandleAsync(Batch((90, 38), (120, 41), (100, 2)), Actor.SystemActor);
        await handler.HandleAsync(Batch((180, 26)), Actor.SystemActor);
        rows = await AlarmsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(Now.AddMinutes(-30).AddSeconds(180), rows.Single(r => r.Kind == 2).ClearedAt);
        Assert.Null(rows.Single(r => r.Kind == 1).ClearedAt);

        var e = _sink.Events.OfType<ReadingsEvent>().Last();
        Assert.Equal([new WaterAlarmChange(rows[1].Id, 1, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared, 26, Now.AddMinutes(-30).AddSeconds(180))], e.Alarms);
    }

    [Fact]
    public async Task AfterARestart_TheStateIsRestoredFromOpenAlarms_AndNothingIsRaisedTwice()
    {
        await Readings().HandleAsync(Batch((0, 35), (60, 36), (90, 37)), Actor.SystemActor);
        Assert.Equal(2, (await AlarmsAsync()).Count);

        // A new handler (a restart) loads the open alarms and the last reading.
        await Readings().HandleAsync(Batch((120, 39), (150, 20)), Actor.SystemActor);
        var rows = await AlarmsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(39, rows.Single(r => r.Kind == 2).PeakDepthCm);
        Assert.NotNull(rows.Single(r => r.Kind == 2).ClearedAt);
    }

    [Fact]
    public async Task NoisyReadingsAtTheLine_WriteAtMostOneAlarm()
    {
        var rng = new Random(7);
        var handler = Readings();
        for (var batch = 0; batch < 20; batch++)
        {
            await handler.HandleAsync(new RecordReadings
            {
                Readings = [.. Enumerable.Range(0, 10).Select(i => new ReadingInput
                {
                    SensorId = "WL-01", DepthCm = 30 + ((rng.NextDouble() * 4) - 2), MeasuredAt = Now.AddHours(-2).AddSeconds((batch * 10 + i) * 30),
                })],
            }, Actor.SystemActor);
        }

        Assert.InRange((await AlarmsAsync()).Count(r => r.Kind == 2), 0, 1);
        Assert.DoesNotContain(await AlarmsAsync(), r => r.ClearedAt is not null);
    }

    [Fact]
    public async Task RepeatsWithinTheFoldWindow_FoldIntoTheOpenAlert_AndLaterOnesOpenANewOne()
    {
        var handler = new RaiseCameraAlertHandler(_db.Factory, _sink, _clock, new AlarmOptions { FoldWindowSeconds = 300 });
        RaiseCameraAlert Fire(int minutesAgo) => new() { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.9, OccurredAt = Now.AddMinutes(-minutesAgo) };

        var first = await handler.HandleAsync(Fire(20), Actor.SystemActor);
        var second = await handler.HandleAsync(Fire(17), Actor.SystemActor);
        var third = await handler.HandleAsync(Fire(13), Actor.SystemActor); // within 5 minutes of the last repeat
        var other = await handler.HandleAsync(Fire(13) with { Kind = "crowd" }, Actor.SystemActor);
        var later = await handler.HandleAsync(Fire(1), Actor.SystemActor);

        Assert.False(first.Folded);
        Assert.Equal((first.Id, true), (second.Id, second.Folded));
        Assert.Equal((first.Id, true), (third.Id, third.Folded));
        Assert.NotEqual(first.Id, other.Id);
        Assert.NotEqual(first.Id, later.Id);
        var view = (await new AlarmQueries(_db.Factory).CameraAlertsAsync(null, "fire_smoke", null, null, null)).Single(a => a.Id == first.Id);
        Assert.Equal(3, view.RepeatCount);
        Assert.Equal(Now.AddMinutes(-13), view.LastOccurredAt);
        Assert.Equal(3, _sink.Events.OfType<CameraAlertEvent>().Count()); // the folded repeats are not new alerts
    }

    [Fact]
    public async Task AcknowledgeThenDismiss_RecordsTimeToAcknowledge_IsIdempotent_AndAudited()
    {
        var alerts = new RaiseCameraAlertHandler(_db.Factory, _sink, _clock);
        var id = (await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.95, OccurredAt = Now.AddSeconds(-90) }, Actor.SystemActor)).Id;
        var actions = new CameraAlertActionHandler(_db.Factory, _sink, _clock);

        var acked = await actions.HandleAsync(id, AlertAction.Acknowledge, Operator);
        _time.Advance(TimeSpan.FromMinutes(1));
        var again = await actions.HandleAsync(id, AlertAction.Acknowledge, Operator);

        Assert.Equal("Acknowledged", acked!.Status);
        Assert.Equal(90, acked.SecondsToAcknowledge);
        Assert.Equal(1, acked.AcknowledgedByUserId);
        Assert.Equal(acked, again); // the same state, nothing written
        var dismissed = await actions.HandleAsync(id, AlertAction.Dismiss, Operator);
        Assert.Equal("Dismissed", dismissed!.Status);
        Assert.Equal(acked.AcknowledgedAt, dismissed.AcknowledgedAt);
        Assert.Equal(Now.AddMinutes(1), dismissed.ClosedAt);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(["alert.acknowledged", "alert.dismissed"],
            await c.QueryAsync<string>("SELECT Action FROM AuditLog WHERE EntityType = 'camera-alert' ORDER BY Id"));
        Assert.Equal(2, _sink.Events.OfType<AlarmHandledEvent>().Count());
    }

    [Fact]
    public async Task TheList_SaysWhetherTheCameraPlatformHasASnapshot()
    {
        var alerts = new RaiseCameraAlertHandler(_db.Factory, _sink, _clock);
        var with = (await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "intrusion", Confidence = 0.9, OccurredAt = Now.AddSeconds(-60), HasSnapshot = true }, Actor.SystemActor)).Id;
        var without = (await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "intrusion", Confidence = 0.9, OccurredAt = Now.AddSeconds(-30) }, Actor.SystemActor)).Id;
        var list = await new AlarmQueries(_db.Factory).CameraAlertsAsync("open", "intrusion", null, null, null);

        Assert.True(list.Single(a => a.Id == with).HasSnapshot);
        Assert.False(list.Single(a => a.Id == without).HasSnapshot);
        var acked = await new CameraAlertActionHandler(_db.Factory, _sink, _clock).HandleAsync(with, AlertAction.Acknowledge, Operator);
        Assert.True(acked!.HasSnapshot);
    }

    [Fact]
    public async Task DismissingAConvertedAlert_IsAConflict_AndAnotherCommunitysAlertIsNotFound()
    {
        var alerts = new RaiseCameraAlertHandler(_db.Factory, _sink, _clock);
        var id = (await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", OccurredAt = Now }, Actor.SystemActor)).Id;
        var actions = new CameraAlertActionHandler(_db.Factory, _sink, _clock);

        Assert.Null(await actions.HandleAsync(id, AlertAction.Acknowledge, SouthOperator)); // CAM-0001 is in the North
        Assert.Null(await actions.HandleAsync(999, AlertAction.Acknowledge, Operator));
        await using (var c = await _db.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE CameraAlert SET Status = 4 WHERE Id = @id", new { id });
        }

        var ex = await Assert.ThrowsAsync<ConflictException>(() => actions.HandleAsync(id, AlertAction.Dismiss, Operator));
        Assert.Equal("status", ex.Field);
        Assert.Equal("Converted", (await actions.HandleAsync(id, AlertAction.Acknowledge, Operator))!.Status);
    }

    [Fact]
    public async Task WaterAlarm_Acknowledge_OnceWithItsAudit_ThenAnswersTheSameState_AndTheOpenListDropsItWhenCleared()
    {
        var handler = Readings();
        await handler.HandleAsync(Batch((0, 35), (60, 36)), Actor.SystemActor);
        var queries = new AlarmQueries(_db.Factory);
        var alarm = (await queries.WaterAlarmsAsync(true, null, null, null)).Single(a => a.Kind == "Alarm");
        var ack = new AcknowledgeWaterAlarmHandler(_db.Factory, _sink, _clock);

        var first = await ack.HandleAsync(alarm.Id, Operator);
        _time.Advance(TimeSpan.FromMinutes(2));
        var second = await ack.HandleAsync(alarm.Id, Operator);

        Assert.Equal(first, second);
        Assert.Equal(Now, first!.AcknowledgedAt);
        Assert.Null(await ack.HandleAsync(alarm.Id, SouthOperator));
        Assert.Contains(await queries.WaterAlarmsAsync(true, null, null, null), a => a.Id == alarm.Id); // acknowledged, not cleared
        await handler.HandleAsync(Batch((90, 5)), Actor.SystemActor);
        Assert.DoesNotContain(await queries.WaterAlarmsAsync(true, null, null, null), a => a.Id == alarm.Id);
        Assert.Empty(await queries.WaterAlarmsAsync(false, null, null, 2)); // the South sees none
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'water-alarm.acknowledged'"));
    }

    [Fact]
    public async Task Notices_AreRaisedLive_RestoredByTheLoader_AndGoneOnceAcknowledged()
    {
        var loader = new Live.BoardLoader(_db.Factory, _clock);
        var live = new LiveBoard(_clock);
        live.Load(await loader.LoadAsync());
        var readings = new RecordReadingsHandler(_db.Factory, live, _clock, new WaterAlarmTracker(_db.Factory));
        var alerts = new RaiseCameraAlertHandler(_db.Factory, live, _clock);
        await readings.HandleAsync(new RecordReadings
        {
            Readings = [new() { SensorId = "WL-01", DepthCm = 35, MeasuredAt = Now.AddSeconds(-60) }, new() { SensorId = "WL-01", DepthCm = 36, MeasuredAt = Now }],
        }, Actor.SystemActor);
        var fire = await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.93, OccurredAt = Now.AddSeconds(-1) }, Actor.SystemActor);
        await alerts.HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "fire_smoke", Confidence = 0.5, OccurredAt = Now }, Actor.SystemActor);

        Assert.Equal([AlarmSource.WaterAlarm, AlarmSource.CameraAlert], live.GetSnapshot().Notices.Select(n => n.Source)); // newest first
        Assert.Equal(WaterLevel.Alarm, live.GetSnapshot().WaterPoints.Single().Level);
        var restored = new LiveBoard(_clock);
        restored.Load(await loader.LoadAsync());
        Assert.Equal(live.GetSnapshot().Notices, restored.GetSnapshot().Notices);
        Assert.Equal(WaterLevel.Alarm, restored.GetSnapshot().WaterPoints.Single().Level);
        Assert.Empty(restored.GetSnapshot(2).Notices); // both are in the North

        await new CameraAlertActionHandler(_db.Factory, live, _clock).HandleAsync(fire.Id, AlertAction.Acknowledge, Operator);
        Assert.Equal([AlarmSource.WaterAlarm], live.GetSnapshot().Notices.Select(n => n.Source));
        var afterAck = new LiveBoard(_clock);
        afterAck.Load(await loader.LoadAsync());
        Assert.Equal([AlarmSource.WaterAlarm], afterAck.GetSnapshot().Notices.Select(n => n.Source));
    }

    [Fact]
    public async Task Lists_NameABadStatusOrLimit()
    {
        var queries = new AlarmQueries(_db.Factory);
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => queries.CameraAlertsAsync("Burning", null, null, 0, null));
        Assert.Equal(["limit", "status"], ex.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
