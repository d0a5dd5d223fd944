using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Assessments;

/// <summary>The grades of the party-member scheme.</summary>
public enum Grade
{
    /// <summary>优秀</summary>
    Excellent = 1,
    /// <summary>合格</summary>
    Qualified = 2,
    /// <summary>基本合格</summary>
    BasicallyQualified = 3,
    /// <summary>不合格</summary>
    Unqualified = 4,
}

/// <summary>A base item of the 100-point scale: the rule codes whose points feed it and its cap for the year.</summary>
public sealed record BaseItem(string Code, string NameZh, string NameEn, int YearlyCap, IReadOnlyList<string> RuleCodes);

/// <summary>
/// The published party-member schemes' shape: base items summing to 100 points, each capped for the year; bonus points
/// (positive points from rules outside the base items) up to a cap; deductions (every negative earned point) without a
/// cap. The score is the base + bonus − deductions, never below 0, for the year up to the end of the period assessed.
/// Grades by lower bounds: 优秀 ≥ Excellent, 合格 ≥ Qualified, 基本合格 ≥ BasicallyQualified, else 不合格.
/// Redemptions (spent points) are not deductions: spending does not lower a grade.
/// </summary>
public sealed record PartyMemberScheme
{
    public required IReadOnlyList<BaseItem> BaseItems { get; init; }
    public int BonusCap { get; init; } = 10;
    public decimal ExcellentFrom { get; init; } = 90;
    public decimal QualifiedFrom { get; init; } = 75;
    public decimal BasicallyQualifiedFrom { get; init; } = 60;

    /// <summary>
    /// The default scale (rule codes of DefaultRules v1): 履职尽责 duties on patrol 40, 联系服务群众 serving households 40,
    /// 志愿奉献 volunteering 20.
    /// </summary>
    public static PartyMemberScheme Default { get; } = new()
    {
        BaseItems =
        [
            new BaseItem("DUTY", "履职尽责", "Duties on patrol", 40, ["INC_REPORT", "PATROL"]),
            new BaseItem("SERVE", "联系服务群众", "Serving households", 40, ["VISIT", "KEY_VISITED", "CONTACT_VISIT"]),
            new BaseItem("VOLUNTEER", "志愿奉献", "Volunteering", 20, ["VOLUNTEER"]),
        ],
    };

    public void Validate(Validator v)
    {
        if (BaseItems.Count == 0) v.Add("personScheme.baseItems", "at least one base item is required.");
        if (BaseItems.Sum(b => b.YearlyCap) != 100) v.Add("personScheme.baseItems", "the yearly caps must add up to 100.");
        if (BaseItems.Any(b => b.YearlyCap <= 0)) v.Add("personScheme.baseItems", "every yearly cap must be above 0.");
        if (BaseItems.Select(b => b.Code).Distinct(StringComparer.Ordinal).Count() != BaseItems.Count) v.Add("personScheme.baseItems", "codes must be unique.");
        var codes = BaseItems.SelectMany(b => b.RuleCodes).ToList();
        if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count) v.Add("personScheme.baseItems", "a rule code may feed one base item only.");
        if (BonusCap < 0 || BonusCap > 100) v.Add("personScheme.bonusCap", "must be between 0 and 100.");
        if (!(ExcellentFrom > QualifiedFrom && QualifiedFrom > BasicallyQualifiedFrom && BasicallyQualifiedFrom > 0 && ExcellentFrom <= 100))
            v.Add("personScheme.bounds", "must satisfy 100 ≥ excellent > qualified > basically qualified > 0.");
    }

    /// <summary>
    /// Grades one person from their earned points per rule code for the year so far (positive and negative
    /// amounts separately, since a rule may both add and take away only through different codes).
    /// </summary>
    public PersonResult Grade(IReadOnlyDictionary<string, int> earnedByRule)
    {
        var items = new List<BaseItemScore>(BaseItems.Count);
        var inBase = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in BaseItems)
        {
            var raw = item.RuleCodes.Sum(code => Math.Max(0, earnedByRule.GetValueOrDefault(code)));
            items.Add(new BaseItemScore(item.Code, raw, Math.Min(raw, item.YearlyCap)));
            inBase.UnionWith(item.RuleCodes);
        }

        var bonusRaw = earnedByRule.Where(kv => !inBase.Contains(kv.Key) && kv.Value > 0).Sum(kv => kv.Value);
        var bonus = Math.Min(bonusRaw, BonusCap);
        var deductions = earnedByRule.Where(kv => kv.Value < 0).Sum(kv => -kv.Value);
        var score = Math.Max(0, items.Sum(i => i.Counted) + bonus - deductions);
        return new PersonResult(score, GradeOf(score), items, bonus, deductions);
    }

    public Grade GradeOf(decimal score) =>
        score >= ExcellentFrom ? Assessments.Grade.Excellent
        : score >= QualifiedFrom ? Assessments.Grade.Qualified
        : score >= BasicallyQualifiedFrom ? Assessments.Grade.BasicallyQualified
        : Assessments.Grade.Unqualified;
}

/// <summary>One base item's points: what was earned and what counts under the yearly cap.</summary>
public sealed record BaseItemScore(string Code, int Earned, int Counted);

public sealed record PersonResult(int Score, Grade Grade, IReadOnlyList<BaseItemScore> Items, int Bonus, int Deductions);
