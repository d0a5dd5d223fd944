using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Assessments;

/// <summary>
/// Incidents by category per ISO week in street time (Asia/Shanghai, UTC+8) on the test street: grids 1 and 2 in
/// community 1, grid 3 in community 2. Week 2026-W47 begins Monday 2026-11-16 00:00 local = 2026-11-15 16:00 UTC.
/// </summary>
public sealed class CategoryTrendQueryTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = BoardClock.FindZone("Asia/Shanghai");
    private static readonly Period W47 = Period.Parse("2026-W47");
    private static readonly DateTimeOffset W47Start = new(2026, 11, 15, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset W36Start = W47Start.AddDays(-7 * 11);

    private SqliteDatabase _db = null!;
    private CategoryTrendQuery _query = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _query = new CategoryTrendQuery(_db.Factory, new BoardClock(new FakeTimeProvider(W47Start.AddDays(10)), Zone));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private int _next;

    private async Task IncidentAsync(string category, int grid, DateTimeOffset reported, int resolution = 0)
    {
        var id = ++_next;
        await using var c = await _db.Factory.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, UpdatedAt, Resolution) " +
            "VALUES (@Id, @Number, @Category, @Grid, 1, 'r', 't', 'd', 2, 1, @Reported, @Due, @Reported, @Resolution)",
            new { Id = id, Number = "T" + id, Category = category, Grid = grid, Reported = reported, Due = reported.AddDays(1), Resolution = resolution });
    }

    private async Task FixtureAsync()
    {
        await IncidentAsync("sanitation", 1, W47Start);                       // Monday 00:00 local: W47
        await IncidentAsync("sanitation", 1, W47Start.AddSeconds(-1));        // Sunday 23:59:59 local (also 15 Nov in UTC): W46
        await IncidentAsync("sanitation", 2, W47Start.AddDays(6).AddHours(23)); // Sunday 23:00 local: W47
        await IncidentAsync("fire", 3, W47Start.AddHours(1));                 // W47, community 2
        await IncidentAsync("fire", 1, W36Start);                             // the first of the 12 weeks
        await IncidentAsync("fire", 1, W36Start.AddSeconds(-1));              // before the 12 weeks
        await IncidentAsync("fire", 1, W47Start.AddDays(7));                  // after them (W48)
        await IncidentAsync("noise", 2, W47Start.AddHours(2), resolution: 2);  // rejected as invalid: not counted
    }

    [Fact]
    public async Task Week_CountsPerCategoryAndStreetWeek_InTheCatalogOrder()
    {
        await FixtureAsync();

        var trend = await _query.GetAsync(W47, new Actor(ActorKind.User, "u", "u"));

        Assert.Equal(12, trend.Weeks.Count);
        Assert.Equal("2026-W36", trend.Weeks[0].ToString());
        Assert.Equal(W47, trend.Weeks[^1]);
        // Catalog order: fire before sanitation; noise had only a rejected incident, so no series.
        Assert.Equal(["fire", "sanitation"], trend.Series.Select(s => s.Code));
        var fire = trend.Series[0];
        Assert.Equal("消防安全", fire.NameZh);
        Assert.Equal("Fire prevention", fire.Name(chinese: false));
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], fire.Reported);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2], trend.Series[1].Reported);
    }

    [Fact]
    public async Task CommunityScopedActor_SeesItsCommunitysGridsOnly()
    {
        await FixtureAsync();

        var north = await _query.GetAsync(W47, new Actor(ActorKind.User, "u", "u", CommunityId: 1));
        var south = await _query.GetAsync(W47, new Actor(ActorKind.User, "u", "u", CommunityId: 2));

        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], north.Series.Single(s => s.Code == "fire").Reported);
        Assert.Equal(3, north.Series.Single(s => s.Code == "sanitation").Total);
        Assert.Equal("fire", Assert.Single(south.Series).Code);
        Assert.Equal(1, south.Series[0].Reported[11]);
    }

    [Fact]
    public async Task Month_TheTwelveWeeksEndWithTheWeekOfItsLastDay()
    {
        await FixtureAsync();

        // November 2026 ends on Monday the 30th, which lies in 2026-W49.
        var trend = await _query.GetAsync(Period.Parse("2026-11"), new Actor(ActorKind.User, "u", "u"));

        Assert.Equal("2026-W38", trend.Weeks[0].ToString());
        Assert.Equal("2026-W49", trend.Weeks[^1].ToString());
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0], trend.Series.Single(s => s.Code == "fire").Reported); // W47 (grid 3) and W48
    }
}
