using CommandCenter.Data.Incidents;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>After a burst of concurrent actions from several clients, every count on the board equals the database's.</summary>
public sealed class LoopBoardConsistencyTests
{
    [Fact]
    public async Task TwoHundredConcurrentActions_ThenEveryBoardCountEqualsTheDatabase()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(db.Factory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero)); // 09:00 in Shanghai
        var clock = new BoardClock(time, BoardClock.FindZone("Asia/Shanghai"));
        var loader = new BoardLoader(db.Factory, clock);
        var board = new LiveBoard(clock);
        board.Load(await loader.LoadAsync());
        var h = new TestHandlers(db.Factory, board, clock);
        string[] categories = ["fire", "sanitation", "flooding", "noise"];
        var ids = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await h.ReportIncidentAsync(new ReportIncident
            {
                Category = categories[i % categories.Length], GridId = i % 3 + 1, Source = "Hotline", ReporterName = "r", Title = "Burst " + i,
            })).Id);
        }

        time.Advance(TimeSpan.FromHours(5)); // the 4-hour deadlines pass: some are overdue
        board.Tick();

        var applied = 0;
        var conflicts = 0;
        var clients = Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            var rnd = new Random(client);
            var who = new LoopActor(Actor.System("client " + client), LoopCaller.System);
            for (var n = 0; n < 25; n++)
            {
                var id = ids[rnd.Next(ids.Count)];
                var state = await h.Actions.LoadStateAsync(id, who.Actor);
                var allowed = IncidentLoop.AllowedActions(state!, LoopCaller.System, clock.Now, new LoopSettings(DeadlineTable.Default, TimeSpan.FromDays(7), 1));
                if (allowed.Count == 0) continue;
                var action = allowed[rnd.Next(allowed.Count)];
                LoopCommand command = action switch
                {
                    LoopAction.Verify => new VerifyCommand(state!.Step),
                    LoopAction.Reject => new RejectCommand(state!.Step, RejectReason.Invalid),
                    LoopAction.Dispatch => new DispatchCommand(state!.Step),
                    LoopAction.Accept => new AcceptCommand(state!.Step),
                    LoopAction.Feedback => new FeedbackCommand(state!.Step, "done", []),
                    LoopAction.Check => new CheckCommand(state!.Step, rnd.Next(4) > 0, null),
                    LoopAction.Escalate => new EscalateCommand(state!.Step, "burst"),
                    _ => new ReopenCommand(state!.Step, "again"),
                };
                try
                {
                    if (await h.Actions.HandleAsync(id, command, who, state!.Version) is not null) Interlocked.Increment(ref applied);
                }
                catch (ConflictException)
                {
                    Interlocked.Increment(ref conflicts); // another client moved it between our read and our write
                }
            }
        })).ToList();
        await Task.WhenAll(clients);
        board.Tick();

        Assert.True(applied >= 100, $"only {applied} of 200 actions applied ({conflicts} conflicts)");
        await AssertBoardEqualsDatabaseAsync(board.GetSnapshot(), db, clock);

        // And a board loaded afresh from the database says the same as the one kept by events.
        var reloaded = new LiveBoard(clock);
        reloaded.Load(await loader.LoadAsync());
        var kept = board.GetSnapshot().Incidents;
        var loaded = reloaded.GetSnapshot().Incidents;
        Assert.Equal(kept.ByStep, loaded.ByStep);
        Assert.Equal(kept.Loop.ByCycle, loaded.Loop.ByCycle);
        Assert.Equal(kept.Loop.Overdue.Select(o => o.Id), loaded.Loop.Overdue.Select(o => o.Id));
        Assert.Equal(kept.Loop.EscalationsLastHour, loaded.Loop.EscalationsLastHour);
        Assert.Equal(kept.Loop.Today, loaded.Loop.Today);
        Assert.Equal(kept.Loop.ThisWeek, loaded.Loop.ThisWeek);
        Assert.Equal((kept.Open, kept.Overdue, kept.ClosedToday), (loaded.Open, loaded.Overdue, loaded.ClosedToday));

        // An hour later the escalations have left the last hour.
        time.Advance(TimeSpan.FromMinutes(61));
        board.Tick();
        Assert.Equal(0, board.GetSnapshot().Incidents.Loop.EscalationsLastHour);
    }

    private static async Task AssertBoardEqualsDatabaseAsync(LiveSnapshot snapshot, SqliteDatabase db, BoardClock clock)
    {
        await using var c = await db.Factory.OpenAsync();
        var now = clock.Now;
        var byStep = (await c.QueryAsync<(int Step, int Count)>("SELECT Step, COUNT(*) FROM Incident WHERE Step < 6 GROUP BY Step")).ToDictionary(r => r.Step, r => r.Count);
        var byCycle = (await c.QueryAsync<(int Cycle, int Count)>("SELECT Cycle, COUNT(*) FROM Incident WHERE Step < 6 GROUP BY Cycle")).ToDictionary(r => r.Cycle, r => r.Count);
        var overdue = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Incident WHERE Step < 6 AND DueAt < @now", new { now });
        var closedToday = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Incident WHERE ClosedAt >= @start", new { start = clock.DayStart });
        var resolved = await c.QuerySingleAsync<(int Closed, int OnTime)>(
            "SELECT COUNT(*), COALESCE(SUM(ClosedOnTime), 0) FROM Incident WHERE Resolution = 1 AND ClosedAt >= @start", new { start = clock.DayStart });
        var escalations = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM IncidentStepLog WHERE LoopAction = 7 AND At >= @since", new { since = now.AddHours(-1) });
        var mostLate = (await c.QueryAsync<long>("SELECT Id FROM Incident WHERE Step < 6 AND DueAt < @now ORDER BY DueAt, Id LIMIT 20", new { now })).ToList();

        var s = snapshot.Incidents;
        Assert.Equal(byStep.Values.Sum(), s.Open);
        Assert.All(s.ByStep, st => Assert.Equal(byStep.GetValueOrDefault((int)st.Step), st.Count));
        Assert.All(s.Loop.ByCycle, cy => Assert.Equal(byCycle.GetValueOrDefault((int)cy.Cycle), cy.Count));
        Assert.Equal(overdue, s.Overdue);
        Assert.Equal(closedToday, s.ClosedToday);
        Assert.Equal((resolved.Closed, resolved.OnTime), (s.Loop.Today.Closed, s.Loop.Today.OnTime));
        Assert.Equal(escalations, s.Loop.EscalationsLastHour);
        Assert.True(escalations > 0, "the burst escalated nothing: the test does not test escalations");
        Assert.Equal(mostLate, s.Loop.Overdue.Select(o => o.Id));
        Assert.All(s.Loop.Overdue, o => Assert.True(o.LateMinutes > 0));
    }
}
