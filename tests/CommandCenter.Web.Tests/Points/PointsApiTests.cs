using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Points;

[Collection(AppCollection.Name)]
public sealed class PointsApiTests(CommandCenterFactory app)
{
    private async Task<(int StaffId, int GridId, long HouseholdId)> PartyMemberAsync()
    {
        var db = app.Services.GetRequiredService<DbConnectionFactory>();
        await using var c = await db.OpenAsync();
        return await c.QueryFirstAsync<(int, int, long)>(
            "SELECT s.Id, a.GridId, (SELECT MIN(h.Id) FROM Household h WHERE h.GridId = a.GridId) FROM Staff s JOIN StaffAssignment a ON a.StaffId = s.Id " +
            "WHERE s.IsPartyMember = 1 AND s.Active = 1 AND EXISTS (SELECT 1 FROM Household h WHERE h.GridId = a.GridId) ORDER BY s.Id DESC");
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task VolunteerService_AndContactVisit_AreRecordedAndListed_BadInputIsAProblemNamingTheField()
    {
        var callers = await Callers.ForAsync(app);
        var (staffId, gridId, householdId) = await PartyMemberAsync();
        var at = DateTimeOffset.UtcNow.AddHours(-2);

        var created = await callers.SendAsync(Caller.Operator, null, HttpMethod.Post, "/api/v1/volunteer-services",
            Body(new { staffId, gridId, servedAt = at, hours = 1.5, place = "社区广场 Square" }));
        var bad = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/volunteer-services",
            Body(new { staffId, gridId, servedAt = at, hours = 30, place = "x" }));
        var contact = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/contact-visits",
            Body(new { staffId, householdId, visitedAt = at, note = "问候" }));
        var list = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, $"/api/v1/volunteer-services?staffId={staffId}");
        var contacts = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, $"/api/v1/contact-visits?staffId={staffId}&take=5");
        var badTake = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/contact-visits?take=0");

        var id = (await JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        Assert.True((await JsonAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("hours", out _));
        await JsonAsync(contact, HttpStatusCode.Created);
        Assert.Contains((await JsonAsync(list, HttpStatusCode.OK)).EnumerateArray(), e => e.GetProperty("id").GetInt64() == id && e.GetProperty("hours").GetDouble() == 1.5);
        Assert.Contains((await JsonAsync(contacts, HttpStatusCode.OK)).EnumerateArray(), e => e.GetProperty("householdId").GetInt64() == householdId);
        Assert.True((await JsonAsync(badTake, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("take", out _));
    }

    [Fact]
    public async Task Leaderboards_RankEveryGrid_AndABadPeriodIsAProblem()
    {
        var callers = await Callers.ForAsync(app);
        var week = Period.Of(PeriodKind.Week, DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString();

        var grids = await JsonAsync(await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, $"/api/v1/points/grids/{week}"), HttpStatusCode.OK);
        var month = await JsonAsync(await callers.SendAsync(Caller.Device, null, HttpMethod.Get, $"/api/v1/points/communities/{week[..4]}-01"), HttpStatusCode.OK);
        var bad = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/points/people/2026-W99");

        Assert.Equal(week, grids.GetProperty("period").GetString());
        var items = grids.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Count > 10);
        Assert.Equal(1, items[0].GetProperty("rank").GetInt32());
        Assert.True(items.Zip(items.Skip(1)).All(p => p.First.GetProperty("points").GetInt32() >= p.Second.GetProperty("points").GetInt32()));
        Assert.Equal("Community", month.GetProperty("earner").GetString());
        Assert.True((await JsonAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("period", out _));
    }

    [Fact]
    public async Task Redemption_IsRefusedBelowZero_AndSpendsWhatIsThere()
    {
        var callers = await Callers.ForAsync(app);
        var db = app.Services.GetRequiredService<DbConnectionFactory>();
        int staffId;
        await using (var c = await db.OpenAsync())
        {
            staffId = await c.ExecuteScalarAsync<int>("SELECT MIN(Id) FROM Staff");
            var balance = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(Points), 0) FROM PointsLedger WHERE EarnerKind = 1 AND EarnerId = @staffId", new { staffId });
            await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt, Reason) " +
                                 "VALUES (2, 1, @staffId, @staffId, 'REDEEM', @p, '2026-W01', '2026-01', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', 'reset for the test')",
                new { staffId, p = -balance });
            await c.ExecuteAsync("INSERT INTO PointsLedger (Kind, EarnerKind, EarnerId, StaffId, RuleCode, Points, Week, Month, OccurredAt, CreatedAt) " +
                                 "VALUES (1, 1, @staffId, @staffId, 'TEST', 5, '2026-W01', '2026-01', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')", new { staffId });
        }

        var tooMuch = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/points/redemptions", Body(new { staffId, points = 6, reason = "雨伞" }));
        var ok = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/points/redemptions", Body(new { staffId, points = 5, reason = "雨伞" }));
        var person = await callers.SendAsync(Caller.Viewer, null, HttpMethod.Get, $"/api/v1/points/staff/{staffId}");

        var problem = await JsonAsync(tooMuch, HttpStatusCode.Conflict);
        Assert.True(problem.GetProperty("errors").TryGetProperty("points", out _));
        Assert.Equal(0, (await JsonAsync(ok, HttpStatusCode.Created)).GetProperty("balanceAfter").GetInt32());
        Assert.Equal(0, (await JsonAsync(person, HttpStatusCode.OK)).GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task Rules_AreListed_AndAnEditIsANewVersionFromNextWeek_BadRulesNameTheField()
    {
        var callers = await Callers.ForAsync(app);
        var versions = await JsonAsync(await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, "/api/v1/points/rules"), HttpStatusCode.OK);
        var v1 = versions.EnumerateArray().First();
        var rules = v1.GetProperty("rules").EnumerateArray().Select(r => JsonSerializer.Deserialize<Dictionary<string, object?>>(r.GetRawText())!).ToList();
        rules[0]["points"] = 3;

        var saved = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/points/rules", Body(new { rules, note = "more for reports" }));
        rules[1]["points"] = 0;
        rules[2]["event"] = "Nonsense";
        var bad = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/points/rules", Body(new { rules }));

        Assert.Equal("2000-W01", v1.GetProperty("effectiveFrom").GetString());
        var body = await JsonAsync(saved, HttpStatusCode.Created);
        Assert.True(body.GetProperty("version").GetInt32() >= 2);
        var errors = (await JsonAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("rules[2].event", out _), errors.ToString());
    }
}
