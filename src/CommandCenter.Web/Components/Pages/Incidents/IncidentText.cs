using System.Globalization;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Components.Pages.Incidents;

/// <summary>The loop's words in the UI language: steps, cycles, action verbs, sources, units, priorities.</summary>
public static class IncidentText
{
    public static string Step(IStringLocalizer l, IncidentStep step) => Text(l, "LoopStep_" + step, step.ToString());

    public static string Cycle(IStringLocalizer l, IncidentCycle cycle) => Text(l, "LoopCycle_" + cycle, cycle.ToString());

    /// <summary>The action as a verb (核实, 派遣, 核查结案 …).</summary>
    public static string Verb(IStringLocalizer l, LoopAction action) => Text(l, "LoopVerb_" + action, action.ToString());

    public static string Source(IStringLocalizer l, IncidentSource source) => Text(l, "LoopSource_" + source, source.ToString());

    public static string Priority(IStringLocalizer l, string priority) => Text(l, "LoopPriority_" + priority, priority);

    public static string UnitKind(IStringLocalizer l, UnitKind kind) => Text(l, "LoopUnit_" + kind, kind.ToString());

    public static string Category(string code) => IncidentCategories.IsKnown(code) ? IncidentCategories.Get(code).Name(IsChinese) : code;

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>The holder's name: the grid's or community's from the snapshot, a department's from the list, else kind and id.</summary>
    public static string Unit(IStringLocalizer l, HoldingUnit unit, LiveSnapshot? snapshot, IReadOnlyList<ConsoleUnit>? departments)
    {
        ArgumentNullException.ThrowIfNull(l);
        switch (unit.Kind)
        {
            case Domain.Incidents.UnitKind.Grid when snapshot?.Grids.FirstOrDefault(g => g.Id == unit.Id) is { } g:
                return IsChinese ? g.NameZh : g.Name;
            case Domain.Incidents.UnitKind.Community when snapshot?.Street.Communities.FirstOrDefault(c => c.Id == unit.Id) is { } c:
                return IsChinese ? c.NameZh : c.Name;
            case Domain.Incidents.UnitKind.Department when departments?.FirstOrDefault(d => d.Unit == unit) is { } d:
                return IsChinese ? d.NameZh : d.Name;
            default:
                return UnitKind(l, unit.Kind) + " #" + unit.Id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>"3 h 20 min" / "2 d 4 h" (how late or how much time is left).</summary>
    public static string Span(IStringLocalizer l, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(l);
        var s = span.Duration();
        if (s.TotalDays >= 1) return l["LoopSpanDays", (int)s.TotalDays, s.Hours];
        if (s.TotalHours >= 1) return l["LoopSpanHours", (int)s.TotalHours, s.Minutes];
        return l["LoopSpanMinutes", Math.Max(1, (int)Math.Ceiling(s.TotalMinutes))];
    }

    private static string Text(IStringLocalizer l, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(l);
        var s = l[key];
        return s.ResourceNotFound ? fallback : s.Value;
    }
}
