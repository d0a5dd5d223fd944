using CommandCenter.Domain.Reports;
using ScottPlot;
using SkiaSharp;

namespace CommandCenter.Reports;

/// <summary>
/// The PDF: A4 portrait, Skia's PDF backend (text stays text, the CJK font is embedded as a subset), charts drawn by
/// ScottPlot into the same canvas (vector). Sections: cover, headline figures, grid and community rankings, incidents by
/// category and by step (charts + tables), overdue and escalated incidents, alarms and alerts, points leaderboard.
/// </summary>
public sealed class PdfReportRenderer(ReportFonts fonts)
{
    /// <summary>How many people the PDF's leaderboard lists (the XLSX lists all).</summary>
    public const int PeopleShown = 50;

    public void Render(AssessmentReport report, Stream output)
    {
        ChartFonts.Register(fonts);
        var t = ReportTexts.For(report.Culture);
        var layout = new PdfLayout(fonts);

        Cover(layout, report, t);
        layout.NewPage();
        Headline(layout, report, t);
        Ranking(layout, t["GridRanking"], report.GridRanking, t, withCommunity: true);
        Ranking(layout, t["CommunityRanking"], report.CommunityRanking, t, withCommunity: false);
        Incidents(layout, report, t);
        Late(layout, t["OverdueIncidents"], report.OverdueIncidents, t);
        Late(layout, t["EscalatedIncidents"], report.EscalatedIncidents, t);
        Alarms(layout, report.Alarms, t);
        Leaderboard(layout, report, t);

        var footer = $"{report.Street} · {t[report.Period.Kind == ReportPeriodKind.Week ? "WeeklyReport" : "MonthlyReport"]} · {t.PeriodLabel(report.Period)}";
        var metadata = new SKDocumentPdfMetadata
        {
            Title = $"{t["Title"]} {report.Street} {report.Period.Code}",
            Author = report.Street,
            Creator = "CommandCenter",
            Producer = "CommandCenter (SkiaSharp PDF)",
            Creation = report.MadeAt.UtcDateTime,
            Modified = report.MadeAt.UtcDateTime,
            RasterDpi = 150,
        };
        layout.Write(output, footer, (n, total) => t.Format("Page", n, total), metadata);
    }

    private static void Cover(PdfLayout l, AssessmentReport report, ReportTexts t)
    {
        l.Rect(new SKRect(0, 0, PdfLayout.PageWidth, 250), PdfLayout.Accent);
        l.Text(report.Street, PdfLayout.Margin, 120, 16, color: SKColors.White);
        l.Text(t["Title"], PdfLayout.Margin, 165, 26, bold: true, color: SKColors.White);
        l.Text($"{t.PeriodLabel(report.Period)} {t[report.Period.Kind == ReportPeriodKind.Week ? "WeeklyReport" : "MonthlyReport"]}",
            PdfLayout.Margin, 205, 18, color: SKColors.White);

        var y = 320f;
        void Line(string label, string value)
        {
            l.Text(label, PdfLayout.Margin, y, 11, color: new SKColor(0x61, 0x61, 0x61));
            l.Text(value, PdfLayout.Margin + 110, y, 11, bold: true);
            y += 26;
        }

        Line(t["Street"], report.Street);
        Line(t["Period"], $"{t.PeriodLabel(report.Period)} ({report.Period.Code})");
        Line("", t.PeriodRange(report.Period));
        Line(t["MadeAt"], t.DateTime(report.MadeAt));

        y += 30;
        l.Text(t["Contents"], PdfLayout.Margin, y, 12, bold: true, color: PdfLayout.Accent);
        y += 22;
        foreach (var key in new[] { "Headline", "GridRanking", "CommunityRanking", "IncidentsByCategory", "IncidentsByCycle",
                     "OverdueIncidents", "EscalatedIncidents", "AlarmsAndAlerts", "PointsLeaderboard" })
        {
            l.Text("· " + t[key], PdfLayout.Margin + 10, y, 10.5f);
            y += 19;
        }
    }

    private static void Headline(PdfLayout l, AssessmentReport report, ReportTexts t)
    {
        var h = report.Headline;
        var rows = new (string Key, Figure Figure, bool LowerIsBetter, Func<decimal, string> Show)[]
        {
            ("IncidentsReported", h.IncidentsReported, false, v => t.Number(v)),
            ("IncidentsClosed", h.IncidentsClosed, false, v => t.Number(v)),
            ("OnTimeRate", h.OnTimeRate, false, t.Percent),
            ("Escalations", h.Escalations, true, v => t.Number(v)),
            ("Overdue", h.Overdue, true, v => t.Number(v)),
            ("Satisfaction", h.Satisfaction, false, v => t.Number(v, 2)),
            ("PatrolCoverage", h.PatrolCoverage, false, t.Percent),
            ("Visits", h.Visits, false, v => t.Number(v)),
            ("WaterAlarms", h.WaterAlarms, true, v => t.Number(v)),
            ("CameraAlerts", h.CameraAlerts, true, v => t.Number(v)),
            ("Points", h.Points, false, v => t.Number(v)),
        };

        l.Heading(t["Headline"]);
        var table = rows.Select(r => new[]
        {
            t[r.Key],
            r.Figure.Value is { } v ? r.Show(v) : "—",
            r.Figure.Previous is { } p ? r.Show(p) : "—",
            Change(r.Figure, r.Show, t),
        }).ToList();
        l.Table(
            [new(t["Measure"], 200), new(t["ThisPeriod"], 100, true), new(t["PreviousPeriod"], 100, true), new(t["Change"], 95, true)],
            table,
            (r, c) => c == 3 && rows[r].Figure.Change is { } d && d != 0
                ? ((d > 0) != rows[r].LowerIsBetter ? PdfLayout.Good : PdfLayout.Bad)
                : null,
            size: 10f);
    }

    /// <summary>▲ 12 / ▼ 3.5% / – ; percentages change in points of percentage.</summary>
    private static string Change(Figure figure, Func<decimal, string> show, ReportTexts t)
    {
        if (figure.Change is not { } d)
        {
            return "—";
        }

        return d == 0 ? "–" : (d > 0 ? "▲ " : "▼ ") + show(Math.Abs(d));
    }

    private static void Ranking(PdfLayout l, string title, IReadOnlyList<RankingRow> rows, ReportTexts t, bool withCommunity)
    {
        l.Heading(title);
        if (rows.Count == 0)
        {
            l.Paragraph(t["None"]);
            return;
        }

        var columns = new List<PdfColumn> { new(t["Rank"], 32, true), new(withCommunity ? t["Grid"] : t["Community"], 92) };
        if (withCommunity)
        {
            columns.Add(new(t["Community"], 60));
        }

        columns.AddRange([
            new(t["Score"], 38, true), new(t["Points"], 38, true), new(t["Tier"], 72), new(t["PreviousRank"], 44, true),
            new(t["Movement"], 34, true), new(t["Ind_OnTimeRate"], 42, true), new(t["Ind_Satisfaction"], 50, true),
        ]);
        if (!withCommunity)
        {
            columns.Add(new(t["Ind_PatrolCoverage"], 60, true));
        }

        var table = rows.Select(r =>
        {
            var cells = new List<string> { r.Rank?.ToString(t.Culture) ?? "—", r.Name };
            if (withCommunity)
            {
                cells.Add(r.Community ?? "");
            }

            cells.AddRange([
                r.Score is { } s ? t.Number(s, 2) : "—", t.Number(r.Points), t.Tier(r.Tier),
                r.PreviousRank?.ToString(t.Culture) ?? "—", t.Movement(r.Movement, r.PreviousRank),
                t.IndicatorValue(ReportIndicator.OnTimeRate, Get(r, ReportIndicator.OnTimeRate)),
                t.IndicatorValue(ReportIndicator.Satisfaction, Get(r, ReportIndicator.Satisfaction)),
            ]);
            if (!withCommunity)
            {
                cells.Add(t.IndicatorValue(ReportIndicator.PatrolCoverage, Get(r, ReportIndicator.PatrolCoverage)));
            }

            return cells.ToArray();
        }).ToList();

        var tierColumn = withCommunity ? 5 : 4;
        l.Table(columns, table, size: 8f, colour: (r, c) =>
            c == tierColumn ? rows[r].Tier switch { ReportTier.RedFlag => PdfLayout.Bad, ReportTier.NeedsAttention => new SKColor(0xEF, 0x6C, 0x00), _ => null }
            : c == tierColumn + 2 ? rows[r].Movement switch { > 0 => PdfLayout.Good, < 0 => PdfLayout.Bad, _ => null }
            : null);
    }

    private static decimal? Get(RankingRow row, ReportIndicator indicator) =>
        row.Indicators.TryGetValue(indicator, out var v) ? v : null;

    private static void Incidents(PdfLayout l, AssessmentReport report, ReportTexts t)
    {
        const float chartHeight = 230;
        l.Heading(t["IncidentsByCategory"], chartHeight);
        var categories = report.IncidentsByCategory;
        if (categories.Count > 0)
        {
            var plot = Charts.GroupedBars(
                categories.Select(c => c.Category).ToList(),
                [(t["ChartReported"], categories.Select(c => (double)c.Count).ToList(), Charts.Blue),
                 (t["ChartPrevious"], categories.Select(c => (double)c.PreviousCount).ToList(), Charts.Grey)],
                t["Count"]);
            Legend(l, [(t["ChartReported"], Charts.BlueInk), (t["ChartPrevious"], Charts.GreyInk)]);
            Chart(l, plot, chartHeight);
            l.Table(
                [new(t["Category"], 200), new(t["ThisPeriod"], 100, true), new(t["PreviousPeriod"], 100, true), new(t["Change"], 95, true)],
                categories.Select(c => new[]
                {
                    c.Category, t.Number(c.Count), t.Number(c.PreviousCount),
                    Change(new Figure(c.Count, c.PreviousCount), v => t.Number(v), t),
                }).ToList());
        }
        else
        {
            l.Paragraph(t["None"]);
        }

        l.Heading(t["IncidentsByCycle"], chartHeight);
        if (report.IncidentsByCycle.Count > 0)
        {
            var plot = Charts.GroupedBars(
                report.IncidentsByCycle.Select(c => c.Step).ToList(),
                [(t["Count"], report.IncidentsByCycle.Select(c => (double)c.Count).ToList(), Charts.Blue)],
                t["Count"]);
            Chart(l, plot, chartHeight - 30);
            l.Table(
                [new(t["Step"], 200), new(t["Count"], 100, true)],
                report.IncidentsByCycle.Select(c => new[] { c.Step, t.Number(c.Count) }).ToList());
        }
        else
        {
            l.Paragraph(t["None"]);
        }
    }

    /// <summary>A one-line legend at the right, above the chart that follows.</summary>
    private static void Legend(PdfLayout l, IReadOnlyList<(string Name, SKColor Color)> items)
    {
        l.EnsureSpace(250);
        var x = PdfLayout.Margin + PdfLayout.ContentWidth;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var (name, color) = items[i];
            var width = l.Measure(name, 9);
            x -= width;
            l.Text(name, x, l.Y + 9, 9);
            x -= 14;
            l.Rect(new SKRect(x, l.Y + 1, x + 10, l.Y + 10), color);
            x -= 14;
        }

        l.Y += 14;
    }

    private static void Chart(PdfLayout l, Plot plot, float height)
    {
        l.EnsureSpace(height + 8);
        var x = PdfLayout.Margin;
        var y = l.Y;
        var width = PdfLayout.ContentWidth;
        l.Draw(canvas =>
        {
            canvas.Save();
            canvas.Translate(x, y);
            canvas.ClipRect(new SKRect(0, 0, width, height));
            plot.Render(canvas, (int)width, (int)height);
            canvas.Restore();
        });
        l.Y += height + 8;
    }

    private static void Late(PdfLayout l, string title, IReadOnlyList<LateIncident> rows, ReportTexts t)
    {
        l.Heading(title);
        if (rows.Count == 0)
        {
            l.Paragraph(t["None"]);
            return;
        }

        l.Table(
            [new(t["Number"], 92), new(t["IncidentTitle"], 142), new(t["Grid"], 76), new(t["Due"], 84), new(t["Late"], 60, true), new(t["Escalated"], 41)],
            rows.Select(r => new[] { r.Number, r.Title, r.Grid, t.DateTime(r.Due), t.Duration(r.Late), r.Escalated ? t["Yes"] : t["No"] }).ToList(),
            (_, c) => c == 4 ? PdfLayout.Bad : null);
    }

    private static void Alarms(PdfLayout l, AlarmSummary alarms, ReportTexts t)
    {
        l.Heading(t["AlarmsAndAlerts"]);
        l.Table(
            [new(t["Measure"], 200), new(t["ThisPeriod"], 100, true), new(t["PreviousPeriod"], 100, true), new(t["Change"], 95, true)],
            [
                [t["WaterAlarms"], t.Number(alarms.WaterAlarms), t.Number(alarms.PreviousWaterAlarms), Change(new Figure(alarms.WaterAlarms, alarms.PreviousWaterAlarms), v => t.Number(v), t)],
                [t["CameraAlerts"], t.Number(alarms.CameraAlerts), t.Number(alarms.PreviousCameraAlerts), Change(new Figure(alarms.CameraAlerts, alarms.PreviousCameraAlerts), v => t.Number(v), t)],
            ],
            size: 10f);

        foreach (var (key, items) in new[] { ("TopWaterAlarms", alarms.TopWaterAlarms), ("TopCameraAlerts", alarms.TopCameraAlerts) })
        {
            l.SubHeading(t[key]);
            if (items.Count == 0)
            {
                l.Paragraph(t["None"]);
                continue;
            }

            l.Table(
                [new(t["At"], 80), new(t["Source"], 110), new(t["Grid"], 80), new(t["Detail"], 120), new(t["Value"], 45, true), new(t["AckAfter"], 72, true)],
                items.Select(a => new[]
                {
                    t.DateTime(a.At), a.Source, a.Grid, a.Detail, a.Value is { } v ? t.Number(v, 1) : "",
                    a.AckAfter is { } ack ? t.Duration(ack) : "—",
                }).ToList());
        }
    }

    private static void Leaderboard(PdfLayout l, AssessmentReport report, ReportTexts t)
    {
        l.Heading(t["PointsLeaderboard"]);
        foreach (var (key, rows, limit) in new[] { ("Grids", report.GridLeaderboard, int.MaxValue), ("People", report.PeopleLeaderboard, PeopleShown) })
        {
            var shown = rows.Take(limit).ToList();
            l.SubHeading(rows.Count > shown.Count ? $"{t[key]} (1–{shown.Count} / {rows.Count})" : t[key]);
            if (shown.Count == 0)
            {
                l.Paragraph(t["None"]);
                continue;
            }

            l.Table(
                [new(t["Rank"], 40, true), new(key == "People" ? t["Person"] : t["Grid"], 150), new(t["Area"], 150), new(t["Points"], 70, true), new(t["Movement"], 85, true)],
                shown.Select(r => new[]
                {
                    r.Rank.ToString(t.Culture), r.Name, r.Area ?? "", t.Number(r.Points),
                    t.Movement(r.PreviousRank is { } p ? p - r.Rank : null, r.PreviousRank),
                }).ToList());
        }
    }
}
