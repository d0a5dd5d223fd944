namespace CommandCenter.Domain.Points;

/// <summary>A ranked item: rank with ties ("standard competition": 1, 2, 2, 4).</summary>
public readonly record struct Ranked<T>(int Rank, T Item);

public static class Ranking
{
    /// <summary>
    /// Ranks items by a score, highest first; equal scores share a rank and the next rank skips (1, 2, 2, 4). Items with
    /// equal scores keep the order of <paramref name="tieBreak"/> (e.g. by id) so the list is stable.
    /// </summary>
    public static IReadOnlyList<Ranked<T>> ByScore<T, TKey>(IEnumerable<T> items, Func<T, decimal> score, Func<T, TKey> tieBreak)
    {
        var ordered = items.OrderByDescending(score).ThenBy(tieBreak).ToList();
        var result = new List<Ranked<T>>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && score(ordered[i]) == score(ordered[i - 1]) ? result[i - 1].Rank : i + 1;
            result.Add(new Ranked<T>(rank, ordered[i]));
        }

        return result;
    }
}
