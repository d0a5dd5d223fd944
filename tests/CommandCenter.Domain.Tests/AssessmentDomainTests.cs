using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Validation;
using FsCheck.Xunit;

namespace CommandCenter.Domain.Tests;

public class AssessmentDomainTests
{
    private static AssessmentSettings Only(params (Indicator Indicator, decimal Weight)[] weights) => AssessmentSettings.Default with
    {
        Weights = weights.ToDictionary(w => w.Indicator, w => w.Weight),
    };

    private static AreaInput Area(long id, params (Indicator Indicator, decimal Value)[] values) =>
        new(id, "A" + id, values.ToDictionary(v => v.Indicator, v => v.Value), 0);

    [Fact]
    public void Min_max_normalisation_maps_best_to_one_and_worst_to_zero()
    {
        // Closure rates 0.5, 0.75, 1.0 → 0, 0.5, 1 → scores 0, 50, 100.
        var items = AssessmentCalculator.Assess(
            [Area(1, (Indicator.ClosureRate, 0.5m)), Area(2, (Indicator.ClosureRate, 0.75m)), Area(3, (Indicator.ClosureRate, 1m))],
            Only((Indicator.ClosureRate, 10)));

        Assert.Equal([3L, 2L, 1L], items.Select(i => i.Id));
        Assert.Equal([100m, 50m, 0m], items.Select(i => i.Score!.Value));
        Assert.Equal([1, 2, 3], items.Select(i => i.Rank!.Value));
        Assert.Equal(0.5m, items[1].Normalised[Indicator.ClosureRate]);
    }

    [Fact]
    public void Lower_is_better_indicators_are_inverted()
    {
        // Minutes to acknowledge 10 and 30: 10 is best (1), 30 worst (0).
        var items = AssessmentCalculator.Assess(
            [Area(1, (Indicator.MeanAckMinutes, 30m)), Area(2, (Indicator.MeanAckMinutes, 10m))],
            Only((Indicator.MeanAckMinutes, 1)));

        Assert.Equal(2L, items[0].Id);
        Assert.Equal(100m, items[0].Score);
        Assert.Equal(0m, items[1].Score);
    }

    [Fact]
    public void Weights_combine_indicators()
    {
        // Closure weight 3, on-time weight 1. A: closure best (1), on-time worst (0) → 75. B: the reverse → 25.
        var items = AssessmentCalculator.Assess(
            [Area(1, (Indicator.ClosureRate, 1m), (Indicator.OnTimeRate, 0.2m)), Area(2, (Indicator.ClosureRate, 0.4m), (Indicator.OnTimeRate, 0.9m))],
            Only((Indicator.ClosureRate, 3), (Indicator.OnTimeRate, 1)));

        Assert.Equal(75m, items.Single(i => i.Id == 1).Score);
        Assert.Equal(25m, items.Single(i => i.Id == 2).Score);
    }

    [Fact]
    public void No_data_is_left_out_not_counted_as_zero()
    {
        // Area 3 has no incidents (no closure rate): its score is its on-time part alone (best → 100), not dragged to 50.
        var items = AssessmentCalculator.Assess(
            [
                Area(1, (Indicator.ClosureRate, 1m), (Indicator.OnTimeRate, 0.5m)),
                Area(2, (Indicator.ClosureRate, 0m), (Indicator.OnTimeRate, 0.5m)),
                Area(3, (Indicator.OnTimeRate, 0.9m)),
                Area(4),
            ],
            Only((Indicator.ClosureRate, 1), (Indicator.OnTimeRate, 1)));

        var three = items.Single(i => i.Id == 3);
        Assert.Equal(100m, three.Score);
        Assert.False(three.Indicators.ContainsKey(Indicator.ClosureRate));
        // Area 1: closure 1, on-time 0 (0.5 is the worst) → 50; area 2: 0 and 0 → 0.
        Assert.Equal(50m, items.Single(i => i.Id == 1).Score);
        Assert.Equal(0m, items.Single(i => i.Id == 2).Score);
        // Area 4 has nothing at all: no score, no rank, last, no tier.
        var four = items[^1];
        Assert.Equal(4L, four.Id);
        Assert.Null(four.Score);
        Assert.Null(four.Rank);
        Assert.Equal(Tier.None, four.Tier);
    }

    [Fact]
    public void Equal_values_give_everyone_full_marks()
    {
        var items = AssessmentCalculator.Assess([Area(1, (Indicator.Satisfaction, 4m)), Area(2, (Indicator.Satisfaction, 4m))], Only((Indicator.Satisfaction, 1)));
        Assert.All(items, i => Assert.Equal(100m, i.Score));
        Assert.All(items, i => Assert.Equal(1, i.Rank));
    }

    [Fact]
    public void Ties_share_a_rank_and_the_next_rank_skips()
    {
        // Values 1, 0.5, 0.5, 0 → ranks 1, 2, 2, 4.
        var items = AssessmentCalculator.Assess(
            [Area(1, (Indicator.ClosureRate, 0.5m)), Area(2, (Indicator.ClosureRate, 1m)), Area(3, (Indicator.ClosureRate, 0m)), Area(4, (Indicator.ClosureRate, 0.5m))],
            Only((Indicator.ClosureRate, 1)));

        Assert.Equal([1, 2, 2, 4], items.Select(i => i.Rank!.Value));
        Assert.Equal([2L, 1L, 4L, 3L], items.Select(i => i.Id));
    }

    [Fact]
    public void Movement_is_previous_rank_minus_rank()
    {
        var previous = new Dictionary<long, int> { [1] = 3, [2] = 1 };
        var items = AssessmentCalculator.Assess(
            [Area(1, (Indicator.ClosureRate, 1m)), Area(2, (Indicator.ClosureRate, 0.5m)), Area(3, (Indicator.ClosureRate, 0m))],
            Only((Indicator.ClosureRate, 1)), previous);

        Assert.Equal(2, items.Single(i => i.Id == 1).Movement);   // 3 → 1: up two
        Assert.Equal(-1, items.Single(i => i.Id == 2).Movement);  // 1 → 2: down one
        Assert.Null(items.Single(i => i.Id == 3).Movement);       // not ranked before
        Assert.Null(items.Single(i => i.Id == 3).PreviousRank);
    }

    [Fact]
    public void Tiers_mark_the_top_and_bottom_tenth_with_ties_sharing()
    {
        // 20 areas, values 20..1 → a tenth is 2: ids 20, 19 red flag; ids 1, 2 need attention.
        var areas = Enumerable.Range(1, 20).Select(i => Area(i, (Indicator.ClosureRate, i / 20m))).ToList();
        var items = AssessmentCalculator.Assess(areas, Only((Indicator.ClosureRate, 1)));
        Assert.Equal([19L, 20L], items.Where(i => i.Tier == Tier.RedFlag).Select(i => i.Id).Order());
        Assert.Equal([1L, 2L], items.Where(i => i.Tier == Tier.NeedsAttention).Select(i => i.Id).Order());

        // Ties at the bottom: three areas share the last value → all three need attention.
        areas = [.. Enumerable.Range(4, 7).Select(i => Area(i, (Indicator.ClosureRate, i / 10m))), Area(1, (Indicator.ClosureRate, 0m)), Area(2, (Indicator.ClosureRate, 0m)), Area(3, (Indicator.ClosureRate, 0m))];
        items = AssessmentCalculator.Assess(areas, Only((Indicator.ClosureRate, 1)));
        Assert.Equal([1L, 2L, 3L], items.Where(i => i.Tier == Tier.NeedsAttention).Select(i => i.Id).Order());
        Assert.Equal([10L], items.Where(i => i.Tier == Tier.RedFlag).Select(i => i.Id));
    }

    [Fact]
    public void Tier_shares_are_configurable()
    {
        var areas = Enumerable.Range(1, 10).Select(i => Area(i, (Indicator.ClosureRate, i / 10m))).ToList();
        var settings = Only((Indicator.ClosureRate, 1)) with { RedFlagShare = 0.3m, NeedsAttentionShare = 0m };
        var items = AssessmentCalculator.Assess(areas, settings);
        Assert.Equal([8L, 9L, 10L], items.Where(i => i.Tier == Tier.RedFlag).Select(i => i.Id).Order());
        Assert.DoesNotContain(items, i => i.Tier == Tier.NeedsAttention);
    }

    [Fact]
    public void Counts_without_a_denominator_give_no_value()
    {
        var values = new AreaCounts { Reported = 0, Closed = 4, ClosedOnTime = 3, PeriodDays = 7, PatrolDays = 0, Households = 10, HouseholdsVisited = 5 }.Values();
        Assert.False(values.ContainsKey(Indicator.ClosureRate));
        Assert.False(values.ContainsKey(Indicator.MeanAckMinutes));
        Assert.False(values.ContainsKey(Indicator.KeyHouseholdVisits));
        Assert.Equal(0.75m, values[Indicator.OnTimeRate]);
        Assert.Equal(0m, values[Indicator.PatrolCoverage]);
        Assert.Equal(0.5m, values[Indicator.VisitCoverage]);
    }

    [Fact]
    public void Community_counts_add_up_rather_than_average()
    {
        // Grid A: 1 of 1 closed; grid B: 1 of 3 → community 2 of 4 = 0.5 (the mean of rates would be 0.67).
        var sum = new AreaCounts { Reported = 1, ClosedOfReported = 1 } + new AreaCounts { Reported = 3, ClosedOfReported = 1 };
        Assert.Equal(0.5m, sum.Values()[Indicator.ClosureRate]);
    }

    [Fact]
    public void Party_member_grade_caps_base_items_adds_bonus_and_deducts()
    {
        var scheme = PartyMemberScheme.Default; // DUTY 40, SERVE 40, VOLUNTEER 20; bonus cap 10
        var result = scheme.Grade(new Dictionary<string, int>
        {
            ["INC_REPORT"] = 30, ["PATROL"] = 25,       // duty 55 → capped 40
            ["VISIT"] = 20, ["CONTACT_VISIT"] = 10,     // serve 30
            ["VOLUNTEER"] = 12,                         // volunteering 12
            ["SAT_HIGH"] = 15,                          // bonus 15 → capped 10
            ["INC_REJECTED"] = -4,                      // deduction 4
        });

        Assert.Equal(40 + 30 + 12 + 10 - 4, result.Score); // 88
        Assert.Equal(Grade.Qualified, result.Grade);
        Assert.Equal(55, result.Items.Single(i => i.Code == "DUTY").Earned);
        Assert.Equal(40, result.Items.Single(i => i.Code == "DUTY").Counted);
        Assert.Equal(10, result.Bonus);
        Assert.Equal(4, result.Deductions);
    }

    [Theory]
    [InlineData(100, Grade.Excellent)]
    [InlineData(90, Grade.Excellent)]
    [InlineData(89, Grade.Qualified)]
    [InlineData(75, Grade.Qualified)]
    [InlineData(74, Grade.BasicallyQualified)]
    [InlineData(60, Grade.BasicallyQualified)]
    [InlineData(59, Grade.Unqualified)]
    [InlineData(0, Grade.Unqualified)]
    public void Grade_bounds_are_inclusive_lower_bounds(int score, Grade grade) =>
        Assert.Equal(grade, PartyMemberScheme.Default.GradeOf(score));

    [Fact]
    public void Grade_bounds_are_configurable_and_score_never_below_zero()
    {
        var scheme = PartyMemberScheme.Default with { ExcellentFrom = 80, QualifiedFrom = 50, BasicallyQualifiedFrom = 20 };
        Assert.Equal(Grade.Excellent, scheme.GradeOf(80));
        Assert.Equal(Grade.BasicallyQualified, scheme.GradeOf(20));
        var negative = scheme.Grade(new Dictionary<string, int> { ["INC_REJECTED"] = -30 });
        Assert.Equal(0, negative.Score);
        Assert.Equal(Grade.Unqualified, negative.Grade);
    }

    [Fact]
    public void Settings_validation_names_the_field()
    {
        AssessmentSettings.Default.Validate();
        var bad = AssessmentSettings.Default with
        {
            Weights = new Dictionary<Indicator, decimal> { [Indicator.ClosureRate] = 120 },
            RedFlagShare = 0.7m,
            PersonScheme = PartyMemberScheme.Default with { ExcellentFrom = 50, QualifiedFrom = 60 },
        };
        var ex = Assert.Throws<InputValidationException>(bad.Validate);
        Assert.Contains("weights.closureRate", ex.Errors.Keys);
        Assert.Contains("redFlagShare", ex.Errors.Keys);
        Assert.Contains("personScheme.bounds", ex.Errors.Keys);
        var zero = AssessmentSettings.Default with { Weights = new Dictionary<Indicator, decimal> { [Indicator.ClosureRate] = 0 } };
        Assert.Contains("weights", Assert.Throws<InputValidationException>(zero.Validate).Errors.Keys);
    }

    [Property]
    public bool Scores_stay_in_0_100_ranks_follow_scores_and_tiers_never_exceed_their_share_unless_tied(int[] raw, byte share)
    {
        var areas = (raw ?? []).Take(40).Select((v, i) => i % 5 == 0
            ? Area(i + 1)                                                              // no data at all
            : Area(i + 1, (Indicator.ClosureRate, Math.Abs(v % 101) / 100m), (Indicator.MeanAckMinutes, Math.Abs(v % 37)))).ToList();
        var settings = Only((Indicator.ClosureRate, 2), (Indicator.MeanAckMinutes, 1)) with { RedFlagShare = share % 51 / 100m, NeedsAttentionShare = share % 51 / 100m };
        var items = AssessmentCalculator.Assess(areas, settings);
        var ranked = items.Where(i => i.Rank is not null).ToList();
        var k = (int)Math.Ceiling(ranked.Count * settings.RedFlagShare);
        return items.Count == areas.Count
            && ranked.All(i => i.Score is >= 0 and <= 100)
            && items.Where(i => i.Rank is null).All(i => i.Score is null && i.Tier == Tier.None)
            && ranked.Zip(ranked.Skip(1)).All(p => p.First.Score >= p.Second.Score && (p.First.Score == p.Second.Score ? p.First.Rank == p.Second.Rank : p.Second.Rank > p.First.Rank))
            && ranked.Where(i => i.Tier == Tier.RedFlag).All(i => i.Rank <= k)
            && ranked.Where(i => i.Tier == Tier.NeedsAttention).All(i => ranked.Count(x => x.Score < i.Score) < k);
    }
}
