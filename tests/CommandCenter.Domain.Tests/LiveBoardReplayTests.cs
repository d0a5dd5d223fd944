using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

/// <summary>Replays are harmless, re-syncs lose nothing, counts kept by deltas equal a recount, subscribers run outside the lock.</summary>
public sealed class LiveBoardReplayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero); // 14:00 in Shanghai, a Monday
    private readonly FakeTimeProvider _time = new(Now);
    private readonly LiveBoard _board;

    public LiveBoardReplayTests()
    {
        _board = new LiveBoard(new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai")));
        _board.Load(Seed());
    }

    private static BoardSeed Seed(IReadOnlyList<OpenIncidentSeed>? open = null, IReadOnlyDictionary<EventStream, long>? highWater = null,
        IReadOnlyDictionary<int, int>? reportedToday = null, IReadOnlyDictionary<int, int>? alertsToday = null) => new()
    {
        Communities = [new(1, "North", "北"), new(2, "South", "南")],
        Grids =
        [
            new(1, 1, "G1", "Grid 1", "网格1", GridKind.Basic, [[0, 0], [1, 1]], true),
            new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [[1, 0], [2, 1]], false),
            new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [[2, 0], [3, 1]], true),
        ],
        Cameras = [new(1, "CAM-1", "Gate", 1, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, true)],
        OpenIncidents = open ?? [],
        HighWater = highWater ?? new Dictionary<EventStream, long>(),
        ReportedTodayByGrid = reportedToday ?? new Dictionary<int, int>(),
        AlertsTodayByGrid = alertsToday ?? new Dictionary<int, int>(),
    };

    private static IncidentEvent Report(long id, long seq, int grid = 1, string category = "fire", double dueHours = 24) =>
        new(id, "N" + id, category, grid, "t", IncidentStep.Reported, null, Now, Now.AddHours(dueHours), Now) { Sequence = seq };

    private static IncidentEvent Move(IncidentEvent e, IncidentStep to, long seq) =>
        e with { Step = to, PreviousStep = e.Step, Sequence = seq };

    [Fact]
    public void Publish_SameAlertTwice_CountsOnceAndRaisesVersionOnce()
    {
        var alert = new CameraAlertEvent(7, 1, "crowd", 0.9, Now) { Sequence = 7 };
        _board.Publish(alert);
        var version = _board.Version;

        _board.Publish(alert);

        Assert.Equal(version, _board.Version);
        var s = _board.GetSnapshot();
        Assert.Equal(1, s.Cameras.AlertsToday);
        Assert.Single(s.RecentAlerts);
    }

    [Fact]
    public void Publish_SameIncidentEventTwice_CountsReportedOnce()
    {
        _board.Publish(Report(1, 10));
        _board.Publish(Report(1, 10));

        Assert.Equal(1, _board.GetSnapshot().Incidents.ReportedToday);
        Assert.Equal(1, _board.GetSnapshot().Incidents.Open);
    }

    [Fact]
    public void Publish_OlderMoveArrivingLate_IsIgnored()
    {
        var reported = Report(1, 10);
        _board.Publish(reported);
        _board.Publish(Move(reported, IncidentStep.Dispatched, 12));

        _board.Publish(Move(reported, IncidentStep.Verified, 11)); // committed before 12, delivered after it

        Assert.Equal(1, _board.GetSnapshot().Incidents.ByStep.Single(x => x.Step == IncidentStep.Dispatched).Count);
        Assert.Equal(0, _board.GetSnapshot().Incidents.ByStep.Single(x => x.Step == IncidentStep.Verified).Count);
    }

    [Fact]
    public void Publish_AnOlderMoveOfAnIncidentClosedSince_DoesNotOpenItAgain()
    {
        // Two writes that shared a transaction publish in any order: the check that closed it (13) before the feedback (12).
        var reported = Report(1, 10);
        _board.Publish(reported);
        var processed = Move(reported, IncidentStep.Processed, 11);
        _board.Publish(processed);
        var feedback = Move(processed, IncidentStep.FeedbackGiven, 12);
        _board.Publish(Move(feedback, IncidentStep.Closed, 13));

        _board.Publish(feedback); // committed before 13, delivered after it

        var s = _board.GetSnapshot().Incidents;
        Assert.Equal(0, s.Open);
        Assert.All(s.ByStep, st => Assert.Equal(0, st.Count));
        Assert.Equal(1, s.ClosedToday);

        // A later reopen still opens it.
        _board.Publish(Move(Move(feedback, IncidentStep.Closed, 13), IncidentStep.Verified, 14) with { PreviousClosedAt = Now });
        Assert.Equal(1, _board.GetSnapshot().Incidents.Open);
    }

    [Fact]
    public void Publish_AnEscalationDeliveredAfterALaterMove_StillCounts()
    {
        var reported = Report(1, 10);
        _board.Publish(reported);
        var escalated = Move(reported, IncidentStep.Reported, 11) with { Action = Incidents.LoopAction.Escalate, Cycle = IncidentCycle.Small };
        _board.Publish(Move(escalated, IncidentStep.Verified, 12) with { Action = Incidents.LoopAction.Verify });

        _board.Publish(escalated); // committed before 12, delivered after it
        _board.Publish(escalated); // and a replay of it

        Assert.Equal(1, _board.GetSnapshot().Incidents.Loop.EscalationsLastHour);
    }

    [Fact]
    public void Publish_AMoveBeforeItsReport_CountsTheReportOnce()
    {
        var reported = Report(1, 10);

        _board.Publish(Move(reported, IncidentStep.Verified, 11)); // the report's event is still on its way
        _board.Publish(reported);

        var s = _board.GetSnapshot().Incidents;
        Assert.Equal(1, s.ReportedToday);
        Assert.Equal(1, s.Open);
        Assert.Equal(1, s.ByStep.Single(x => x.Step == IncidentStep.Verified).Count);
        Assert.Equal(0, s.ByStep.Single(x => x.Step == IncidentStep.Reported).Count);
    }

    [Fact]
    public void Publish_EventAtOrBelowTheLoadedHighWater_IsANoOp()
    {
        _board.Load(Seed(highWater: new Dictionary<EventStream, long> { [EventStream.CameraAlert] = 50 }));
        var version = _board.Version;

        _board.Publish(new CameraAlertEvent(50, 1, "crowd", 0.9, Now) { Sequence = 50 });

        Assert.Equal(version, _board.Version);
        Assert.Equal(0, _board.GetSnapshot().Cameras.AlertsToday);
    }

    [Fact]
    public void Load_AfterBeginResync_ReplaysOnlyWhatTheSeedDoesNotHold()
    {
        // While the database is read: incident 1 is reported (seq 10) and closed (seq 11) before the read, incident 2
        // reported after it (seq 12), and an alert (seq 5) lands before the read.
        _board.BeginResync();
        var one = Report(1, 10);
        _board.Publish(one);
        _board.Publish(Move(one, IncidentStep.Closed, 11));
        _board.Publish(Report(2, 12, grid: 3));
        _board.Publish(new CameraAlertEvent(5, 1, "crowd", 0.9, Now) { Sequence = 5 });

        // The seed was read when step-log 11 and alert 5 were the newest rows: it knows incident 1 reported today and
        // closed, and the alert; not incident 2.
        _board.Load(Seed(
            highWater: new Dictionary<EventStream, long> { [EventStream.Incident] = 11, [EventStream.CameraAlert] = 5 },
            reportedToday: new Dictionary<int, int> { [1] = 1 },
            alertsToday: new Dictionary<int, int> { [1] = 1 }));

        var s = _board.GetSnapshot();
        Assert.Equal(2, s.Incidents.ReportedToday); // 1 from the seed + incident 2 replayed
        Assert.Equal(1, s.Incidents.Open);           // only incident 2
        Assert.Equal(1, s.Grids.Single(g => g.Id == 3).OpenIncidents);
        Assert.Equal(1, s.Cameras.AlertsToday);      // not counted twice
    }

    [Fact]
    public void Load_WithoutBeginResync_DoesNotReplayEarlierEvents()
    {
        _board.Publish(Report(1, 10));

        _board.Load(Seed());

        Assert.Equal(0, _board.GetSnapshot().Incidents.Open);
    }

    [Fact]
    public void CancelResync_StopsRecording()
    {
        _board.BeginResync();
        _board.Publish(Report(1, 10));
        _board.CancelResync();

        _board.Load(Seed());

        Assert.Equal(0, _board.GetSnapshot().Incidents.Open);
    }

    [Fact]
    public void Load_SeedWithDuplicateAndOddRows_SkipsThemAndSaysWhy()
    {
        var dup = new OpenIncidentSeed(1, "N1", "fire", 1, "t", IncidentStep.Reported, Now, Now.AddHours(1));
        var closed = dup with { Id = 2, Step = IncidentStep.Closed };
        var unknownGrid = dup with { Id = 3, GridId = 99 };

        var skipped = _board.Load(Seed(open: [dup, dup, closed, unknownGrid]));

        Assert.Equal(2, skipped.Count);
        Assert.Contains(skipped, s => s.Contains("incident 1", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Contains("incident 2", StringComparison.Ordinal));
        Assert.Equal(2, _board.GetSnapshot().Incidents.Open); // 1 and the one in an unknown grid
    }

    [Fact]
    public void Subscribe_SubscriberThatReadsTheBoardFromAnotherThread_DoesNotDeadlock()
    {
        var read = false;
        using var sub = _board.Subscribe(_ => read = Task.Run(() => _board.GetSnapshot()).Wait(TimeSpan.FromSeconds(10)));

        _board.Publish(Report(1, 10));

        Assert.True(read);
    }

    [Fact]
    public void Subscribe_ThrowingSubscriber_DoesNotStopOthers()
    {
        var errors = new List<Exception>();
        _board.SubscriberFailed = errors.Add;
        var seen = 0;
        using var bad = _board.Subscribe(_ => throw new InvalidOperationException("boom"));
        using var good = _board.Subscribe(_ => seen++);

        _board.Publish(Report(1, 10));

        Assert.Equal(1, seen);
        Assert.Single(errors);
    }

    [Fact]
    public void Tick_AfterManyIncidentsClosedBeforeTheirDeadline_CountsOnlyTheOpenOnesOverdue()
    {
        long seq = 1;
        for (var id = 1; id <= 5000; id++)
        {
            var e = Report(id, seq++, grid: 1 + (id % 3), dueHours: 1 + (id % 5));
            _board.Publish(e);
            if (id % 50 != 0) _board.Publish(Move(e, IncidentStep.Closed, seq++)); // leaves its deadline entry behind
        }

        _time.Advance(TimeSpan.FromHours(3.5)); // past the deadlines of 1, 2 and 3 hours

        Assert.True(_board.Tick());
        var s = _board.GetSnapshot();
        Assert.Equal(100, s.Incidents.Open);
        Assert.Equal(Enumerable.Range(1, 5000).Count(id => id % 50 == 0 && 1 + (id % 5) < 3.5), s.Incidents.Overdue);
    }

    /// <summary>Counts kept by deltas must equal a recount of the open set after any sequence of moves and ticks.</summary>
    [Fact]
    public void Publish_RandomMovesAndTicks_CountsEqualARecount()
    {
        var rnd = new Random(42);
        var model = new Dictionary<long, IncidentEvent>();
        string[] categories = ["fire", "noise", "sanitation"];
        long seq = 1;
        for (var op = 0; op < 3000; op++)
        {
            var choice = rnd.Next(10);
            if (choice < 4 || model.Count == 0)
            {
                var id = 1000 + op;
                var e = Report(id, seq++, grid: rnd.Next(1, 4), category: categories[rnd.Next(3)], dueHours: rnd.Next(1, 12));
                model[id] = e;
                _board.Publish(e);
            }
            else if (choice < 9)
            {
                var pick = model.Values.ElementAt(rnd.Next(model.Count));
                var next = Move(pick, pick.Step + 1, seq++);
                if (next.Step == IncidentStep.Closed) model.Remove(pick.Id);
                else model[pick.Id] = next;
                _board.Publish(next);
            }
            else
            {
                _time.Advance(TimeSpan.FromMinutes(rnd.Next(1, 40)));
                _board.Tick();
            }

            if (op % 250 == 0 || op == 2999)
            {
                var now = _time.GetUtcNow();
                var s = _board.GetSnapshot();
                Assert.Equal(model.Count, s.Incidents.Open);
                Assert.Equal(model.Values.Count(i => i.DueAt < now), s.Incidents.Overdue);
                foreach (var st in IncidentSteps.Open)
                {
                    Assert.Equal(model.Values.Count(i => i.Step == st), s.Incidents.ByStep.Single(x => x.Step == st).Count);
                }

                foreach (var c in categories)
                {
                    Assert.Equal(model.Values.Count(i => i.Category == c), s.Incidents.ByCategory.SingleOrDefault(k => k.Key == c)?.Count ?? 0);
                }

                Assert.Equal(model.Values.Count(i => i.GridId != 3), s.Incidents.ByCommunity.Single(k => k.Key == "1").Count);
                Assert.Equal(model.Values.Count(i => i.GridId == 3), _board.GetSnapshot(2).Incidents.Open);
                foreach (var g in s.Grids)
                {
                    Assert.Equal(model.Values.Count(i => i.GridId == g.Id), g.OpenIncidents);
                }
            }
        }
    }
}
