using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Points;

/// <summary>Volunteer service (the seeds' "1+3+N" volunteers): who, when, where, how many hours, in which grid.</summary>
public sealed record RecordVolunteerService
{
    public int? StaffId { get; init; }
    public int? GridId { get; init; }
    public DateTimeOffset? ServedAt { get; init; }
    public double? Hours { get; init; }
    public string? Place { get; init; }
    public string? Note { get; init; }
}

/// <summary>A party member's visit to one of the households they contact (党员联系户).</summary>
public sealed record RecordContactVisit
{
    public int? StaffId { get; init; }
    public long? HouseholdId { get; init; }
    public DateTimeOffset? VisitedAt { get; init; }
    public string? Note { get; init; }
}

/// <summary>An Admin spends a person's points (积分兑换) for a reason: a negative ledger row, never below zero.</summary>
public sealed record RedeemPoints
{
    public int? StaffId { get; init; }
    public int? Points { get; init; }
    public string? Reason { get; init; }
}

public static class PointsCommandRules
{
    public const double MaxHours = 24;
    public const int MaxRedemption = 100_000;

    /// <summary>Hours: more than 0, at most 24, in quarter hours.</summary>
    public static double? Hours(Validator v, string field, double? hours)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (hours is not { } h)
        {
            v.Add(field, "is required.");
            return null;
        }

        if (double.IsNaN(h) || h <= 0 || h > MaxHours) v.Add(field, $"must be more than 0 and at most {MaxHours}.");
        else if (Math.Abs(h * 4 - Math.Round(h * 4)) > 1e-9) v.Add(field, "must be in quarter hours (0.25).");
        return h;
    }

    public static int? RedemptionPoints(Validator v, int? points)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (points is not { } p)
        {
            v.Add("points", "is required.");
            return null;
        }

        if (p < 1 || p > MaxRedemption) v.Add("points", $"must be between 1 and {MaxRedemption} (the points to spend).");
        return p;
    }
}
