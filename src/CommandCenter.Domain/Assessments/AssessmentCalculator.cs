using CommandCenter.Domain.Points;

namespace CommandCenter.Domain.Assessments;

/// <summary>An area to assess: its id and name, its indicator values (absent = no data) and its points.</summary>
public sealed record AreaInput(long Id, string Name, IReadOnlyDictionary<Indicator, decimal> Values, int Points);

/// <summary>
/// One ranked item. <see cref="Score"/> is 0–100, or null when the area had no data for any weighted indicator (then
/// it has no rank and comes last). <see cref="Movement"/> is previous rank − rank (positive = moved up), null when
/// either period has no rank.
/// </summary>
public sealed record AssessedItem(
    int? Rank,
    long Id,
    string Name,
    decimal? Score,
    int Points,
    IReadOnlyDictionary<Indicator, decimal> Indicators,
    IReadOnlyDictionary<Indicator, decimal> Normalised,
    int? PreviousRank,
    int? Movement,
    Tier Tier);

/// <summary>
/// Normalisation, score, rank with ties, movement and tiers of a cohort (all grids, or all communities).
/// <list type="bullet">
/// <item>Each indicator is normalised min–max across the areas of the cohort that have data for it: the best value
/// maps to 1, the worst to 0 (inverted for lower-is-better indicators). If every area with data has the same value,
/// each gets 1 — nobody is behind.</item>
/// <item>An indicator with no data for an area is left out of that area's score, and the area's weights are rescaled
/// over the indicators it has: no data is neither a 0 nor a 1.</item>
/// <item>Score = 100 × Σ wᵢ·nᵢ / Σ wᵢ over those indicators, rounded to 2 places; ranks 1, 2, 2, 4 by score.</item>
/// <item>Tiers: with n ranked areas, k = ⌈n × share⌉; an area is 红旗 when fewer than k areas score above it, 待改进
/// when fewer than k areas score below it (ties share the tier); if both hold (tiny cohorts) red flag wins.</item>
/// </list>
/// </summary>
public static class AssessmentCalculator
{
    public static IReadOnlyList<AssessedItem> Assess(
        IReadOnlyList<AreaInput> areas,
        AssessmentSettings settings,
        IReadOnlyDictionary<long, int>? previousRanks = null)
    {
        var weights = settings.Weights.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);

        // Min and max per indicator over the areas that have it.
        var ranges = new Dictionary<Indicator, (decimal Min, decimal Max)>();
        foreach (var indicator in Indicators.All)
        {
            var present = areas.Where(a => a.Values.ContainsKey(indicator)).Select(a => a.Values[indicator]).ToList();
            if (present.Count > 0) ranges[indicator] = (present.Min(), present.Max());
        }

        var scored = areas.Select(a =>
        {
            var normalised = new SortedDictionary<Indicator, decimal>();
            decimal sum = 0, weightSum = 0;
            foreach (var (indicator, value) in a.Values)
            {
                var (min, max) = ranges[indicator];
                var n = max == min ? 1m : (value - min) / (max - min);
                if (Indicators.LowerIsBetter(indicator) && max != min) n = 1m - n;
                n = Math.Round(n, 4);
                normalised[indicator] = n;
                if (weights.TryGetValue(indicator, out var w))
                {
                    sum += w * n;
                    weightSum += w;
                }
            }

            decimal? score = weightSum > 0 ? Math.Round(100m * sum / weightSum, 2) : null;
            return (Area: a, Score: score, Normalised: normalised);
        }).ToList();

        var ranked = Ranking.ByScore(scored.Where(s => s.Score is not null), s => s.Score!.Value, s => s.Area.Id);
        var n = ranked.Count;
        var top = (int)Math.Ceiling(n * settings.RedFlagShare);
        var bottom = (int)Math.Ceiling(n * settings.NeedsAttentionShare);

        var result = new List<AssessedItem>(areas.Count);
        foreach (var r in ranked)
        {
            var score = r.Item.Score!.Value;
            var above = r.Rank - 1;
            var below = ranked.Count(x => x.Item.Score!.Value < score);
            var tier = above < top ? Tier.RedFlag : below < bottom ? Tier.NeedsAttention : Tier.None;
            result.Add(Item(r.Rank, r.Item.Area, score, r.Item.Normalised, tier, previousRanks));
        }

        foreach (var s in scored.Where(s => s.Score is null).OrderBy(s => s.Area.Id))
        {
            result.Add(Item(null, s.Area, null, s.Normalised, Tier.None, previousRanks));
        }

        return result;
    }

    private static AssessedItem Item(int? rank, AreaInput area, decimal? score, IReadOnlyDictionary<Indicator, decimal> normalised, Tier tier, IReadOnlyDictionary<long, int>? previousRanks)
    {
        int? previous = previousRanks is not null && previousRanks.TryGetValue(area.Id, out var p) ? p : null;
        int? movement = previous is not null && rank is not null ? previous - rank : null;
        return new AssessedItem(rank, area.Id, area.Name, score, area.Points, area.Values, normalised, previous, movement, tier);
    }
}
