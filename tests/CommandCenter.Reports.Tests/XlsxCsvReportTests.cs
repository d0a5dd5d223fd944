using System.Globalization;
using System.Text;
using CommandCenter.Domain.Reports;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CommandCenter.Reports.Tests;

public class XlsxReportTests
{
    private static readonly ReportRenderer Renderer = new();

    private sealed class Book : IDisposable
    {
        private readonly SpreadsheetDocument document;

        public Book(byte[] bytes) => document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);

        public IReadOnlyList<string> SheetNames => document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();

        public Worksheet Sheet(string name)
        {
            var sheet = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
            return ((WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!)).Worksheet;
        }

        public Cell Cell(string sheet, string reference) =>
            Sheet(sheet).Descendants<Cell>().Single(c => c.CellReference == reference);

        public double Number(string sheet, string reference)
        {
            var cell = Cell(sheet, reference);
            Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, $"{sheet}!{reference} is a number cell");
            return double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
        }

        public string Text(string sheet, string reference) => Cell(sheet, reference).InlineString?.Text?.Text ?? "";

        public string FormatOf(string sheet, string reference)
        {
            var index = (int)(Cell(sheet, reference).StyleIndex?.Value ?? 0);
            var styles = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet;
            var formatId = styles.CellFormats!.Elements<CellFormat>().ElementAt(index).NumberFormatId!.Value;
            return styles.NumberingFormats!.Elements<NumberingFormat>().SingleOrDefault(f => f.NumberFormatId! == formatId)?.FormatCode?.Value
                ?? formatId.ToString(CultureInfo.InvariantCulture);
        }

        public void Dispose() => document.Dispose();
    }

    [Fact]
    public void Chinese_workbook_has_localised_sheets_with_frozen_headers_and_widths()
    {
        using var book = new Book(Renderer.Render(SampleReports.Small("zh-CN"), ReportFormat.Xlsx));
        Assert.Equal(["汇总", "网格排名", "社区排名", "事件统计", "超期事件", "积分排行"], book.SheetNames);
        foreach (var name in book.SheetNames)
        {
            var pane = book.Sheet(name).Descendants<Pane>().Single();
            Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
            Assert.Equal("A2", pane.TopLeftCell!.Value);
            Assert.Equal(1d, pane.VerticalSplit!.Value);
            Assert.All(book.Sheet(name).Descendants<Column>(), c => Assert.True(c.Width! >= 3 && c.CustomWidth!));
            Assert.NotNull(book.Sheet(name).Descendants<AutoFilter>().SingleOrDefault());
        }

        Assert.Equal("名次", book.Text("网格排名", "A1"));
        Assert.Equal("东湖一网格", book.Text("网格排名", "B2"));
    }

    [Fact]
    public void Numbers_and_dates_are_real_cells_equal_to_the_model()
    {
        var report = SampleReports.Small("en");
        using var book = new Book(Renderer.Render(report, ReportFormat.Xlsx));
        Assert.Equal(["Summary", "Grid ranking", "Community ranking", "Incidents", "Overdue", "Points"], book.SheetNames);

        // Summary: reported 128 / 115, on-time 0.875 as a percentage cell, satisfaction 4.62.
        Assert.Equal(128, book.Number("Summary", "B2"));
        Assert.Equal(115, book.Number("Summary", "C2"));
        Assert.Equal(13, book.Number("Summary", "D2"));
        Assert.Equal(0.875, book.Number("Summary", "B4"), 6);
        Assert.Equal("0.0%", book.FormatOf("Summary", "B4"));
        Assert.Equal(4.62, book.Number("Summary", "B7"), 6);
        Assert.Equal(2340, book.Number("Summary", "B12"));
        Assert.Equal(new DateTime(2026, 11, 16).ToOADate(), book.Number("Summary", "B16"));
        Assert.Equal("yyyy-mm-dd", book.FormatOf("Summary", "B16"));
        Assert.Equal(new DateTime(2026, 11, 23, 6, 30, 0).ToOADate(), book.Number("Summary", "B18"), 6);

        // Grid ranking: rank, name, community, score, points, tier, previous rank, movement, then the nine indicators.
        var first = report.GridRanking[0];
        Assert.Equal(1, book.Number("Grid ranking", "A2"));
        Assert.Equal(first.Name, book.Text("Grid ranking", "B2"));
        Assert.Equal(91.25, book.Number("Grid ranking", "D2"), 6);
        Assert.Equal(820, book.Number("Grid ranking", "E2"));
        Assert.Equal("Red flag", book.Text("Grid ranking", "F2"));
        Assert.Equal(2, book.Number("Grid ranking", "G2"));
        Assert.Equal(1, book.Number("Grid ranking", "H2"));
        Assert.Equal("Closure rate", book.Text("Grid ranking", "I1"));
        Assert.Equal(0.98, book.Number("Grid ranking", "I2"), 6);
        Assert.Equal(0.95, book.Number("Grid ranking", "J2"), 6);
        Assert.Equal(12.5, book.Number("Grid ranking", "O2"), 6); // mean minutes to acknowledge
        Assert.DoesNotContain(book.Sheet("Grid ranking").Descendants<Cell>(), c => c.CellReference == "G4"); // no previous rank

        Assert.Equal(71.1, book.Number("Community ranking", "C3"), 6);
        Assert.Equal(52, book.Number("Incidents", "B2"));
        Assert.Equal(47, book.Number("Incidents", "C2"));
        Assert.Equal(121, book.Number("Incidents", "F6"));

        // Overdue: the escalated incident is listed once; due is a date-time cell, lateness in hours.
        Assert.Equal("SJ-20261118-0007", book.Text("Overdue", "A2"));
        Assert.Equal(new DateTime(2026, 11, 19, 9, 0, 0).ToOADate(), book.Number("Overdue", "D2"), 6);
        Assert.Equal("yyyy-mm-dd hh:mm", book.FormatOf("Overdue", "D2"));
        Assert.Equal(30.5, book.Number("Overdue", "E2"), 6);
        Assert.Equal(3, book.Sheet("Overdue").Descendants<Row>().Count());

        // Points: grids first, then people.
        Assert.Equal(820, book.Number("Points", "E2"));
        Assert.Equal("Wang Fang", book.Text("Points", "C5"));
        Assert.Equal(310, book.Number("Points", "E5"));
    }
}

public class CsvReportTests
{
    [Fact]
    public void Csv_is_utf8_with_bom_and_parses_back_to_the_rankings()
    {
        var report = SampleReports.Small("zh-CN");
        report = report with
        {
            GridRanking = [report.GridRanking[0] with { Name = "东湖\"一\", 网格" }, .. report.GridRanking.Skip(1)],
        };
        var bytes = new ReportRenderer().Render(report, ReportFormat.Csv);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3);
        Assert.Contains("\"东湖\"\"一\"\", 网格\"", text);
        Assert.Contains("\r\n", text);

        var rows = new List<string[]>();
        using (var reader = CsvReader.FromText(text, new CsvReaderOptions()))
        {
            reader.ReadHeader();
            rows.Add(reader.Headers.ToArray());
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }
        }

        Assert.Equal(1 + 3 + 2, rows.Count);
        Assert.Equal(["排名", "名次", "名称", "社区", "得分", "积分", "等次", "上期名次", "升降", "办结率 (%)"], rows[0][..10]);
        Assert.Equal(18, rows[0].Length);
        Assert.Equal(["网格排名", "1", "东湖\"一\", 网格", "东湖社区", "91.25", "820", "红旗", "2", "1", "98"], rows[1][..10]);
        Assert.Equal("95", rows[1][10]);   // on-time rate 0.95 → 95 %
        Assert.Equal("12.5", rows[1][15]); // minutes to acknowledge
        Assert.Equal("", rows[1][14]);     // key household visits: no data
        Assert.Equal(["网格排名", "3", "东湖三网格", "东湖社区", "55", "410", "待改进", "", ""], rows[3][..9]);
        Assert.Equal(["社区排名", "2", "西桥社区", "", "71.1"], rows[5][..5]);
    }
}
