using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

/// <summary>The camera section shows a folded repeat on its alert: count and last occurrence, live, once per repeat row.</summary>
public sealed class AlertFoldBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<LiveChange> _changes = [];

    private LiveBoard Board(IReadOnlyDictionary<EventStream, long>? highWater = null, IReadOnlyList<AlertItem>? recent = null)
    {
        var board = new LiveBoard(new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai")));
        board.Load(new BoardSeed
        {
            Communities = [new(1, "North", "北"), new(2, "South", "南")],
            Grids =
            [
                new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]], false),
                new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]], true),
            ],
            Cameras = [new(1, "CAM-1", "Gate", 2, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, true)],
            RecentAlerts = recent ?? [],
            HighWater = highWater ?? new Dictionary<EventStream, long>(),
        });
        board.Subscribe(_changes.Add);
        return board;
    }

    [Fact]
    public void AFold_UpdatesTheListedAlert_AsAnAlertsChange_WithoutCountingANewAlert()
    {
        var board = Board();
        board.Publish(new CameraAlertEvent(21, 2, "crowd", 0.9, Now.AddMinutes(-3)) { Sequence = 21 });
        var trends = board.GetSnapshot().Trends.Alerts[^1];

        board.Publish(new CameraAlertFoldedEvent(21, 2, 2, Now.AddMinutes(-1)) { Sequence = 1 });

        var alert = Assert.Single(board.GetSnapshot().RecentAlerts);
        Assert.Equal((2, (DateTimeOffset?)Now.AddMinutes(-1), Now.AddMinutes(-3)), (alert.RepeatCount, alert.LastOccurredAt, alert.OccurredAt));
        var change = _changes[^1];
        Assert.Equal((ChangeKind.Alert, LiveSections.Alerts, alert), (change.Kind, change.Sections, change.Alert));
        Assert.Equal(1, board.GetSnapshot().Cameras.AlertsToday);
        Assert.Equal(trends, board.GetSnapshot().Trends.Alerts[^1]);
        Assert.Equal(alert, board.GetSnapshot(2).RecentAlerts.Single()); // the South's camera, in the South's cut
        Assert.Empty(board.GetSnapshot(1).RecentAlerts);
    }

    [Fact]
    public void AReplayedOrOlderFold_ChangesNothing_AndAFoldOfAnUnlistedAlert_EmitsNoChange()
    {
        var board = Board(highWater: new Dictionary<EventStream, long> { [EventStream.CameraAlertRepeat] = 4 });
        board.Publish(new CameraAlertEvent(21, 2, "crowd", 0.9, Now.AddMinutes(-3)) { Sequence = 21 });
        board.Publish(new CameraAlertFoldedEvent(21, 2, 3, Now.AddMinutes(-1)) { Sequence = 6 });
        var version = board.Version;

        board.Publish(new CameraAlertFoldedEvent(21, 2, 4, Now) { Sequence = 4 });            // at the loaded high-water mark
        board.Publish(new CameraAlertFoldedEvent(21, 2, 4, Now) { Sequence = 6 });            // applied already
        board.Publish(new CameraAlertFoldedEvent(21, 2, 2, Now.AddMinutes(-2)) { Sequence = 5 }); // delivered late: lower figures
        board.Publish(new CameraAlertFoldedEvent(99, 1, 2, Now) { Sequence = 7 });            // not among the newest alerts

        Assert.Equal(version, board.Version);
        var alert = Assert.Single(board.GetSnapshot().RecentAlerts);
        Assert.Equal((3, (DateTimeOffset?)Now.AddMinutes(-1)), (alert.RepeatCount, alert.LastOccurredAt));
    }

    [Fact]
    public void TheSeedsCount_IsKept_AndAFoldGoesOnFromIt()
    {
        var seeded = new AlertItem(21, 1, "Gate", 2, "fire_smoke", 0.95, Now.AddMinutes(-4), AlertStatus.Acknowledged) { RepeatCount = 5, LastOccurredAt = Now.AddMinutes(-2) };
        var board = Board(recent: [seeded]);
        Assert.Equal(seeded, board.GetSnapshot().RecentAlerts.Single());

        board.Publish(new CameraAlertFoldedEvent(21, 1, 6, Now) { Sequence = 9 });

        Assert.Equal(seeded with { RepeatCount = 6, LastOccurredAt = Now }, board.GetSnapshot().RecentAlerts.Single());
    }
}
