using CommandCenter.Domain.Reports;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CommandCenter.Reports;

/// <summary>
/// The XLSX: sheets summary, grid ranking (with every indicator), community ranking, incidents, overdue list, points.
/// Numbers are number cells (rates are fractions with a % format), dates and instants are date cells in the street's
/// clock time, every sheet has its header row frozen, an auto-filter and widths fitted to its content.
/// </summary>
public sealed class XlsxReportRenderer
{
    private enum Style : uint
    {
        Text = 0,
        Header = 1,
        Integer = 2,
        Decimal = 3,
        Percent = 4,
        Date = 5,
        DateTime = 6,
    }

    private sealed record Col(string Header, double Width, Style Style);

    public void Render(AssessmentReport report, Stream output)
    {
        var t = ReportTexts.For(report.Culture);
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        workbookPart.Workbook = new Workbook(new Sheets());
        var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();

        Summary(workbookPart, report, t);
        RankingSheet(workbookPart, t["Sheet_GridRanking"], report.GridRanking, t, withCommunity: true);
        RankingSheet(workbookPart, t["Sheet_CommunityRanking"], report.CommunityRanking, t, withCommunity: false);
        IncidentsSheet(workbookPart, report, t);
        OverdueSheet(workbookPart, report, t);
        PointsSheet(workbookPart, report, t);
        workbookPart.Workbook.Save();
    }

    private static void Summary(WorkbookPart wb, AssessmentReport report, ReportTexts t)
    {
        var h = report.Headline;
        var rows = new List<object?[]>();
        void Figure(string key, Figure f) => rows.Add([t[key], f.Value, f.Previous, f.Change]);
        Figure("IncidentsReported", h.IncidentsReported);
        Figure("IncidentsClosed", h.IncidentsClosed);
        Figure("OnTimeRate", h.OnTimeRate);
        Figure("Escalations", h.Escalations);
        Figure("Overdue", h.Overdue);
        Figure("Satisfaction", h.Satisfaction);
        Figure("PatrolCoverage", h.PatrolCoverage);
        Figure("Visits", h.Visits);
        Figure("WaterAlarms", h.WaterAlarms);
        Figure("CameraAlerts", h.CameraAlerts);
        Figure("Points", h.Points);
        var percentRows = new HashSet<int> { 2, 6 };
        var decimalRows = new HashSet<int> { 5 };
        rows.Add([]);
        rows.Add([t["Street"], report.Street]);
        rows.Add([t["Period"], report.Period.Code, t.PeriodLabel(report.Period)]);
        rows.Add([t["FirstDay"], report.Period.FirstDay]);
        rows.Add([t["LastDay"], report.Period.LastDay]);
        rows.Add([t["MadeAt"], report.MadeAt]);

        Sheet(wb, t["Sheet_Summary"],
            [new(t["Measure"], 22, Style.Text), new(t["ThisPeriod"], 14, Style.Integer), new(t["PreviousPeriod"], 14, Style.Integer), new(t["Change"], 14, Style.Integer)],
            rows,
            (r, c) => c == 0 ? Style.Text : percentRows.Contains(r) ? Style.Percent : decimalRows.Contains(r) ? Style.Decimal : (Style?)null);
    }

    private static readonly ReportIndicator[] IndicatorOrder = Enum.GetValues<ReportIndicator>();

    private static Style IndicatorStyle(ReportIndicator i) => i switch
    {
        ReportIndicator.MeanAckMinutes or ReportIndicator.Satisfaction or ReportIndicator.PointsPerMember => Style.Decimal,
        _ => Style.Percent,
    };

    private static void RankingSheet(WorkbookPart wb, string name, IReadOnlyList<RankingRow> ranking, ReportTexts t, bool withCommunity)
    {
        var cols = new List<Col> { new(t["Rank"], 7, Style.Integer), new(withCommunity ? t["Grid"] : t["Community"], 18, Style.Text) };
        if (withCommunity)
        {
            cols.Add(new(t["Community"], 14, Style.Text));
        }

        cols.AddRange([
            new(t["Score"], 9, Style.Decimal), new(t["Points"], 9, Style.Integer), new(t["Tier"], 10, Style.Text),
            new(t["PreviousRank"], 10, Style.Integer), new(t["Movement"], 8, Style.Integer),
        ]);
        cols.AddRange(IndicatorOrder.Select(i => new Col(t.Indicator(i), 13, IndicatorStyle(i))));

        var rows = ranking.Select(r =>
        {
            var cells = new List<object?> { r.Rank, r.Name };
            if (withCommunity)
            {
                cells.Add(r.Community);
            }

            cells.AddRange([r.Score, r.Points, t.Tier(r.Tier), r.PreviousRank, r.Movement]);
            cells.AddRange(IndicatorOrder.Select(i => r.Indicators.TryGetValue(i, out var v) ? (object?)v : null));
            return cells.ToArray();
        }).ToList();
        Sheet(wb, name, cols, rows);
    }

    private static void IncidentsSheet(WorkbookPart wb, AssessmentReport report, ReportTexts t)
    {
        var count = Math.Max(report.IncidentsByCategory.Count, report.IncidentsByCycle.Count);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var c = i < report.IncidentsByCategory.Count ? report.IncidentsByCategory[i] : null;
            var s = i < report.IncidentsByCycle.Count ? report.IncidentsByCycle[i] : null;
            return new object?[] { c?.Category, c?.Count, c?.PreviousCount, null, s?.Step, s?.Count };
        }).ToList();
        Sheet(wb, t["Sheet_Incidents"],
            [new(t["Category"], 18, Style.Text), new(t["ThisPeriod"], 11, Style.Integer), new(t["PreviousPeriod"], 11, Style.Integer),
             new("", 3, Style.Text), new(t["Step"], 14, Style.Text), new(t["Count"], 10, Style.Integer)],
            rows);
    }

    private static void OverdueSheet(WorkbookPart wb, AssessmentReport report, ReportTexts t)
    {
        var listed = report.OverdueIncidents.Concat(report.EscalatedIncidents.Where(e => report.OverdueIncidents.All(o => o.Number != e.Number)));
        var rows = listed.Select(r => new object?[]
        {
            r.Number, r.Title, r.Grid, r.Due, Math.Round((decimal)r.Late.TotalHours, 1), r.Escalated ? t["Yes"] : t["No"],
        }).ToList();
        Sheet(wb, t["Sheet_Overdue"],
            [new(t["Number"], 20, Style.Text), new(t["IncidentTitle"], 36, Style.Text), new(t["Grid"], 16, Style.Text),
             new(t["Due"], 17, Style.DateTime), new(t["LateHours"], 11, Style.Decimal), new(t["Escalated"], 9, Style.Text)],
            rows);
    }

    private static void PointsSheet(WorkbookPart wb, AssessmentReport report, ReportTexts t)
    {
        var rows = report.GridLeaderboard.Select(r => (Kind: t["Grids"], Row: r))
            .Concat(report.PeopleLeaderboard.Select(r => (Kind: t["People"], Row: r)))
            .Select(x => new object?[] { x.Kind, x.Row.Rank, x.Row.Name, x.Row.Area, x.Row.Points, x.Row.PreviousRank })
            .ToList();
        Sheet(wb, t["Sheet_Points"],
            [new(t["Kind"], 8, Style.Text), new(t["Rank"], 7, Style.Integer), new(t["Name"], 16, Style.Text), new(t["Area"], 16, Style.Text),
             new(t["Points"], 9, Style.Integer), new(t["PreviousRank"], 10, Style.Integer)],
            rows);
    }

    /// <summary>
    /// One sheet: frozen header row, auto-filter, widths from the content (CJK characters count double). A cell's style is
    /// its column's unless <paramref name="styleOf"/>(data row, column) says otherwise; dates get the date styles.
    /// </summary>
    private static void Sheet(WorkbookPart wb, string name, IReadOnlyList<Col> cols, IReadOnlyList<object?[]> rows, Func<int, int, Style?>? styleOf = null)
    {
        var part = wb.AddNewPart<WorksheetPart>();
        var widths = cols.Select(c => Math.Max(c.Width, TextWidth(c.Header) + 2)).ToArray();
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < cols.Count; c++)
        {
            header.Append(TextCell(Ref(c, 1), cols[c].Header, Style.Header));
        }

        data.Append(header);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowIndex = (uint)(r + 2);
            var row = new Row { RowIndex = rowIndex };
            for (var c = 0; c < rows[r].Length; c++)
            {
                var value = rows[r][c];
                if (value is null)
                {
                    continue;
                }

                var style = styleOf?.Invoke(r, c) ?? (c < cols.Count ? cols[c].Style : Style.Text);
                var cell = value switch
                {
                    string s => TextCell(Ref(c, rowIndex), s, Style.Text),
                    DateOnly d => NumberCell(Ref(c, rowIndex), d.ToDateTime(TimeOnly.MinValue).ToOADate(), Style.Date),
                    DateTimeOffset at => NumberCell(Ref(c, rowIndex), at.DateTime.ToOADate(), Style.DateTime),
                    int i => NumberCell(Ref(c, rowIndex), i, style == Style.Text ? Style.Integer : style),
                    decimal m => NumberCell(Ref(c, rowIndex), (double)m, style == Style.Text ? Style.Decimal : style),
                    _ => TextCell(Ref(c, rowIndex), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", Style.Text),
                };
                row.Append(cell);
                if (c < widths.Length && value is string text)
                {
                    widths[c] = Math.Min(60, Math.Max(widths[c], TextWidth(text) + 2));
                }
            }

            data.Append(row);
        }

        var view = new SheetView { WorkbookViewId = 0, TabSelected = wb.Workbook.Sheets!.ChildElements.Count == 0 };
        view.Append(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen });
        view.Append(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });

        var columns = new Columns();
        for (var c = 0; c < cols.Count; c++)
        {
            columns.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = Math.Round(widths[c], 1), CustomWidth = true });
        }

        var worksheet = new Worksheet(new SheetViews(view), new SheetFormatProperties { DefaultRowHeight = 15 }, columns, data);
        if (cols.Count > 0)
        {
            worksheet.Append(new AutoFilter { Reference = $"A1:{Ref(cols.Count - 1, (uint)Math.Max(1, rows.Count + 1))}" });
        }

        part.Worksheet = worksheet;
        var sheets = wb.Workbook.Sheets!;
        var id = (uint)sheets.ChildElements.Count + 1;
        sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id, Name = SheetName(name) });
        if (cols.Count > 0)
        {
            // The auto-filter needs its defined name for Excel to keep it.
            wb.Workbook.DefinedNames ??= new DefinedNames();
            wb.Workbook.DefinedNames.Append(new DefinedName($"'{SheetName(name)}'!$A$1:${Column(cols.Count - 1)}${Math.Max(1, rows.Count + 1)}")
            {
                Name = "_xlnm._FilterDatabase",
                LocalSheetId = id - 1,
                Hidden = true,
            });
        }
    }

    private static string SheetName(string name)
    {
        var clean = new string(name.Where(ch => ch is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    /// <summary>Approximate column width in characters: CJK and other wide characters count as two.</summary>
    private static double TextWidth(string text) => text.Sum(ch => ch >= 0x1100 ? 2.0 : 1.0);

    private static Cell TextCell(string reference, string text, Style style) => new()
    {
        CellReference = reference,
        DataType = CellValues.InlineString,
        StyleIndex = (uint)style,
        InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
    };

    private static Cell NumberCell(string reference, double value, Style style) => new()
    {
        CellReference = reference,
        StyleIndex = (uint)style,
        CellValue = new CellValue(value),
    };

    private static string Ref(int column, uint row) => Column(column) + row.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Fonts: normal, bold. Formats: 164 "0.00", 165 "0.0%", 166 date, 167 date-time. Order = <see cref="Style"/>.</summary>
    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = "0.00" },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.0%" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = "yyyy-mm-dd" },
            new NumberingFormat { NumberFormatId = 167, FormatCode = "yyyy-mm-dd hh:mm" })
        { Count = 4 },
        new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }))
        { Count = 2 },
        new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE8EEF6" }) { PatternType = PatternValues.Solid }))
        { Count = 3 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat { FontId = 0, FillId = 0, NumberFormatId = 0 },
            new CellFormat { FontId = 1, FillId = 2, NumberFormatId = 0, ApplyFont = true, ApplyFill = true },
            new CellFormat { NumberFormatId = 1, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 165, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 166, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 167, ApplyNumberFormat = true })
        { Count = 7 });
}
