using System.Text.RegularExpressions;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Points;

/// <summary>
/// One written rule of the points management system: which event it scores, how many points (+ reward, − deduction),
/// who earns them, the most (in absolute value) one earner can get from it in one week, and a parameter (minutes for
/// acknowledgement, the satisfaction threshold).
/// </summary>
public sealed record ScoringRule(
    string Code,
    string DescriptionZh,
    string DescriptionEn,
    ScoredEvent Event,
    int Points,
    Earner Earner,
    int? CapPerPeriod = null,
    int? Parameter = null,
    bool Enabled = true)
{
    public const int MaxPoints = 1000;

    /// <summary>
    /// What one more row of <paramref name="points"/> may add when the earner has <paramref name="soFar"/> from this
    /// rule in the week: the whole of it, what is left up to the cap, or 0.
    /// </summary>
    public int Allow(int soFar, int points)
    {
        if (CapPerPeriod is not { } cap) return points;
        var remaining = Math.Max(0, cap - Math.Abs(soFar));
        return Math.Sign(points) * Math.Min(Math.Abs(points), remaining);
    }
}

/// <summary>
/// A version of the rule set. Version 1 is the default (<see cref="DefaultRules"/>); an edit makes version n+1 in
/// force from the week after the edit, so a week is always scored — and explained — with one version: the highest
/// version whose <see cref="EffectiveFrom"/> is at or before it.
/// </summary>
public sealed record RuleSet(int Version, Period EffectiveFrom, IReadOnlyList<ScoringRule> Rules)
{
    public ScoringRule? Find(string code) => Rules.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));

    /// <summary>The version in force for <paramref name="week"/> among <paramref name="versions"/>, or null before the first.</summary>
    public static RuleSet? InForce(IEnumerable<RuleSet> versions, Period week) =>
        versions.Where(v => v.EffectiveFrom <= week).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Version).FirstOrDefault();
}

public static partial class RuleSetRules
{
    public const int MaxRules = 100;

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,39}$")]
    private static partial Regex CodePattern();

    /// <summary>Checks an edited rule set; every problem names its field (<c>rules[2].points</c>). Returns the rules as stored.</summary>
    public static IReadOnlyList<ScoringRule> Validate(IReadOnlyList<ScoringRule>? rules)
    {
        var v = new Validator();
        if (rules is null || rules.Count == 0)
        {
            v.Add("rules", "must hold at least one rule.");
            v.ThrowIfInvalid();
            return [];
        }

        if (rules.Count > MaxRules) v.Add("rules", $"must hold at most {MaxRules} rules.");
        var result = new List<ScoringRule>(rules.Count);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            var f = $"rules[{i}]";
            if (r is null)
            {
                v.Add(f, "is required.");
                continue;
            }

            var code = r.Code?.Trim() ?? "";
            if (!CodePattern().IsMatch(code)) v.Add(f + ".code", "must be 2–40 capital letters, digits or underscores, starting with a letter.");
            else if (!codes.Add(code)) v.Add(f + ".code", "is used by another rule.");
            var zh = v.RequiredText(f + ".descriptionZh", r.DescriptionZh, 200);
            var en = v.RequiredText(f + ".descriptionEn", r.DescriptionEn, 200);
            if (!Enum.IsDefined(r.Event)) v.Add(f + ".event", "is not a known event.");
            if (!Enum.IsDefined(r.Earner)) v.Add(f + ".earner", "must be Person, Grid or Community.");
            if (r.Points == 0 || Math.Abs(r.Points) > ScoringRule.MaxPoints) v.Add(f + ".points", $"must be between -{ScoringRule.MaxPoints} and {ScoringRule.MaxPoints} and not 0.");
            if (r.CapPerPeriod is { } cap && (cap < 1 || cap > 100_000)) v.Add(f + ".capPerPeriod", "must be between 1 and 100000, or empty for no cap.");
            if (r.Parameter is { } p)
            {
                if (r.Event is ScoredEvent.CameraAlertAcknowledged or ScoredEvent.WaterAlarmAcknowledged && (p < 1 || p > 1440))
                    v.Add(f + ".parameter", "must be between 1 and 1440 minutes.");
                else if (r.Event == ScoredEvent.Satisfaction && (p < 1 || p > 5)) v.Add(f + ".parameter", "must be a satisfaction between 1 and 5.");
                else if (r.Event is not (ScoredEvent.CameraAlertAcknowledged or ScoredEvent.WaterAlarmAcknowledged or ScoredEvent.Satisfaction))
                    v.Add(f + ".parameter", "is not used by this event.");
            }
            else if (r.Event == ScoredEvent.Satisfaction)
            {
                v.Add(f + ".parameter", "is required: the satisfaction threshold (1–5).");
            }

            result.Add(r with { Code = code, DescriptionZh = zh ?? "", DescriptionEn = en ?? "" });
        }

        v.ThrowIfInvalid();
        return result;
    }
}
