using System.Globalization;
using System.Net;
using System.Text;
using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Components.Pages.Review;

/// <summary>
/// The review's incidents-by-category chart as inline SVG (like its indicator trends): one line per category over the
/// 12 weeks, a colour per category fixed by its place in the catalog (so a category keeps its colour from week to week
/// and on paper), dashed lines for the second half of the palette so that neighbours stay apart in grey print.
/// </summary>
public static class ReviewCharts
{
    private static readonly string[] Palette =
    [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
    ];

    private static int IndexOf(string code)
    {
        for (var i = 0; i < IncidentCategories.All.Count; i++)
        {
            if (IncidentCategories.All[i].Entry.Code == code) return i;
        }

        return -1;
    }

    public static string Colour(string code) => IndexOf(code) is var i and >= 0 ? Palette[i % Palette.Length] : "#555555";

    private static string Dash(string code) => IndexOf(code) >= Palette.Length / 2 ? " stroke-dasharray=\"6 3\"" : "";

    /// <summary>A short line in the series' colour and dash, for the legend (prints, unlike a background colour).</summary>
    public static string Swatch(string code) =>
        $"<svg class=\"rv-swatch\" width=\"26\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"{Colour(code)}\" stroke-width=\"3\"{Dash(code)}/></svg>";

    /// <summary>Whole-number axis steps for counts: 1, 2, 5, 10, 20, 50 … so that there are at most 5 steps.</summary>
    private static int Step(int max)
    {
        for (var p = 1; p <= 1_000_000; p *= 10)
        {
            foreach (var m in new[] { 1, 2, 5 })
            {
                if (max <= 5 * m * p) return m * p;
            }
        }

        return Math.Max(1, max / 5);
    }

    public static string CategorySvg(CategoryTrend trend, bool chinese)
    {
        ArgumentNullException.ThrowIfNull(trend);
        const double w = 720, h = 260, left = 40, right = 14, bottom = 24, top = 10;
        var max = trend.Series.SelectMany(s => s.Reported).DefaultIfEmpty(0).Max();
        var step = Step(Math.Max(1, max));
        var ceiling = (int)Math.Ceiling(Math.Max(1, max) / (double)step) * step;
        var n = trend.Weeks.Count;
        var dx = n > 1 ? (w - left - right) / (n - 1) : 0;
        double X(int i) => left + i * dx;
        double Y(int v) => h - bottom - v / (double)ceiling * (h - bottom - top);

        var sb = new StringBuilder();
        var label = chinese ? "各类事件每周上报数" : "Incidents reported per week by category";
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"rv-svg rv-svg-wide\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\" data-cc=\"category-svg\">");
        for (var v = 0; v <= ceiling; v += step)
        {
            var y = Y(v);
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"{(v == 0 ? "rv-axis" : "rv-grid")}\" x1=\"{left}\" y1=\"{y:0.#}\" x2=\"{w - right}\" y2=\"{y:0.#}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"rv-tick\" x=\"{left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{v.ToString("N0", CultureInfo.CurrentCulture)}</text>");
        }

        for (var i = 0; i < n; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"rv-tick\" x=\"{X(i):0.#}\" y=\"{h - 6}\" text-anchor=\"middle\">{trend.Weeks[i].ToString()[5..]}</text>");
        }

        foreach (var s in trend.Series)
        {
            var colour = Colour(s.Code);
            var name = WebUtility.HtmlEncode(s.Name(chinese));
            var d = new StringBuilder();
            for (var i = 0; i < s.Reported.Count && i < n; i++) d.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : "L")}{X(i):0.#},{Y(s.Reported[i]):0.#}");
            sb.Append(CultureInfo.InvariantCulture, $"<g data-cc-series=\"{WebUtility.HtmlEncode(s.Code)}\"><path class=\"rv-series\" d=\"{d}\" stroke=\"{colour}\"{Dash(s.Code)}/>");
            for (var i = 0; i < s.Reported.Count && i < n; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(s.Reported[i]):0.#}\" r=\"2.5\" fill=\"{colour}\"><title>{trend.Weeks[i]} · {name}: {s.Reported[i].ToString("N0", CultureInfo.CurrentCulture)}</title></circle>");
            }

            sb.Append("</g>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }
}
