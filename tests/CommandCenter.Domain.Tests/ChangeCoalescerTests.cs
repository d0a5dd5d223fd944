using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

public sealed class ChangeCoalescerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly LiveBoard _board = new(new BoardClock(new FakeTimeProvider(Now), BoardClock.FindZone("Asia/Shanghai")));
    private readonly ChangeCoalescer _coalescer = new();

    public ChangeCoalescerTests()
    {
        _board.Load(new BoardSeed
        {
            Communities = [new(1, "North", "北"), new(2, "South", "南")],
            Grids =
            [
                new(1, 1, "G1", "Grid 1", "网格1", GridKind.Basic, [[0, 0], [1, 1]], true),
                new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [[2, 0], [3, 1]], true),
            ],
            Cameras = [new(1, "CAM-1", "Gate", 1, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, true)],
        });
        _board.Subscribe(c => _coalescer.Add(c));
    }

    private static IncidentEvent Report(long id, int grid) =>
        new(id, "N" + id, "fire", grid, "t", IncidentStep.Reported, null, Now, Now.AddHours(1), Now) { Sequence = id };

    [Fact]
    public void Take_AfterABurst_HoldsEveryMovedIncidentOnceInItsLatestStateAndTheVersionRange()
    {
        var before = _board.Version;
        for (var i = 1; i <= 500; i++) _board.Publish(Report(i, i % 2 == 0 ? 1 : 3));
        _board.Publish(Report(1, 3) with { Step = IncidentStep.Verified, PreviousStep = IncidentStep.Reported, Sequence = 1001 });

        var pending = _coalescer.Take()!;
        var batch = pending.ToBatch(_board, null);

        Assert.Null(_coalescer.Take());
        Assert.Equal(before + 1, batch.FromVersion);
        Assert.Equal(_board.Version, batch.ToVersion);
        Assert.Equal(500, batch.Incidents.Count);
        Assert.Equal(IncidentStep.Verified, batch.Incidents.Single(i => i.Id == 1).Step);
        Assert.Equal(500, batch.IncidentStats!.Open);
        Assert.Null(batch.Coverage);
        Assert.False(batch.Resync);
    }

    [Fact]
    public void ToBatch_ForACommunity_LeavesOutOtherCommunitiesAndCutsTheSections()
    {
        _board.Publish(Report(1, 1));
        _board.Publish(Report(2, 3));
        _board.Publish(new CameraAlertEvent(9, 2, "crowd", 0.9, Now) { Sequence = 9 });

        var batch = _coalescer.Take()!.ToBatch(_board, 2);

        Assert.Equal([2L], batch.Incidents.Select(i => i.Id));
        Assert.Equal(1, batch.IncidentStats!.Open);
        Assert.Equal([9L], batch.Alerts.Select(a => a.Id));
        Assert.Equal(1, batch.CameraStats!.Total);
    }

    [Fact]
    public void Add_FirstChangeAfterTake_SaysSo()
    {
        Assert.True(_coalescer.Add(new LiveChange(1, Now, ChangeKind.Tick)));
        Assert.False(_coalescer.Add(new LiveChange(2, Now, ChangeKind.Tick)));
        _coalescer.Take();
        Assert.True(_coalescer.Add(new LiveChange(3, Now, ChangeKind.Resync)));
        Assert.True(_coalescer.Take()!.Resync);
    }
}
