using System.Globalization;
using CommandCenter.Domain.Live;

namespace CommandCenter.Web.Components.WallScreen.Trends;

/// <summary>How much a trend chart shows, for the screen's size and viewing distance: fewer labels and series when smaller.</summary>
public enum TrendSize
{
    Small = 0,
    Medium = 1,
    Large = 2,
}

/// <summary>
/// The markup of the trend charts: bars and lines as inline SVG that stretches to its box
/// (<c>preserveAspectRatio="none"</c>, strokes keep their width), and every text as HTML around it (legend, a few axis
/// labels, the scale), so text keeps its CSS size (at least 24 px at 1080p) whatever the chart's shape. Each bar carries
/// its number (<c>data-value</c>) and a <c>&lt;title&gt;</c>. Built once per <see cref="TrendStats"/> object and
/// variant (<see cref="SharedMarkup"/>), shared by every circuit; no chart library.
/// </summary>
internal static class TrendSvg
{
    public const double Height = 100;
    public const string ReportedColor = "#4aa8ff";
    public const string ClosedColor = "#3ecf8e";
    public const string LastWeekColor = "#c6d4e3";
    public const string AlertColor = "#ffb020";
    public const string AlarmColor = "#ff5d5d";

    /// <summary>Category colours in order (top categories), then <see cref="OtherColor"/>.</summary>
    public static readonly string[] Palette = ["#4aa8ff", "#ffb020", "#3ecf8e", "#c07cff", "#ff7a59", "#22c7c7"];
    public const string OtherColor = "#7d8a99";

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The y of a value's top, with <paramref name="max"/> at the top edge (a little room kept).</summary>
    public static double Y(int value, int max) => max <= 0 ? Height : Height - (value / (double)max * (Height - 4));

    public static void OpenSvg(Html h, double width, string cls) =>
        h.Add($"<div class=\"ws-trend-plot\"><svg class=\"{cls}\" viewBox=\"0 0 {new RawHtml(F(width))} {new RawHtml(F(Height))}\" preserveAspectRatio=\"none\" aria-hidden=\"true\">");

    public static void CloseSvg(Html h, int max)
    {
        h.Add($"</svg><span class=\"ws-trend-max\" data-max=\"{max}\">{WallFormat.N(max)}</span></div>");
    }

    /// <summary>A bar from <paramref name="bottom"/> up by <paramref name="value"/> (nothing for 0), with its number.</summary>
    public static void Bar(Html h, double x, double width, double bottom, int value, int max, string color, string data, string title)
    {
        if (value <= 0) return;
        var height = Height - Y(value, max);
        h.Add($"<rect x=\"{new RawHtml(F(x))}\" y=\"{new RawHtml(F(bottom - height))}\" width=\"{new RawHtml(F(width))}\" height=\"{new RawHtml(F(height))}\" fill=\"{color}\" {new RawHtml(data)} data-value=\"{value}\"><title>{title}</title></rect>");
    }

    /// <summary>A line through the values at <paramref name="x0"/> + i × <paramref name="step"/>.</summary>
    public static void Line(Html h, IReadOnlyList<int> values, int max, double x0, double step, string color, string series, bool dashed)
    {
        var d = new System.Text.StringBuilder(values.Count * 12);
        for (var i = 0; i < values.Count; i++)
        {
            d.Append(i == 0 ? 'M' : 'L').Append(F(x0 + (i * step))).Append(',').Append(F(Y(values[i], max)));
        }

        h.Add($"<path d=\"{new RawHtml(d.ToString())}\" fill=\"none\" stroke=\"{color}\" stroke-opacity=\"0.7\" stroke-width=\"3\" {new RawHtml(dashed ? "stroke-dasharray=\"6 4\" " : "")}vector-effect=\"non-scaling-stroke\" data-series=\"{series}\" data-values=\"{string.Join(',', values)}\"/>");
    }

    /// <summary>A legend entry: a swatch (solid, or a line for a faint series), the name and a number.</summary>
    public static void Key(Html h, string series, string color, string name, string value, bool line = false)
    {
        h.Add($"<span class=\"ws-trend-key\" data-series=\"{series}\"><i class=\"{(line ? "ws-trend-swatch-line" : "ws-trend-swatch")}\" style=\"--c:{color}\"></i>{name} <b>{value}</b></span>");
    }

    /// <summary>Axis labels at fractions (0–1) of the width: few, and only where they fit.</summary>
    public static void Axis(Html h, IEnumerable<(double At, string Text)> labels)
    {
        h.Add($"<div class=\"ws-trend-axis\">");
        foreach (var (at, text) in labels)
        {
            h.Add($"<span style=\"left:{new RawHtml(F(at * 100))}%\">{text}</span>");
        }

        h.Add($"</div>");
    }

    public static int Max(params IEnumerable<int>[] series)
    {
        var max = 0;
        foreach (var s in series)
        {
            foreach (var v in s) max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>The last <paramref name="days"/> values of a 30-day series.</summary>
    public static IReadOnlyList<int> Last(IReadOnlyList<int> values, int days) =>
        days >= values.Count ? values : values.Skip(values.Count - days).ToArray();
}
