using CommandCenter.Data.Points;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Points;

/// <summary>Hand-checked fixtures on the tiny test street (staff 1 in grid 1 of community 1; household 1 is a key household).</summary>
public sealed class PointsScorerTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = BoardClock.FindZone("Asia/Shanghai");
    private static readonly Period W47 = Period.Parse("2026-W47");

    // Monday 2026-11-16 09:00 local.
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Monday.AddDays(8));
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;
    private PointsScorer _scorer = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, Zone);
        _scorer = new PointsScorer(_db.Factory, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task ExecAsync(string sql, object? args = null)
    {
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    private async Task<List<(string Rule, int EarnerKind, int EarnerId, int Points, int Version, string Week)>> LedgerAsync()
    {
        await using var c = await _db.Factory.OpenAsync();
        return (await c.QueryAsync<(string, long, long, long, long, string)>(
                "SELECT RuleCode, EarnerKind, EarnerId, Points, RuleSetVersion, Week FROM PointsLedger ORDER BY Id"))
            .Select(r => (r.Item1, (int)r.Item2, (int)r.Item3, (int)r.Item4, (int)r.Item5, r.Item6)).ToList();
    }

    private Task CheckInsAsync(int count, DateTimeOffset from) =>
        ExecAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 1, @At)",
            Enumerable.Range(0, count).Select(i => new { At = from.AddHours(i) }));

    [Fact]
    public async Task Caps_StopAPersonAtTheRulesWeeklyCap_AndTheNextWeekStartsAgain()
    {
        await CheckInsAsync(16, Monday);
        await CheckInsAsync(3, Monday.AddDays(7));

        var first = await _scorer.ScoreWeekAsync(W47, finalise: false);
        await _scorer.ScoreWeekAsync(W47.Next(), finalise: false);

        Assert.Equal(14, first.RowsAdded);
        var ledger = await LedgerAsync();
        Assert.Equal(14, ledger.Where(r => r.Week == "2026-W47").Sum(r => r.Points));
        Assert.All(ledger, r => Assert.Equal(("PATROL", 1, 1, 1), (r.Rule, r.EarnerKind, r.EarnerId, r.Points)));
        Assert.Equal(3, ledger.Count(r => r.Week == "2026-W48"));
    }

    [Fact]
    public async Task VolunteerHours_ArePointsPerHour_CutAtTheCap()
    {
        await ExecAsync("INSERT INTO VolunteerService (StaffId, GridId, ServedAt, Hours, Place, RecordedAt, RecordedBy) VALUES (1, 1, @At, @Hours, '社区', @At, 'test')",
            new[] { new { At = Monday, Hours = 2.5 }, new { At = Monday.AddDays(1), Hours = 4.0 }, new { At = Monday.AddDays(2), Hours = 4.0 }, new { At = Monday.AddDays(3), Hours = 4.0 } });

        await _scorer.ScoreWeekAsync(W47, finalise: false);

        Assert.Equal(new[] { 5, 8, 7 }, (await LedgerAsync()).Select(r => r.Points)); // 2.5 h × 2, 4 h × 2, then 20 − 13 = 7; the last adds 0
    }

    [Fact]
    public async Task KeyHouseholds_VisitedScoreTheVisitor_MissedScoreTheGridOnlyWhenTheWeekIsFinal()
    {
        await ExecAsync("INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt) VALUES (1, 1, @A), (1, 1, @B), (1, 2, @B)", new { A = Monday.AddHours(2), B = Monday.AddHours(5) });

        await _scorer.ScoreWeekAsync(W47, finalise: true);
        var w48 = await _scorer.ScoreWeekAsync(W47.Next(), finalise: false);
        Assert.Equal(0, w48.RowsAdded);
        await _scorer.ScoreWeekAsync(W47.Next(), finalise: true);

        var ledger = await LedgerAsync();
        Assert.Equal(3, ledger.Count(r => r.Rule == "VISIT"));
        Assert.Equal(("KEY_VISITED", 1, 1, 2, "2026-W47"), ledger.Where(r => r.Rule == "KEY_VISITED").Select(r => (r.Rule, r.EarnerKind, r.EarnerId, r.Points, r.Week)).Single());
        Assert.Equal(("KEY_MISSED", 2, 1, -2, "2026-W48"), ledger.Where(r => r.Rule == "KEY_MISSED").Select(r => (r.Rule, r.EarnerKind, r.EarnerId, r.Points, r.Week)).Single());
    }

    [Fact]
    public async Task ScoringTwice_AndConcurrently_AddsNothing_AndAFinalWeekIsNotScoredAgain()
    {
        await CheckInsAsync(5, Monday);
        await ExecAsync("INSERT INTO VolunteerService (StaffId, GridId, ServedAt, Hours, Place, RecordedAt, RecordedBy) VALUES (1, 1, @At, 1, 'x', @At, 't')", new { At = Monday });

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _scorer.ScoreWeekAsync(W47, finalise: false))));
        var again = await _scorer.ScoreWeekAsync(W47, finalise: true); // adds only the key household missed
        await CheckInsAsync(1, Monday.AddHours(10)); // arrives after the week is final
        var afterFinal = await _scorer.ScoreWeekAsync(W47, finalise: false);

        Assert.Equal(6, results.Sum(r => r.RowsAdded));
        Assert.Equal(1, again.RowsAdded);
        Assert.True(afterFinal.Skipped);
        Assert.Equal(ScoringRunStatus.Final, afterFinal.Status);
        var ledger = await LedgerAsync();
        Assert.Equal(7, ledger.Count);
        Assert.Equal(["KEY_MISSED"], ledger.Where(r => r.Rule is not ("PATROL" or "VOLUNTEER")).Select(r => r.Rule));
    }

    [Fact]
    public async Task TwoNodes_ScoringTheSameWeekAtOnce_WriteEachRowOnce()
    {
        await CheckInsAsync(10, Monday);
        await ExecAsync("INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt) VALUES (1, 1, @At), (1, 2, @At)", new { At = Monday.AddHours(1) });
        // A second factory on the same file: its own in-process writer queue, as a second node would have; only SQLite's lock is shared.
        var other = new Infrastructure.DbConnectionFactory(new Infrastructure.DatabaseOptions
        {
            Provider = "Sqlite",
            ConnectionString = $"Data Source={Path.Combine(_db.Folder, "test.db")}",
        });
        var nodes = new[] { _scorer, new PointsScorer(other, _clock) };

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => nodes[i % 2].ScoreWeekAsync(W47, finalise: false))));

        Assert.Equal(10 + 2 + 1, results.Sum(r => r.RowsAdded)); // check-ins, visits, household 1 visited
        var ledger = await LedgerAsync();
        Assert.Equal(13, ledger.Count);
    }

    [Fact]
    public async Task ARuleChange_TakesEffectNextWeek_AndPastWeeksKeepTheirVersion()
    {
        await CheckInsAsync(2, Monday);
        await CheckInsAsync(2, Monday.AddDays(7));
        await CheckInsAsync(2, Monday.AddDays(14));
        var store = new RuleSetStore(_db.Factory, _clock);

        // Edited during W48 (now is Tuesday of W48): in force from W49.
        var edited = DefaultRules.Rules.Select(r => r.Code == "PATROL" ? r with { Points = 5 } : r).ToList();
        var v2 = await store.SaveAsync(edited, "patrols count more", new Actor(ActorKind.User, "1", "admin"));
        await _scorer.ScoreWeekAsync(W47, finalise: true);
        await _scorer.ScoreWeekAsync(W47.Next(), finalise: false);
        await _scorer.ScoreWeekAsync(W47.Next().Next(), finalise: false);

        Assert.Equal(2, v2.Version);
        Assert.Equal("2026-W49", v2.EffectiveFrom.ToString());
        var ledger = (await LedgerAsync()).Where(r => r.Rule == "PATROL").ToList();
        Assert.Equal(new[] { (1, 1), (1, 1), (1, 1), (1, 1), (2, 5), (2, 5) }, ledger.Select(r => (r.Version, r.Points)));
        Assert.Equal(1, (await store.InForceAsync(W47)).Version);
        Assert.Equal(2, (await store.InForceAsync(Period.Parse("2026-W49"))).Version);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'points.rules.version' AND EntityId = '2'"));
    }

    [Fact]
    public async Task Incidents_Alerts_AndAlarms_AreScoredByWhatTheTimelineSays()
    {
        // Staff 1 has a personal token (ApiKey 7); incident 1 reported on patrol through it, verified, checked on time with satisfaction 5;
        // incident 2 escalated by the system and then rejected as invalid.
        await ExecAsync("INSERT INTO ApiKey (Id, Name, Prefix, KeyHash, Scopes, CreatedAt, CreatedBy, StaffId) VALUES (7, 'phone', 'cc_', 'h', 'field', @At, 't', 1)", new { At = Monday });
        await ExecAsync(
            "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, UpdatedAt, Caller, Resolution, RejectReason, ClosedOnTime, Satisfaction) VALUES " +
            "(1, 'E1', 'sanitation', 1, 1, '王五', 't', 'd', 6, 1, @At, @Due, @At, 'ApiKey:7', 1, NULL, 1, 5), " +
            "(2, 'E2', 'noise', 2, 2, 'resident', 't', 'd', 6, 2, @At, @Due, @At, NULL, 2, 1, NULL, NULL)",
            new { At = Monday, Due = Monday.AddDays(1) });
        await ExecAsync(
            "INSERT INTO IncidentStepLog (IncidentId, Step, At, Actor, LoopAction, ActorKind, StaffId) VALUES " +
            "(1, 2, @A1, 'op', 1, 'User', NULL), (1, 5, @A2, 'field', 5, 'Staff', 1), (1, 6, @A3, 'op', 6, 'User', NULL), " +
            "(2, 1, @A2, 'deadline', 7, 'System', NULL), (2, 6, @A3, 'op', 2, 'User', NULL)",
            new { A1 = Monday.AddMinutes(10), A2 = Monday.AddHours(3), A3 = Monday.AddHours(5) });
        await ExecAsync(
            "INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) VALUES " +
            "(1, 'fire', 0.9, @At, @At, 2, @Fast), (1, 'fire', 0.9, @At, @At, 2, @Slow), (2, 'fire', 0.9, @At, @At, 1, NULL)",
            new { At = Monday, Fast = Monday.AddMinutes(9), Slow = Monday.AddMinutes(25) });
        await ExecAsync("INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, AcknowledgedAt) VALUES (1, 2, @At, 31, 35, @Ack)",
            new { At = Monday, Ack = Monday.AddMinutes(12) });

        await _scorer.ScoreWeekAsync(W47, finalise: false);

        var ledger = (await LedgerAsync()).Select(r => (r.Rule, r.EarnerKind, r.EarnerId, r.Points)).Order().ToList();
        var expected = new List<(string, int, int, int)>
        {
            ("CAM_ACK", 2, 1, 1),
            ("INC_ESCALATED", 2, 2, -3),
            ("INC_ON_TIME", 2, 1, 3),
            ("INC_ON_TIME_COMMUNITY", 3, 1, 1),
            ("INC_REPORT", 1, 1, 2),
            ("INC_VERIFIED", 2, 1, 1),
            ("SAT_HIGH", 2, 1, 1),
            ("WATER_ACK", 2, 2, 2),
        };
        Assert.Equal(expected.Order(), ledger);
    }

    [Fact]
    public async Task CatchUp_ScoresEveryMissedWeek_FinalisesThoseOver_AndThenOnlyTheRunningWeek()
    {
        await CheckInsAsync(1, Monday);
        await CheckInsAsync(1, Monday.AddDays(7));
        await CheckInsAsync(1, Monday.AddDays(14));
        _time.SetUtcNow(Monday.AddDays(21).AddHours(2)); // W50, Monday 11:00 local: W49 ended 11 h ago
        var service = new PointsScoringService(_scorer, _clock, new PointsScoringOptions());

        var first = await service.RunAsync();
        Assert.Equal(new[] { ("2026-W47", ScoringRunStatus.Final), ("2026-W48", ScoringRunStatus.Final), ("2026-W49", ScoringRunStatus.Final), ("2026-W50", ScoringRunStatus.Provisional) },
            first.Select(r => (r.Week.ToString(), r.Status)));
        Assert.Equal(3 + 3, first.Sum(r => r.RowsAdded)); // a check-in per week, and household 1 missed in each final week

        var second = await service.RunAsync();
        Assert.Equal(new[] { "2026-W50" }, second.Select(r => r.Week.ToString()));

        _time.Advance(TimeSpan.FromDays(7));
        var third = await service.RunAsync();
        Assert.Equal(new[] { ("2026-W50", ScoringRunStatus.Final), ("2026-W51", ScoringRunStatus.Provisional) }, third.Select(r => (r.Week.ToString(), r.Status)));
        Assert.Equal(3, (await LedgerAsync()).Count(r => r.Rule == "PATROL"));
        Assert.Equal(4, (await LedgerAsync()).Count(r => r.Rule == "KEY_MISSED"));
    }

    [Fact]
    public async Task CatchUp_WithNothingRecorded_ScoresTheRunningWeekOnly()
    {
        var service = new PointsScoringService(_scorer, _clock, new PointsScoringOptions());
        var runs = await service.RunAsync();
        Assert.Equal(new[] { "2026-W48" }, runs.Select(r => r.Week.ToString()));
    }
}
