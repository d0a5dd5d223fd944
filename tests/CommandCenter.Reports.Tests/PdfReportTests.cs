using System.Text;
using CommandCenter.Domain.Reports;
using UglyToad.PdfPig;

namespace CommandCenter.Reports.Tests;

public class PdfReportTests
{
    private static readonly ReportRenderer Renderer = new();

    private static (string Text, int Pages) Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            text.Append(page.Text).Append('\n');
        }

        return (text.ToString(), document.NumberOfPages);
    }

    [Fact]
    public void Chinese_pdf_carries_the_labels_and_figures_as_text()
    {
        var report = SampleReports.Small("zh-CN");
        var bytes = Renderer.Render(report, ReportFormat.Pdf);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        var (text, pages) = Read(bytes);

        foreach (var label in new[] { "网格化管理考核报告", "长安街道", "2026年第47周", "2026年11月16日", "2026年11月22日", "2026-11-23 06:30",
                     "主要指标", "上报事件", "按时办结率", "网格排名", "社区排名", "红旗", "待改进", "事件分类统计", "超期事件清单",
                     "积水报警与视频告警", "积分排行榜", "东湖一网格", "井盖破损，存在安全隐患", "王芳" })
        {
            Assert.True(text.Contains(label, StringComparison.Ordinal), $"missing: {label}");
        }

        // Headline: 128 against 115 (▲ 13), on-time 87.5% against 90.0% (▼ 2.5%), escalations 4 against 7 (▼ 3).
        Assert.Contains("128", text);
        Assert.Contains("▲ 13", text);
        Assert.Contains("87.5%", text);
        Assert.Contains("▼ 2.5%", text);
        Assert.Contains("▼ 3", text);
        Assert.Contains("91.25", text); // the first grid's score
        Assert.Contains("▲1", text);    // East Lake 1 moved up one
        Assert.Contains("SJ-20261118-0007", text);
        Assert.Contains("1天6小时", text); // 30.5 h late
        Assert.Contains($"第 1 页，共 {pages} 页", text);
        Assert.Contains($"第 {pages} 页，共 {pages} 页", text);
    }

    [Fact]
    public void English_pdf_carries_the_labels_and_figures_as_text()
    {
        var (text, pages) = Read(Renderer.Render(SampleReports.Small("en"), ReportFormat.Pdf));
        foreach (var label in new[] { "Grid Management Assessment Report", "Chang'an Street", "Week 47, 2026", "2026-W47", "Headline figures",
                     "Incidents reported", "On-time rate", "Grid ranking", "Community ranking", "Red flag", "Needs attention",
                     "Incidents by category", "Overdue incidents", "Points leaderboard", "East Lake 1", "Wang Fang", "1 d 6 h" })
        {
            Assert.True(text.Contains(label, StringComparison.Ordinal), $"missing: {label}");
        }

        Assert.Contains("2,340", text); // points this period
        Assert.Contains("▲ 240", text);
        Assert.Contains($"Page {pages} of {pages}", text);
    }

    [Fact]
    public void A_long_table_breaks_across_pages_and_repeats_its_header()
    {
        var report = SampleReports.DemoSize("en");
        using var document = PdfDocument.Open(Renderer.Render(report, ReportFormat.Pdf));
        Assert.Equal(595, (int)document.GetPage(1).Width);
        Assert.Equal(841, (int)document.GetPage(1).Height);
        var withGridHeader = document.GetPages().Count(p => p.Text.Contains("RankGridCommunityScore", StringComparison.Ordinal));
        Assert.True(withGridHeader >= 2, $"the 60-grid ranking spans pages with its header repeated (found on {withGridHeader})");
        var last = report.GridRanking[^1];
        var lastScore = last.Score!.Value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(document.GetPages().Skip(2), p => p.Text.Contains("RankGridCommunityScore", StringComparison.Ordinal) && p.Text.Contains(lastScore, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_font_path_fails_naming_the_package()
    {
        var renderer = new ReportRenderer(new ReportFontOptions { CjkFontPath = "/nonexistent/NotoSansCJK-Regular.ttc" });
        var error = Assert.Throws<ReportFontMissingException>(() => renderer.Render(SampleReports.Small("zh-CN"), ReportFormat.Pdf));
        Assert.Contains("fonts-noto-cjk", error.Message);
    }

    [Fact]
    public void Every_text_has_both_languages()
    {
        foreach (var key in ReportTexts.Keys.Where(k => k != "TierNone"))
        {
            var (zh, en) = ReportTexts.Both(key);
            Assert.False(string.IsNullOrWhiteSpace(zh), key);
            Assert.False(string.IsNullOrWhiteSpace(en), key);
        }

        foreach (var indicator in Enum.GetValues<ReportIndicator>())
        {
            Assert.NotEmpty(ReportTexts.For("zh-CN").Indicator(indicator));
        }
    }

    [Fact]
    public void Writes_samples_for_a_look()
    {
        var folder = Environment.GetEnvironmentVariable("REPORT_SAMPLES");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var culture in new[] { "zh-CN", "en" })
        {
            var report = SampleReports.DemoSize(culture);
            foreach (var format in Enum.GetValues<ReportFormat>())
            {
                File.WriteAllBytes(Path.Combine(folder, ReportRenderer.FileName(report, format)), Renderer.Render(report, format));
            }
        }
    }
}
