using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Components.Pages.Review;

/// <summary>
/// How the review shows numbers, in the current culture: rates (closure, on-time, escalation, the coverages) as
/// percentages with one decimal ("83.0%"), minutes to acknowledge in minutes, satisfaction out of 5, points per member
/// as points per member; "–" where there is no value.
/// </summary>
public static class ReviewFormat
{
    private static readonly HashSet<string> Rates = new(StringComparer.Ordinal)
    {
        "closureRate", "onTimeRate", "escalationRate", "patrolCoverage", "visitCoverage", "keyHouseholdVisits",
    };

    private static readonly HashSet<string> Others = new(StringComparer.Ordinal) { "meanAckMinutes", "satisfaction", "pointsPerMember" };

    public static bool IsRate(string key) => Rates.Contains(key);

    public static bool IsIndicator(string key) => Rates.Contains(key) || Others.Contains(key);

    /// <summary>An indicator's value with its unit.</summary>
    public static string Indicator(string key, decimal? value, IStringLocalizer l)
    {
        ArgumentNullException.ThrowIfNull(l);
        if (value is not { } v) return "–";
        var c = CultureInfo.CurrentCulture;
        return key switch
        {
            _ when Rates.Contains(key) => v.ToString("P1", c),
            "meanAckMinutes" => l["Review_Unit_Minutes", v.ToString("0.0", c)],
            "satisfaction" => l["Review_Unit_Satisfaction", v.ToString("0.0", c)],
            "pointsPerMember" => l["Review_Unit_PerMember", v.ToString("0.0", c)],
            _ => v.ToString("0.##", c),
        };
    }

    /// <summary>A chart's axis label: rates as whole percentages, the rest as plain numbers.</summary>
    public static string Tick(string key, decimal value) =>
        Rates.Contains(key) ? value.ToString("P0", CultureInfo.CurrentCulture) : value.ToString("0.#", CultureInfo.CurrentCulture);

    public static string Number(decimal? value, string format) => value?.ToString(format, CultureInfo.CurrentCulture) ?? "–";
}
