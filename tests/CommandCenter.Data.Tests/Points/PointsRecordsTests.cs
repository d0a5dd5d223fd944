using CommandCenter.Data.Points;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Points;

public sealed class PointsRecordsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 4, 0, 0, TimeSpan.Zero); // Wednesday of 2026-W47, 12:00 local
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin");
    private static readonly Actor ScopedSouth = new(ActorKind.User, "5", "south-operator", CommunityId: 2);
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task GiveAsync(int staffId, int points)
    {
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt) " +
                             "VALUES (1, 1, @StaffId, @StaffId, 'PATROL', @Points, '2026-W47', '2026-11', @Now, @Now)", new { StaffId = staffId, Points = points, Now });
    }

    [Fact]
    public async Task Redemption_SpendsPoints_NeverBelowZero_AndIsAudited()
    {
        await GiveAsync(1, 10);
        var handler = new RedeemPointsHandler(_db.Factory, _clock);

        var first = await handler.HandleAsync(new RedeemPoints { StaffId = 1, Points = 6, Reason = "兑换洗衣液" }, Admin);
        var refused = await Assert.ThrowsAsync<ConflictException>(() => handler.HandleAsync(new RedeemPoints { StaffId = 1, Points = 5, Reason = "again" }, Admin));

        Assert.Equal(4, first.BalanceAfter);
        Assert.Equal("points", refused.Field);
        var person = await new PointsQueries(_db.Factory).PersonAsync(1, Admin);
        Assert.Equal((10, 6, 4), (person!.Earned, person.Redeemed, person.Balance));
        Assert.Equal("Redeemed", person.Ledger[0].Kind);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'points.redeem'"));
    }

    [Fact]
    public async Task Redemptions_AtOnce_NeverTakeTheBalanceBelowZero()
    {
        await GiveAsync(1, 10);
        var handler = new RedeemPointsHandler(_db.Factory, _clock);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await handler.HandleAsync(new RedeemPoints { StaffId = 1, Points = 3, Reason = $"try {i}" }, Admin);
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        })));

        Assert.Equal(3, attempts.Count(ok => ok));
        Assert.Equal(1, (await new PointsQueries(_db.Factory).PersonAsync(1, Admin))!.Balance);
    }

    [Fact]
    public async Task Redemption_BadInput_NamesTheFields()
    {
        var handler = new RedeemPointsHandler(_db.Factory, _clock);
        var e = await Assert.ThrowsAsync<InputValidationException>(() => handler.HandleAsync(new RedeemPoints { Points = 0, Reason = " " }, Admin));
        Assert.Equal(new[] { "points", "reason", "staffId" }, e.Errors.Keys.Order());
        var unknown = await Assert.ThrowsAsync<InputValidationException>(() => handler.HandleAsync(new RedeemPoints { StaffId = 99, Points = 1, Reason = "x" }, Admin));
        Assert.Contains("staffId", unknown.Errors.Keys);
    }

    [Fact]
    public async Task VolunteerService_IsStoredAudited_AndValidated()
    {
        var handler = new RecordVolunteerServiceHandler(_db.Factory, _clock);

        var stored = await handler.HandleAsync(new RecordVolunteerService { StaffId = 1, GridId = 1, ServedAt = Now.AddHours(-3), Hours = 2.5, Place = "社区广场" }, Admin);
        var bad = await Assert.ThrowsAsync<InputValidationException>(() =>
            handler.HandleAsync(new RecordVolunteerService { StaffId = 1, GridId = 1, ServedAt = Now.AddDays(1), Hours = 0.3, Place = "" }, Admin));
        var scoped = await Assert.ThrowsAsync<InputValidationException>(() =>
            handler.HandleAsync(new RecordVolunteerService { StaffId = 1, GridId = 1, ServedAt = Now, Hours = 1, Place = "x" }, ScopedSouth));

        Assert.True(stored.Id > 0);
        Assert.Equal(new[] { "hours", "place", "servedAt" }, bad.Errors.Keys.Order());
        Assert.Contains("staffId", scoped.Errors.Keys); // staff 1 works in the north: unknown to a south operator
        var list = await new PointsQueries(_db.Factory).VolunteerServicesAsync(Admin, null, 50);
        Assert.Equal((1, 2.5, "社区广场", "User:1"), (list.Single().StaffId, list.Single().Hours, list.Single().Place, list.Single().RecordedBy));
        Assert.Empty(await new PointsQueries(_db.Factory).VolunteerServicesAsync(ScopedSouth, null, 50));
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'points.volunteer.record'"));
    }

    [Fact]
    public async Task ContactVisit_NeedsAPartyMember_AndAKnownHousehold()
    {
        await using (var c = await _db.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE Staff SET Active = 1 WHERE Id = 2"); // staff 2 is not a party member
        }

        var handler = new RecordContactVisitHandler(_db.Factory, _clock);
        var stored = await handler.HandleAsync(new RecordContactVisit { StaffId = 1, HouseholdId = 1, VisitedAt = Now, Note = "问候" }, Admin);
        var notMember = await Assert.ThrowsAsync<InputValidationException>(() => handler.HandleAsync(new RecordContactVisit { StaffId = 2, HouseholdId = 1, VisitedAt = Now }, Admin));
        var noHousehold = await Assert.ThrowsAsync<InputValidationException>(() => handler.HandleAsync(new RecordContactVisit { StaffId = 1, HouseholdId = 77, VisitedAt = Now }, Admin));

        Assert.True(stored.Id > 0);
        Assert.Contains("staffId", notMember.Errors.Keys);
        Assert.Contains("householdId", noHousehold.Errors.Keys);
        Assert.Equal("张三", (await new PointsQueries(_db.Factory).ContactVisitsAsync(Admin, 1, 10)).Single().HeadName);
    }

    [Fact]
    public async Task Leaderboard_RanksWithTies_ByRule_ForWeeksAndMonths()
    {
        await using (var c = await _db.Factory.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, GridId, CommunityId, RuleCode, Points, SourceEvent, SourceId, Week, Month, OccurredAt, CreatedAt) VALUES " +
                                 "(1, 2, 1, 1, 1, 'INC_ON_TIME', 3, 3, 1, '2026-W47', '2026-11', @Now, @Now), (1, 2, 1, 1, 1, 'KEY_MISSED', -2, 12, 1, '2026-W47', '2026-11', @Now, @Now), " +
                                 "(1, 2, 2, 2, 1, 'WATER_ACK', 1, 8, 1, '2026-W47', '2026-11', @Now, @Now), (1, 2, 3, 3, 2, 'CAM_ACK', 5, 7, 2, '2026-W48', '2026-11', @Now, @Now)",
                new { Now });
        }

        var queries = new PointsQueries(_db.Factory);
        var week = await queries.LeaderboardAsync(Earner.Grid, Period.Parse("2026-W47"), Admin);
        var month = await queries.LeaderboardAsync(Earner.Grid, Period.Parse("2026-11"), Admin);
        var south = await queries.LeaderboardAsync(Earner.Grid, Period.Parse("2026-W47"), ScopedSouth);

        Assert.Equal(new[] { (1, 1, 1), (1, 2, 1), (3, 3, 0) }, week.Items.Select(i => (i.Rank, i.Id, i.Points)));
        Assert.Equal(new Dictionary<string, int> { ["INC_ON_TIME"] = 3, ["KEY_MISSED"] = -2 }, week.Items[0].ByRule);
        Assert.Equal("provisional", week.Status);
        Assert.Equal(new[] { (1, 3, 5), (2, 1, 1), (2, 2, 1) }, month.Items.Select(i => (i.Rank, i.Id, i.Points)));
        Assert.Equal(new[] { 3 }, south.Items.Select(i => i.Id));
        Assert.Equal(["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"], PointsQueries.WeeksOf(Period.Parse("2026-11")).Select(w => w.ToString()));
    }
}
