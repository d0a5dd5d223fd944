using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

/// <summary>The board's water levels by the state machine, and the notices: raised by events, restored by the seed, gone on acknowledgement.</summary>
public sealed class LiveBoardAlarmTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<LiveChange> _changes = [];

    private LiveBoard Board(IReadOnlyList<NoticeItem>? notices = null, IReadOnlyDictionary<WaterAlarmKind, double>? peaks = null, double lastDepth = 2)
    {
        var board = new LiveBoard(new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai")), new CommandCenter.Domain.Devices.SilenceMargin(2, TimeSpan.Zero)); // 300 s × 2: the 10 minutes of a default point;
        board.Load(new BoardSeed
        {
            Communities = [new(1, "North", "北"), new(2, "South", "南")],
            Grids =
            [
                new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]], false),
                new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]], true),
            ],
            Cameras = [new(1, "CAM-1", "Gate", 2, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, true)],
            WaterPoints =
            [
                new(1, "WL-01", "Underpass", "下穿", 2, 1.5, 0.5, 15, 30, [new Reading(1, lastDepth, Now.AddMinutes(-1))])
                {
                    Settings = new LevelSettings(15, 30, 3, TimeSpan.FromSeconds(60), null),
                    OpenAlarmPeaks = peaks ?? new Dictionary<WaterAlarmKind, double>(),
                },
            ],
            Notices = notices ?? [],
        });
        board.Subscribe(_changes.Add);
        return board;
    }

    [Fact]
    public void WaterLevel_FollowsTheMachine_PendingThenAlarm_AndHysteresisOnTheWayDown()
    {
        var board = Board();
        board.Publish(new ReadingsEvent([new Reading(1, 35, Now.AddSeconds(-30))]) { Sequence = 1 });
        Assert.Equal(WaterLevel.Normal, board.GetSnapshot().WaterPoints[0].Level); // pending

        board.Publish(new ReadingsEvent([new Reading(1, 36, Now.AddSeconds(30))]) { Sequence = 2 });
        Assert.Equal(WaterLevel.Alarm, board.GetSnapshot().WaterPoints[0].Level);
        board.Publish(new ReadingsEvent([new Reading(1, 28, Now.AddSeconds(60))]) { Sequence = 3 });
        Assert.Equal(WaterLevel.Alarm, board.GetSnapshot().WaterPoints[0].Level); // 28 ≥ 30 − 3
        board.Publish(new ReadingsEvent([new Reading(1, 20, Now.AddSeconds(90))]) { Sequence = 4 });
        Assert.Equal(WaterLevel.Warning, board.GetSnapshot().WaterPoints[0].Level);
    }

    [Fact]
    public void Load_RestoresTheOpenLevel_FromTheOpenAlarmRows()
    {
        var board = Board(peaks: new Dictionary<WaterAlarmKind, double> { [WaterAlarmKind.Warning] = 33, [WaterAlarmKind.Alarm] = 33 }, lastDepth: 29);
        Assert.Equal(WaterLevel.Alarm, board.GetSnapshot().WaterPoints[0].Level); // 29 alone would be Warning by the lines
    }

    [Fact]
    public void Notices_RaisedByAlarmsAndHighConfidenceFire_ScopedByCommunity_AndGoneOnAcknowledgement()
    {
        var board = Board();
        board.Publish(new ReadingsEvent([new Reading(1, 40, Now)])
        {
            Sequence = 5,
            Alarms = [new WaterAlarmChange(7, 1, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, 40, Now)],
        });
        board.Publish(new CameraAlertEvent(21, 2, "fire_smoke", 0.92, Now.AddSeconds(1)) { Sequence = 21 });
        board.Publish(new CameraAlertEvent(22, 2, "fire_smoke", 0.5, Now.AddSeconds(2)) { Sequence = 22 });
        board.Publish(new CameraAlertEvent(23, 2, "crowd", 0.99, Now.AddSeconds(3)) { Sequence = 23 });

        Assert.Equal([(AlarmSource.CameraAlert, 21L), (AlarmSource.WaterAlarm, 7L)], board.GetSnapshot().Notices.Select(n => (n.Source, n.Id)));
        Assert.Equal([7L], board.GetSnapshot(1).Notices.Select(n => n.Id));
        Assert.Equal([21L], board.GetSnapshot(2).Notices.Select(n => n.Id));
        Assert.True((_changes[^3].Sections & LiveSections.Notices) != 0);

        board.Publish(new AlarmHandledEvent(AlarmSource.CameraAlert, 21, AlertStatus.Acknowledged, Now.AddMinutes(1)));
        board.Publish(new AlarmHandledEvent(AlarmSource.CameraAlert, 21, AlertStatus.Acknowledged, Now.AddMinutes(1))); // twice: nothing more
        Assert.Equal([7L], board.GetSnapshot().Notices.Select(n => n.Id));
        Assert.Equal(AlertStatus.Acknowledged, board.GetSnapshot().RecentAlerts.Single(a => a.Id == 21).Status);
        Assert.Equal(21, _changes[^1].Alert!.Id);
        var count = _changes.Count;
        board.Publish(new AlarmHandledEvent(AlarmSource.CameraAlert, 21, AlertStatus.Acknowledged, Now.AddMinutes(2)));
        Assert.Equal(count, _changes.Count);
    }

    [Fact]
    public void Load_KeepsTheSeedsNotices_AndTheRuleDecidesForAlerts()
    {
        var board = Board(notices:
        [
            new NoticeItem(AlarmSource.WaterAlarm, 7, 2, "Underpass", "下穿", "Alarm", 33, Now.AddMinutes(-5)),
            new NoticeItem(AlarmSource.CameraAlert, 8, 3, "Market", "Market", "fire_smoke", 0.95, Now.AddMinutes(-4)),
            new NoticeItem(AlarmSource.CameraAlert, 9, 3, "Market", "Market", "fire_smoke", 0.4, Now.AddMinutes(-3)),
        ]);

        Assert.Equal([8L, 7L], board.GetSnapshot().Notices.Select(n => n.Id));
    }
}
