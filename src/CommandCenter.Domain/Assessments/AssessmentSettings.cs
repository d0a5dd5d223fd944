using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Assessments;

/// <summary>
/// What an Admin sets for the assessments, stored as one versioned row (AssessmentWeights) and copied into every
/// stored assessment, so a ranking can always be explained with the settings it was computed with:
/// indicator weights, the tier shares and the party-member grade scheme.
/// </summary>
public sealed record AssessmentSettings
{
    /// <summary>Weight per indicator (0–100). An indicator with weight 0 is shown but does not count.</summary>
    public required IReadOnlyDictionary<Indicator, decimal> Weights { get; init; }

    /// <summary>Share of the cohort (0–0.5) marked 红旗 (red flag) at the top; default a tenth.</summary>
    public decimal RedFlagShare { get; init; } = 0.1m;

    /// <summary>Share of the cohort (0–0.5) marked 待改进 (needs attention) at the bottom; default a tenth.</summary>
    public decimal NeedsAttentionShare { get; init; } = 0.1m;

    public required PartyMemberScheme PersonScheme { get; init; }

    public static AssessmentSettings Default { get; } = new()
    {
        Weights = new SortedDictionary<Indicator, decimal>
        {
            [Indicator.ClosureRate] = 15,
            [Indicator.OnTimeRate] = 15,
            [Indicator.EscalationRate] = 10,
            [Indicator.PatrolCoverage] = 10,
            [Indicator.VisitCoverage] = 10,
            [Indicator.KeyHouseholdVisits] = 10,
            [Indicator.MeanAckMinutes] = 10,
            [Indicator.Satisfaction] = 10,
            [Indicator.PointsPerMember] = 10,
        },
        PersonScheme = PartyMemberScheme.Default,
    };

    /// <summary>Refuses weights outside 0–100, all-zero weights, shares outside 0–0.5 and a scheme that does not hold.</summary>
    public void Validate()
    {
        var v = new Validator();
        foreach (var (indicator, weight) in Weights)
        {
            if (!Enum.IsDefined(indicator)) v.Add("weights", $"unknown indicator {(int)indicator}.");
            else if (weight < 0 || weight > 100) v.Add("weights." + Indicators.Key(indicator), "must be between 0 and 100.");
        }

        if (Weights.Values.Sum() <= 0) v.Add("weights", "at least one indicator must have a weight above 0.");
        if (RedFlagShare < 0 || RedFlagShare > 0.5m) v.Add("redFlagShare", "must be between 0 and 0.5.");
        if (NeedsAttentionShare < 0 || NeedsAttentionShare > 0.5m) v.Add("needsAttentionShare", "must be between 0 and 0.5.");
        PersonScheme.Validate(v);
        v.ThrowIfInvalid();
    }
}
