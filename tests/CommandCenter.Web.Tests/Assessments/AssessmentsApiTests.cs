using System.Net;
using System.Text.Json;
using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Assessments;

[Collection(AppCollection.Name)]
public sealed class AssessmentsApiTests(CommandCenterFactory app)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static StringContent Body(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Grids_AndCommunities_AreRanked_WithIndicatorsAndTiers_BadPeriod400_Nothing404()
    {
        var callers = await Callers.ForAsync(app);
        var week = Period.Of(PeriodKind.Week, DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var engine = app.Services.GetRequiredService<AssessmentEngine>();
        await engine.RunAsync(AssessmentKind.Grid, week);
        await engine.RunAsync(AssessmentKind.Community, week);

        var grids = await JsonAsync(await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, $"/api/v1/assessments/grids/{week}"), HttpStatusCode.OK);
        var communities = await JsonAsync(await callers.SendAsync(Caller.Device, null, HttpMethod.Get, $"/api/v1/assessments/communities/{week}"), HttpStatusCode.OK);
        var scoped = await JsonAsync(await callers.SendAsync(Caller.ScopedOperator, null, HttpMethod.Get, $"/api/v1/assessments/grids/{week}"), HttpStatusCode.OK);
        var bad = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/assessments/grids/2026-W99");
        var none = await callers.SendAsync(Caller.Admin, null, HttpMethod.Get, "/api/v1/assessments/grids/2001-W01");

        Assert.Equal(week.ToString(), grids.GetProperty("period").GetString());
        Assert.Equal("provisional", grids.GetProperty("status").GetString());
        Assert.True(grids.GetProperty("weights").GetProperty("weights").TryGetProperty("closureRate", out _));
        var items = grids.GetProperty("items").EnumerateArray().ToList();
        Assert.True(items.Count > 10);
        Assert.Equal(1, items[0].GetProperty("rank").GetInt32());
        Assert.Equal("redFlag", items[0].GetProperty("tier").GetString());
        Assert.Contains(items, i => i.GetProperty("tier").GetString() == "needsAttention");
        var ranked = items.Where(i => i.GetProperty("rank").ValueKind == JsonValueKind.Number).ToList();
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.GetProperty("score").GetDecimal() >= p.Second.GetProperty("score").GetDecimal()));
        Assert.True(items[0].GetProperty("indicators").TryGetProperty("patrolCoverage", out _));
        Assert.Equal("community", communities.GetProperty("kind").GetString());
        var scopedItems = scoped.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(scopedItems);
        Assert.True(scopedItems.Count < items.Count);
        Assert.Single(scopedItems.Select(i => i.GetProperty("communityId").GetInt32()).Distinct());
        Assert.True((await JsonAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("period", out _));
        Assert.Equal(404, (await JsonAsync(none, HttpStatusCode.NotFound)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task People_AreGraded()
    {
        var callers = await Callers.ForAsync(app);
        var month = Period.Of(PeriodKind.Month, DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await app.Services.GetRequiredService<AssessmentEngine>().RunAsync(AssessmentKind.Person, month);

        var people = await JsonAsync(await callers.SendAsync(Caller.Viewer, null, HttpMethod.Get, $"/api/v1/assessments/people/{month}"), HttpStatusCode.OK);

        var first = people.GetProperty("items").EnumerateArray().First();
        Assert.Contains(first.GetProperty("grade").GetString(), new[] { "excellent", "qualified", "basicallyQualified", "unqualified" });
        Assert.Equal(3, first.GetProperty("person").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Settings_AreVersioned_AndBadWeightsNameTheField()
    {
        var callers = await Callers.ForAsync(app);

        var saved = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/assessments/settings",
            Body(new { weights = new Dictionary<string, decimal> { ["closureRate"] = 30, ["onTimeRate"] = 20, ["satisfaction"] = 10 }, redFlagShare = 0.2m, note = "test" }));
        var unknown = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/assessments/settings",
            Body(new { weights = new Dictionary<string, decimal> { ["speed"] = 1 } }));
        var outOfRange = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/api/v1/assessments/settings",
            Body(new { weights = new Dictionary<string, decimal> { ["closureRate"] = 101 }, needsAttentionShare = 0.9m }));
        var list = await JsonAsync(await callers.SendAsync(Caller.Leader, null, HttpMethod.Get, "/api/v1/assessments/settings"), HttpStatusCode.OK);

        var body = await JsonAsync(saved, HttpStatusCode.Created);
        Assert.True(body.GetProperty("version").GetInt32() >= 1);
        Assert.Equal(0.2m, body.GetProperty("settings").GetProperty("redFlagShare").GetDecimal());
        Assert.True((await JsonAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("weights.speed", out _));
        var errors = (await JsonAsync(outOfRange, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("weights.closureRate", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("needsAttentionShare", out _), errors.ToString());
        Assert.Equal(0, list.EnumerateArray().Last().GetProperty("version").GetInt32());
        Assert.Equal(body.GetProperty("version").GetInt32(), list.EnumerateArray().First().GetProperty("version").GetInt32());
    }
}
