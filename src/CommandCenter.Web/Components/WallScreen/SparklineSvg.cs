using System.Globalization;
using System.Text;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>
/// A 24-hour trend as a small inline SVG: one value per 15-minute bucket (null = no data, the line breaks; a lone
/// value is a short dash), with dashed warning and alarm threshold lines. It stretches to its box
/// (<c>preserveAspectRatio="none"</c>) while the strokes keep their width (<c>non-scaling-stroke</c>).
/// </summary>
internal static class SparklineSvg
{
    public const int Height = 40;

    /// <summary>Writes the &lt;svg class="ws-spark"&gt; element.</summary>
    public static void Write(Html h, IReadOnlyList<double?> values, double warningCm, double alarmCm)
    {
        var width = Math.Max(values.Count - 1, 1);
        var top = Top(values, warningCm, alarmCm);
        var warn = Y(warningCm, top);
        var alarm = Y(alarmCm, top);
        h.Add($"<svg class=\"ws-spark\" viewBox=\"0 0 {width} {Height}\" preserveAspectRatio=\"none\" aria-hidden=\"true\">");
        h.Add($"<line class=\"ws-spark-warn\" x1=\"0\" x2=\"{width}\" y1=\"{warn}\" y2=\"{warn}\" vector-effect=\"non-scaling-stroke\"/>");
        h.Add($"<line class=\"ws-spark-alarm\" x1=\"0\" x2=\"{width}\" y1=\"{alarm}\" y2=\"{alarm}\" vector-effect=\"non-scaling-stroke\"/>");
        h.Add($"<path class=\"ws-spark-line\" d=\"{new RawHtml(PathData(values, top))}\" vector-effect=\"non-scaling-stroke\"/></svg>");
    }

    /// <summary>The depth at the top edge: room above the alarm line and the highest value.</summary>
    public static double Top(IReadOnlyList<double?> values, double warningCm, double alarmCm)
    {
        var max = Math.Max(alarmCm, warningCm) * 1.25;
        foreach (var v in values)
        {
            if (v is { } d && d * 1.05 > max) max = d * 1.05;
        }

        return max <= 0 ? 1 : max;
    }

    public static string Y(double value, double top) =>
        MapProjection.F(Height - (Math.Clamp(value, 0, top) / top * (Height - 2)) - 1);

    /// <summary>"M i,y L i,y …" in numbers only (safe as raw HTML).</summary>
    public static string PathData(IReadOnlyList<double?> values, double top)
    {
        var sb = new StringBuilder(values.Count * 10);
        var run = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } v)
            {
                if (run == 1) sb.Append("h0.6");
                run = 0;
                continue;
            }

            sb.Append(run == 0 ? 'M' : 'L').Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Y(v, top));
            run++;
        }

        if (run == 1) sb.Append("h0.6");
        return sb.ToString();
    }
}
