using CommandCenter.Domain.Assessments;

namespace CommandCenter.Data.Assessments;

/// <summary>
/// One ranked item of a stored assessment. For grids and communities: <see cref="Indicators"/> are the values (rates
/// 0–1, minutes, satisfaction 1–5, points per member; an absent key means no data) and <see cref="Normalised"/> the 0–1
/// values the score was built from; <see cref="Tier"/> is <c>redFlag</c>, <c>needsAttention</c> or <c>none</c>. For
/// people: <see cref="Grade"/> (<c>excellent</c> 优秀, <c>qualified</c> 合格, <c>basicallyQualified</c> 基本合格,
/// <c>unqualified</c> 不合格) and <see cref="Person"/> (base items, bonus, deductions for the year so far).
/// <see cref="Points"/> are the points credited in the period. <see cref="Movement"/> = previous rank − rank.
/// </summary>
public sealed record AssessmentItemView(
    int? Rank,
    int Id,
    string Name,
    string NameZh,
    int? CommunityId,
    decimal? Score,
    int Points,
    IReadOnlyDictionary<string, decimal> Indicators,
    IReadOnlyDictionary<string, decimal> Normalised,
    int? PreviousRank,
    int? Movement,
    string Tier,
    string? Grade,
    PersonResult? Person);

/// <summary>
/// A stored assessment of one kind (<c>grid</c>, <c>community</c>, <c>person</c>) for a week or month:
/// <see cref="Status"/> <c>provisional</c> or <c>final</c>, when it was computed, the rule-set versions of the
/// points it used, the settings version and the settings themselves (weights, tier shares, grade scheme).
/// </summary>
public sealed record AssessmentView(
    string Kind,
    string Period,
    string Status,
    DateTimeOffset ComputedAt,
    IReadOnlyList<int> RuleSetVersions,
    int WeightsVersion,
    AssessmentSettings Settings,
    IReadOnlyList<AssessmentItemView> Items);

/// <summary>A version of the assessment settings (version 0 is the built-in default).</summary>
public sealed record AssessmentSettingsVersion(int Version, DateTimeOffset? CreatedAt, string CreatedBy, string? Note, AssessmentSettings Settings);

public static class AssessmentNames
{
    public static string Kind(AssessmentKind kind) => kind switch
    {
        AssessmentKind.Grid => "grid",
        AssessmentKind.Community => "community",
        _ => "person",
    };

    public static string Status(AssessmentStatus status) => status == AssessmentStatus.Final ? "final" : "provisional";

    public static string Tier(Tier tier) => tier switch
    {
        Domain.Assessments.Tier.RedFlag => "redFlag",
        Domain.Assessments.Tier.NeedsAttention => "needsAttention",
        _ => "none",
    };

    public static string Grade(Grade grade) => grade switch
    {
        Domain.Assessments.Grade.Excellent => "excellent",
        Domain.Assessments.Grade.Qualified => "qualified",
        Domain.Assessments.Grade.BasicallyQualified => "basicallyQualified",
        _ => "unqualified",
    };
}
