namespace CommandCenter.Domain.Points;

/// <summary>
/// One recorded event that rules may score. <see cref="SourceId"/> is the row it comes from (step-log row, alert,
/// alarm, check-in, visit, volunteer record, contact visit; the household for the weekly key-household events).
/// <see cref="Value"/> is what a rule's condition or amount reads: minutes to acknowledge, hours of service, satisfaction.
/// </summary>
public sealed record ScoredOccurrence(
    ScoredEvent Event,
    long SourceId,
    DateTimeOffset At,
    int? StaffId,
    int GridId,
    int CommunityId,
    double? Value = null);

/// <summary>The identity of an earned ledger row within a week: the same rule, source and earner are scored once.</summary>
public readonly record struct LedgerKey(string RuleCode, ScoredEvent Event, long SourceId, Earner EarnerKind, int EarnerId);

/// <summary>A ledger row to add.</summary>
public sealed record LedgerEntry(
    LedgerKey Key,
    int? StaffId,
    int GridId,
    int CommunityId,
    int Points,
    DateTimeOffset OccurredAt);

/// <summary>
/// The scoring rules applied to one week's events (pure). Given what the ledger holds for the week already, it returns
/// only the rows to add, so that scoring again adds nothing and caps hold across runs: events are taken in time order
/// (then by kind and source), each rule's points for an earner are added up, and a row is cut to what is left of the
/// rule's cap (a row that would add 0 is not written).
/// </summary>
public static class PointsCalculator
{
    public static IReadOnlyList<LedgerEntry> Score(
        RuleSet rules,
        IEnumerable<ScoredOccurrence> occurrences,
        IEnumerable<(LedgerKey Key, int Points)> existing)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var seen = new HashSet<LedgerKey>();
        var totals = new Dictionary<(string, Earner, int), int>();
        foreach (var (key, points) in existing)
        {
            seen.Add(key);
            var t = (key.RuleCode, key.EarnerKind, key.EarnerId);
            totals[t] = totals.GetValueOrDefault(t) + points;
        }

        var byEvent = rules.Rules.Where(r => r.Enabled).GroupBy(r => r.Event).ToDictionary(g => g.Key, g => g.ToList());
        var result = new List<LedgerEntry>();
        foreach (var o in occurrences.OrderBy(o => o.At).ThenBy(o => o.Event).ThenBy(o => o.SourceId))
        {
            if (!byEvent.TryGetValue(o.Event, out var eventRules)) continue;
            foreach (var rule in eventRules)
            {
                if (PointsFor(rule, o) is not { } points || points == 0) continue;
                int? earnerId = rule.Earner switch
                {
                    Earner.Person => o.StaffId,
                    Earner.Grid => o.GridId,
                    _ => o.CommunityId,
                };
                if (earnerId is not { } id) continue;
                var key = new LedgerKey(rule.Code, o.Event, o.SourceId, rule.Earner, id);
                if (!seen.Add(key)) continue;
                var t = (rule.Code, rule.Earner, id);
                var soFar = totals.GetValueOrDefault(t);
                var allowed = rule.Allow(soFar, points);
                if (allowed == 0) continue;
                totals[t] = soFar + allowed;
                result.Add(new LedgerEntry(key, o.StaffId, o.GridId, o.CommunityId, allowed, o.At));
            }
        }

        return result;
    }

    /// <summary>The points a rule gives an occurrence before the cap, or null when its condition is not met.</summary>
    public static int? PointsFor(ScoringRule rule, ScoredOccurrence o)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(o);
        switch (o.Event)
        {
            case ScoredEvent.CameraAlertAcknowledged or ScoredEvent.WaterAlarmAcknowledged:
                if (o.Value is not { } minutes || minutes < 0) return null;
                return rule.Parameter is { } limit && minutes > limit ? null : rule.Points;
            case ScoredEvent.Satisfaction:
                if (o.Value is not { } s || rule.Parameter is not { } threshold) return null;
                return (rule.Points > 0 ? s >= threshold : s <= threshold) ? rule.Points : null;
            case ScoredEvent.VolunteerHours:
                if (o.Value is not { } hours || hours <= 0) return null;
                return (int)Math.Truncate(hours * rule.Points + (rule.Points > 0 ? 1e-9 : -1e-9));
            default:
                return rule.Points;
        }
    }
}
