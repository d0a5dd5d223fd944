using System.Text.Json;
using CommandCenter.Data.Assessments;
using CommandCenter.Data.Points;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Assessments;

/// <summary>
/// Hand-checked assessments on the tiny test street: grids 1 and 2 in community 1 (North), grid 3 in community 2;
/// staff 1 (party member) in grid 1; households 1 (key) and 2 in grid 1; camera 1 in grid 1; water point 1 in grid 2.
/// </summary>
public sealed class AssessmentEngineTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = BoardClock.FindZone("Asia/Shanghai");
    private static readonly Period W47 = Period.Parse("2026-W47");

    // Monday 2026-11-16 09:00 local.
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Monday.AddDays(8));
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;
    private AssessmentSettingsStore _settings = null!;
    private AssessmentEngine _engine = null!;
    private AssessmentQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, Zone);
        _settings = new AssessmentSettingsStore(_db.Factory, _clock);
        _engine = new AssessmentEngine(_db.Factory, _clock, _settings);
        _queries = new AssessmentQueries(_db.Factory);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task ExecAsync(string sql, object? args = null)
    {
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    private Task IncidentAsync(int id, int grid, DateTimeOffset reported, DateTimeOffset? closed, bool? onTime, int? satisfaction, int cycle = 1) =>
        ExecAsync(
            "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, ClosedAt, UpdatedAt, Resolution, ClosedOnTime, Satisfaction) " +
            "VALUES (@Id, @Number, 'sanitation', @Grid, 1, 'r', 't', 'd', @Step, @Cycle, @Reported, @Due, @Closed, @Reported, @Resolution, @OnTime, @Satisfaction)",
            new
            {
                Id = id, Number = "E" + id, Grid = grid, Step = closed is null ? 2 : 6, Cycle = cycle, Reported = reported, Due = reported.AddDays(1), Closed = closed,
                Resolution = closed is null ? 0 : 1, OnTime = onTime, Satisfaction = satisfaction,
            });

    private async Task FixtureAsync()
    {
        // Grid 1: two incidents reported, one closed on time (satisfaction 5); grid 2: one escalated, closed late (satisfaction 2).
        await IncidentAsync(1, 1, Monday, Monday.AddHours(5), true, 5);
        await IncidentAsync(2, 1, Monday.AddDays(1), null, null, null);
        await IncidentAsync(3, 2, Monday, Monday.AddDays(2), false, 2, cycle: 2);
        // Grid 1: check-ins on three local days (two on Monday); household 1 (key) visited.
        await ExecAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 1, @A), (1, 1, @B), (1, 1, @C), (1, 1, @D)",
            new { A = Monday, B = Monday.AddHours(2), C = Monday.AddDays(1), D = Monday.AddDays(3) });
        await ExecAsync("INSERT INTO HouseholdVisit (StaffId, HouseholdId, VisitedAt) VALUES (1, 1, @At)", new { At = Monday.AddDays(2) });
        // Camera alert in grid 1 acknowledged after 10 minutes; water alarm in grid 2 after 30.
        await ExecAsync("INSERT INTO CameraAlert (CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, AcknowledgedAt) VALUES (1, 'fire', 0.9, @At, @At, 2, @Ack)",
            new { At = Monday, Ack = Monday.AddMinutes(10) });
        await ExecAsync("INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm, AcknowledgedAt) VALUES (1, 2, @At, 31, 35, @Ack)",
            new { At = Monday, Ack = Monday.AddMinutes(30) });
    }

    [Fact]
    public async Task Indicators_AreCountedPerGrid_AndCommunitiesAddTheirGrids()
    {
        await FixtureAsync();

        var grids = await _engine.RunAsync(AssessmentKind.Grid, W47);

        Assert.Equal("provisional", grids.Status); // the week ended, but its points are not final
        var g1 = grids.Items.Single(i => i.Id == 1).Indicators;
        Assert.Equal(0.5m, g1["closureRate"]);
        Assert.Equal(1m, g1["onTimeRate"]);
        Assert.Equal(0m, g1["escalationRate"]);
        Assert.Equal(0.4286m, g1["patrolCoverage"]); // 3 of 7 days
        Assert.Equal(0.5m, g1["visitCoverage"]);
        Assert.Equal(1m, g1["keyHouseholdVisits"]);
        Assert.Equal(10m, g1["meanAckMinutes"]);
        Assert.Equal(5m, g1["satisfaction"]);
        Assert.Equal(0m, g1["pointsPerMember"]);
        var g2 = grids.Items.Single(i => i.Id == 2).Indicators;
        Assert.Equal(1m, g2["escalationRate"]);
        Assert.Equal(0m, g2["onTimeRate"]);
        Assert.Equal(30m, g2["meanAckMinutes"]);
        Assert.False(g2.ContainsKey("visitCoverage")); // no households: no data, not 0
        Assert.False(g2.ContainsKey("pointsPerMember"));
        var g3 = grids.Items.Single(i => i.Id == 3);
        Assert.Equal(0m, g3.Indicators["patrolCoverage"]);
        Assert.False(g3.Indicators.ContainsKey("closureRate"));
        Assert.Equal([1, 2, 3], grids.Items.Select(i => i.Rank!.Value));
        Assert.Equal(1, grids.Items[0].Id);
        Assert.Equal("redFlag", grids.Items[0].Tier);
        Assert.Equal("needsAttention", grids.Items[^1].Tier);

        var communities = await _engine.RunAsync(AssessmentKind.Community, W47);
        var north = communities.Items.Single(i => i.Id == 1).Indicators;
        Assert.Equal(0.6667m, north["closureRate"]);      // 2 of 3 reported closed before the week ended
        Assert.Equal(20m, north["meanAckMinutes"]);      // (10 + 30) / 2
        Assert.Equal(0.2143m, north["patrolCoverage"]);   // 3 of 14 grid-days
    }

    [Fact]
    public async Task Provisional_UpdatesAsEventsArrive()
    {
        var time = new FakeTimeProvider(Monday.AddDays(2)); // Wednesday: the week runs
        var engine = new AssessmentEngine(_db.Factory, new BoardClock(time, Zone), _settings);
        await IncidentAsync(1, 1, Monday, null, null, null);
        var first = await engine.RunAsync(AssessmentKind.Grid, W47);
        Assert.Equal("provisional", first.Status);
        Assert.Equal(0m, first.Items.Single(i => i.Id == 1).Indicators["closureRate"]);
        Assert.Equal(0m, first.Items.Single(i => i.Id == 1).Indicators["patrolCoverage"]); // 0 of 3 days so far (Mon, Tue, Wed morning)

        await ExecAsync("UPDATE Incident SET Step = 6, Resolution = 1, ClosedOnTime = 1, ClosedAt = @At WHERE Id = 1", new { At = Monday.AddDays(1) });
        await ExecAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 1, @At)", new { At = Monday.AddDays(1) });
        time.Advance(TimeSpan.FromMinutes(5));
        await engine.RunAsync(AssessmentKind.Grid, W47);

        var stored = await _queries.GetAsync(AssessmentKind.Grid, W47, Actor.SystemActor);
        Assert.NotNull(stored);
        Assert.Equal(1m, stored.Items.Single(i => i.Id == 1).Indicators["closureRate"]);
        Assert.Equal(0.3333m, stored.Items.Single(i => i.Id == 1).Indicators["patrolCoverage"]); // 1 of 3
        Assert.Equal(time.GetUtcNow(), stored.ComputedAt);
    }

    [Fact]
    public async Task Final_IsStoredOnce_WithItsSettings_AndRecomputingGivesTheSameResult()
    {
        await FixtureAsync();
        await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(W47, finalise: true);

        var final = await _engine.RunAsync(AssessmentKind.Grid, W47);
        Assert.Equal("final", final.Status);
        Assert.Equal([1], final.RuleSetVersions);
        Assert.Equal(0, final.WeightsVersion);

        // Recomputing the finished period with the stored settings gives the same items.
        var again = await _engine.CalculateAsync(AssessmentKind.Grid, W47, final.WeightsVersion, final.Settings);
        Assert.Equal(Json(final.Items), Json(again.Items));
        var stored = await _queries.GetAsync(AssessmentKind.Grid, W47, Actor.SystemActor);
        Assert.Equal(Json(final.Items), Json(stored!.Items));

        // New settings and late events do not rewrite a final assessment.
        await _settings.SaveAsync(AssessmentSettings.Default with { Weights = new Dictionary<Indicator, decimal> { [Indicator.Satisfaction] = 1 } }, Actor.System("admin"), "only satisfaction");
        await ExecAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 3, @At)", new { At = Monday.AddDays(4) });
        _time.Advance(TimeSpan.FromHours(1));
        var later = await _engine.RunAsync(AssessmentKind.Grid, W47);
        Assert.Equal(final.ComputedAt, later.ComputedAt);
        Assert.Equal(0, later.WeightsVersion);
        Assert.Equal(Json(final.Items), Json(later.Items));

        // The next week uses the new settings version and sees the previous ranks.
        var next = await _engine.RunAsync(AssessmentKind.Grid, W47.Next());
        Assert.Equal(1, next.WeightsVersion);
        Assert.Equal(final.Items.Single(i => i.Id == 1).Rank, next.Items.Single(i => i.Id == 1).PreviousRank);
    }

    [Fact]
    public async Task TwoRunsAtOnce_StoreOneResult()
    {
        await FixtureAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _engine.RunAsync(AssessmentKind.Grid, W47))));

        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Assessment"));
        Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM AssessmentItem"));
    }

    [Fact]
    public async Task ScopedCallers_SeeTheirCommunityOnly()
    {
        await FixtureAsync();
        await _engine.RunAsync(AssessmentKind.Grid, W47);

        var south = await _queries.GetAsync(AssessmentKind.Grid, W47, new Actor(ActorKind.User, "9", "south", CommunityId: 2));

        Assert.Equal([3], south!.Items.Select(i => i.Id));
        Assert.Null(await _queries.GetAsync(AssessmentKind.Grid, W47.Next(), Actor.SystemActor));
    }

    [Fact]
    public async Task People_AreGradedOnTheYearSoFar()
    {
        await ExecAsync("INSERT INTO PatrolCheckIn (StaffId, GridId, CheckedInAt) VALUES (1, 1, @At)", Enumerable.Range(0, 10).Select(i => new { At = Monday.AddHours(i) }));
        await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(W47, finalise: true);

        var people = await _engine.RunAsync(AssessmentKind.Person, W47);

        var staff = Assert.Single(people.Items); // staff 2 is not an active party member
        Assert.Equal(1, staff.Id);
        Assert.Equal(1, staff.Rank);
        Assert.Equal(10m, staff.Score);
        Assert.Equal(10, staff.Points);
        Assert.Equal("unqualified", staff.Grade);
        Assert.Equal(10, staff.Person!.Items.Single(i => i.Code == "DUTY").Counted);
    }

    [Fact]
    public async Task CatchUp_ComputesEveryMissedPeriod_ThenContinuesFromTheLastFinal()
    {
        // Tuesday 2026-12-01 of W49; two weeks back is W47.
        _time.SetUtcNow(Monday.AddDays(15));
        var service = new AssessmentService(_engine, _db.Factory, _clock, new AssessmentOptions { MaxCatchUpWeeks = 2 });
        await new PointsScorer(_db.Factory, _clock).ScoreWeekAsync(W47, finalise: true);

        var ran = await service.RunAsync();

        Assert.Equal(["2026-W47", "2026-W48", "2026-W49"], ran.Where(r => r.Kind == "grid" && r.Period.Contains('W')).Select(r => r.Period));
        Assert.Equal(["2026-11", "2026-12"], ran.Where(r => r.Kind == "grid" && !r.Period.Contains('W')).Select(r => r.Period));
        Assert.Equal("final", ran.First(r => r.Kind == "community" && r.Period == "2026-W47").Status);
        Assert.Equal("provisional", ran.First(r => r.Kind == "grid" && r.Period == "2026-W48").Status);

        // Down for a week: the next run starts after the last final week and reaches the new current one.
        _time.Advance(TimeSpan.FromDays(7));
        ran = await service.RunAsync();
        Assert.Equal(["2026-W48", "2026-W49", "2026-W50"], ran.Where(r => r.Kind == "person" && r.Period.Contains('W')).Select(r => r.Period));
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, AssessmentSettingsStore.Json);
}
