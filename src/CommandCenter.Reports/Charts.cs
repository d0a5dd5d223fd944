using ScottPlot;
using SkiaSharp;

namespace CommandCenter.Reports;

/// <summary>ScottPlot charts set in the report's CJK font.</summary>
internal static class Charts
{
    public static readonly Color Blue = Color.FromHex("#1A4E8A");
    public static readonly SKColor BlueInk = new(0x1A, 0x4E, 0x8A);
    public static readonly SKColor GreyInk = new(0xB0, 0xBE, 0xC5);
    public static readonly Color Grey = Color.FromHex("#B0BEC5");

    /// <summary>Bars per label, one bar per series side by side (the legend is drawn by the page, see PdfReportRenderer).</summary>
    public static Plot GroupedBars(IReadOnlyList<string> labels, IReadOnlyList<(string Name, IReadOnlyList<double> Values, Color Color)> series, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ReportFonts.FamilyName);
        var groupWidth = series.Count + 1;
        var bars = new List<Bar>();
        for (var s = 0; s < series.Count; s++)
        {
            for (var i = 0; i < labels.Count; i++)
            {
                var value = series[s].Values[i];
                bars.Add(new Bar
                {
                    Position = (i * groupWidth) + s,
                    Value = value,
                    FillColor = series[s].Color,
                    LineWidth = 0,
                    Label = value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 9;
        barPlot.ValueLabelStyle.FontName = ReportFonts.FamilyName;

        var ticks = labels.Select((label, i) => new Tick((i * groupWidth) + ((series.Count - 1) / 2.0), label)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        plot.Axes.Bottom.TickLabelStyle.OffsetY = 6; // the CJK font's tall ascent would sit the labels on the axis line
        plot.Axes.Left.TickLabelStyle.FontSize = 9;
        plot.Axes.Left.Label.Text = yLabel;
        plot.Axes.Left.Label.FontSize = 10;
        plot.Axes.Margins(bottom: 0, top: 0.3);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Color = Color.FromHex("#E0E0E0");
        if (labels.Count > 6)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 10;
            plot.Axes.Bottom.MinimumSize = 70;
        }

        return plot;
    }
}

/// <summary>Resolves <see cref="ReportFonts.FamilyName"/> to the report's faces for ScottPlot (a process-wide list).</summary>
internal sealed class ChartFonts(ReportFonts fonts) : IFontResolver
{
    private ReportFonts Fonts { get; } = fonts;

    private static readonly Lock Gate = new();
    private static ChartFonts? registered;

    public static void Register(ReportFonts fonts)
    {
        lock (Gate)
        {
            if (registered?.Fonts == fonts)
            {
                return;
            }

            if (registered is not null)
            {
                ScottPlot.Fonts.FontResolvers.Remove(registered);
            }

            registered = new ChartFonts(fonts);
            ScottPlot.Fonts.FontResolvers.Insert(0, registered);
        }
    }

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        CreateTypeface(fontName, (int)weight >= 600, slant != FontSlant.Upright);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        fontName == ReportFonts.FamilyName ? (bold ? Fonts.Bold : Fonts.Regular) : null;
}
