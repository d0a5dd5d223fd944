using System.Globalization;
using CommandCenter.Domain.Points;

namespace CommandCenter.Web.Components.Pages.Incidents;

/// <summary>
/// Links into the incident queue that open it filtered (the leaders' review drills from a number to its incidents):
/// <c>/incidents?gridId=4&amp;period=2026-W47&amp;basis=reported&amp;escalated=true&amp;category=fire</c>. <c>basis</c> is
/// <c>reported</c> (reported in the period, as the closure and escalation rates count) or <c>closed</c> (resolved in
/// the period, as the on-time rate and satisfaction count). A link with a period lists every step, not only open ones.
/// </summary>
public static class IncidentQueueLink
{
    public static string For(int? gridId, Period period, string basis = "reported", bool escalated = false, string? category = null, int? communityId = null)
    {
        var q = new List<string>();
        if (gridId is { } g) q.Add("gridId=" + g.ToString(CultureInfo.InvariantCulture));
        if (communityId is { } c) q.Add("communityId=" + c.ToString(CultureInfo.InvariantCulture));
        if (category is not null) q.Add("category=" + Uri.EscapeDataString(category));
        q.Add("period=" + period);
        q.Add("basis=" + (basis == "closed" ? "closed" : "reported"));
        if (escalated) q.Add("escalated=true");
        return "/incidents?" + string.Join('&', q);
    }

    /// <summary>The query parameters applied to the queue's filter; the unknown or malformed ones are ignored.</summary>
    public static ConsoleQueueQuery Apply(ConsoleQueueQuery query, int? gridId, int? communityId, string? category, string? period, string? basis, bool? escalated, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(zone);
        if (gridId is not null) query = query with { GridId = gridId };
        if (communityId is not null) query = query with { CommunityId = communityId };
        if (Domain.Model.IncidentCategories.IsKnown(category)) query = query with { Category = category };
        if (escalated == true) query = query with { EscalatedOnly = true, OpenOnly = false };
        if (Period.TryParse(period, out var p))
        {
            query = string.Equals(basis, "closed", StringComparison.OrdinalIgnoreCase)
                ? query with { ClosedFrom = p.Start(zone), ClosedBefore = p.End(zone), OpenOnly = false }
                : query with { ReportedFrom = p.Start(zone), ReportedBefore = p.End(zone), OpenOnly = false };
        }

        return query;
    }

    /// <summary>The period filter in words for the chip above the queue, or null when there is none.</summary>
    public static string? Describe(string? period, string? basis, bool? escalated, Microsoft.Extensions.Localization.IStringLocalizer l)
    {
        ArgumentNullException.ThrowIfNull(l);
        var escalatedText = l["QueueReviewEscalated"].Value;
        if (!Period.TryParse(period, out var p)) return escalated == true ? escalatedText : null;
        var text = string.Equals(basis, "closed", StringComparison.OrdinalIgnoreCase) ? l["QueueReviewClosedIn", p.ToString()].Value : l["QueueReviewReportedIn", p.ToString()].Value;
        return escalated == true ? text + " · " + escalatedText : text;
    }
}
