using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using FsCheck.Xunit;

namespace CommandCenter.Domain.Tests;

public sealed class PointsDomainTests
{
    private static readonly TimeZoneInfo Shanghai = BoardClock.FindZone("Asia/Shanghai");

    [Theory]
    [InlineData("2026-W47", PeriodKind.Week, 2026, 47)]
    [InlineData("2026-w01", PeriodKind.Week, 2026, 1)]
    [InlineData("2020-W53", PeriodKind.Week, 2020, 53)]
    [InlineData("2026-W53", PeriodKind.Week, 2026, 53)]
    [InlineData("2026-11", PeriodKind.Month, 2026, 11)]
    [InlineData(" 2026-01 ", PeriodKind.Month, 2026, 1)]
    public void Parses_weeks_and_months(string text, PeriodKind kind, int year, int number)
    {
        Assert.True(Period.TryParse(text, out var p));
        Assert.Equal(new Period(kind, year, number), p);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026")]
    [InlineData("2026-W54")]
    [InlineData("2025-W53")]
    [InlineData("2026-W00")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("26-11")]
    [InlineData("2026/11")]
    [InlineData("2026-W4")]
    public void Refuses_what_is_not_a_period(string text)
    {
        Assert.False(Period.TryParse(text, out _));
        var e = Assert.Throws<InputValidationException>(() => Period.Parse(text));
        Assert.Contains("period", e.Errors.Keys);
    }

    [Fact]
    public void A_week_starts_on_Monday_midnight_in_the_street_zone()
    {
        var w = Period.Parse("2026-W47");
        Assert.Equal(new DateOnly(2026, 11, 16), w.FirstDay);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 16, 0, 0, TimeSpan.Zero), w.Start(Shanghai));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero), w.End(Shanghai));
        Assert.Equal("2026-W46", w.Previous().ToString());
        Assert.Equal("2026-W48", w.Next().ToString());
        // Sunday 23:59 local is still week 47; Monday 00:00 local is week 48.
        Assert.Equal(w, Period.Of(PeriodKind.Week, new DateTimeOffset(2026, 11, 22, 15, 59, 0, TimeSpan.Zero), Shanghai));
        Assert.Equal(w.Next(), Period.Of(PeriodKind.Week, new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero), Shanghai));
    }

    [Fact]
    public void Weeks_cross_years_by_the_ISO_rule_and_months_roll_over()
    {
        Assert.Equal("2026-W01", Period.WeekOf(new DateOnly(2025, 12, 29)).ToString());
        Assert.Equal("2026-W53", Period.WeekOf(new DateOnly(2027, 1, 3)).ToString());
        Assert.Equal("2027-W01", Period.Parse("2026-W53").Next().ToString());
        Assert.Equal("2025-12", Period.Parse("2026-01").Previous().ToString());
        var m = Period.Parse("2026-11");
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero), m.Start(Shanghai));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero), m.End(Shanghai));
    }

    [Property]
    public bool Format_and_parse_round_trip_and_weeks_tile_time(int dayOffset)
    {
        var day = new DateOnly(2024, 1, 1).AddDays(Math.Abs(dayOffset % 3000));
        var week = Period.WeekOf(day);
        var month = Period.MonthOf(day);
        return Period.Parse(week.ToString()) == week
            && Period.Parse(month.ToString()) == month
            && week.FirstDay <= day && day < week.EndDay
            && week.Next().Start(Shanghai) == week.End(Shanghai)
            && week.Next().Previous() == week
            && string.CompareOrdinal(week.ToString(), week.Next().ToString()) < 0
            && string.CompareOrdinal(month.ToString(), month.Next().ToString()) < 0;
    }

    [Fact]
    public void Ranks_share_ties_and_skip()
    {
        var ranked = Ranking.ByScore(new[] { ("a", 5m), ("b", 9m), ("c", 5m), ("d", 1m) }, x => x.Item2, x => x.Item1);
        Assert.Equal(new[] { (1, "b"), (2, "a"), (2, "c"), (4, "d") }, ranked.Select(r => (r.Rank, r.Item.Item1)));
    }

    [Fact]
    public void A_cap_allows_what_is_left_of_it()
    {
        var r = new ScoringRule("PATROL", "巡查", "Patrol", ScoredEvent.PatrolCheckIn, 3, Earner.Person, CapPerPeriod: 7);
        Assert.Equal(3, r.Allow(0, 3));
        Assert.Equal(1, r.Allow(6, 3));
        Assert.Equal(0, r.Allow(7, 3));
        var d = r with { Points = -2, CapPerPeriod = 3 };
        Assert.Equal(-1, d.Allow(-2, -2));
        Assert.Equal(5, (r with { CapPerPeriod = null }).Allow(100, 5));
    }

    [Fact]
    public void The_rule_set_in_force_is_the_latest_effective_version()
    {
        var v1 = DefaultRules.Version1;
        var v2 = v1 with { Version = 2, EffectiveFrom = Period.Parse("2026-W48") };
        var v3 = v1 with { Version = 3, EffectiveFrom = Period.Parse("2026-W48") };
        RuleSet[] all = [v1, v2, v3];
        Assert.Equal(1, RuleSet.InForce(all, Period.Parse("2026-W47"))!.Version);
        Assert.Equal(3, RuleSet.InForce(all, Period.Parse("2026-W48"))!.Version);
        Assert.Equal(3, RuleSet.InForce(all, Period.Parse("2027-W02"))!.Version);
    }

    [Fact]
    public void The_default_rules_are_valid()
    {
        var rules = RuleSetRules.Validate(DefaultRules.Rules);
        Assert.Equal(DefaultRules.Rules.Count, rules.Count);
        Assert.Equal(Enum.GetValues<ScoredEvent>().Order(), DefaultRules.Rules.Select(r => r.Event).Distinct().Order());
    }

    [Fact]
    public void Bad_rules_name_their_fields()
    {
        var bad = new List<ScoringRule>
        {
            new("ok_lower", "", "x", ScoredEvent.PatrolCheckIn, 0, (Earner)9, CapPerPeriod: 0),
            new("SAT", "满意", "Sat", ScoredEvent.Satisfaction, 1, Earner.Grid),
            new("SAT2", "满意", "Sat", ScoredEvent.PatrolCheckIn, 1, Earner.Grid, Parameter: 5),
            new("SAT2", "满意", "Sat", ScoredEvent.CameraAlertAcknowledged, 1, Earner.Grid, Parameter: 0),
        };
        var e = Assert.Throws<InputValidationException>(() => RuleSetRules.Validate(bad));
        Assert.Contains("rules[0].code", e.Errors.Keys);
        Assert.Contains("rules[0].descriptionZh", e.Errors.Keys);
        Assert.Contains("rules[0].points", e.Errors.Keys);
        Assert.Contains("rules[0].earner", e.Errors.Keys);
        Assert.Contains("rules[0].capPerPeriod", e.Errors.Keys);
        Assert.Contains("rules[1].parameter", e.Errors.Keys);
        Assert.Contains("rules[2].parameter", e.Errors.Keys);
        Assert.Contains("rules[3].code", e.Errors.Keys);
        Assert.Contains("rules[3].parameter", e.Errors.Keys);
        Assert.Throws<InputValidationException>(() => RuleSetRules.Validate([]));
    }
}
