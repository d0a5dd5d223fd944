using System.Diagnostics;
using System.Text;
using CommandCenter.Domain.Reports;
using CommandCenter.Reports;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// Rendering the assessment report in-process: the demo street's size (60 grids, 6 communities, 200 people; a week
/// with 400 incidents, a month with 1,700), PDF + XLSX + CSV one after the other, in Chinese and in English. The first
/// render (font loading, JIT) is reported apart; then 5 runs each, the median counted. Target: each report, all three
/// formats, under 5 s.
/// </summary>
internal static class ReportsBench
{
    private const int Runs = 5;
    private const double TargetMs = 5000;

    public static Task RunAsync(Options options, Report report)
    {
        var renderer = new ReportRenderer();
        var cases = new[]
        {
            ("week", "zh-CN", SampleReports.DemoSize("zh-CN")),
            ("week", "en", SampleReports.DemoSize("en")),
            ("month", "zh-CN", SampleReports.DemoSize("zh-CN", incidents: 1700, period: SampleReports.Month2026M11)),
            ("month", "en", SampleReports.DemoSize("en", incidents: 1700, period: SampleReports.Month2026M11)),
        };

        var sb = new StringBuilder();
        var cold = Stopwatch.StartNew();
        var sizes = Enum.GetValues<ReportFormat>().ToDictionary(f => f, f => renderer.Render(cases[0].Item3, f).Length);
        cold.Stop();
        sb.AppendLine(I($"First render in the process (font files read and their cmaps rebuilt, JIT), week, zh-CN, all three formats: {cold.Elapsed.TotalMilliseconds:0} ms."));
        sb.AppendLine();
        sb.AppendLine("| Report | Culture | PDF (median) | XLSX | CSV | All three: median | worst | PDF size | PDF pages |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (kind, culture, model) in cases)
        {
            var per = Enum.GetValues<ReportFormat>().ToDictionary(f => f, _ => new List<double>());
            var totals = new List<double>();
            var pdfBytes = 0;
            for (var run = 0; run < Runs; run++)
            {
                var total = 0.0;
                foreach (var format in Enum.GetValues<ReportFormat>())
                {
                    var start = Stopwatch.GetTimestamp();
                    var bytes = renderer.Render(model, format);
                    var ms = Time.Ms(start, Stopwatch.GetTimestamp());
                    per[format].Add(ms);
                    total += ms;
                    if (format == ReportFormat.Pdf)
                    {
                        pdfBytes = bytes.Length;
                    }
                }

                totals.Add(total);
            }

            var median = Summary.Median(totals);
            sb.AppendLine(I($"| {kind} | {culture} | {Summary.Median(per[ReportFormat.Pdf]):0} ms | {Summary.Median(per[ReportFormat.Xlsx]):0} ms | {Summary.Median(per[ReportFormat.Csv]):0.0} ms | **{median:0} ms** | {totals.Max():0} ms | {Bytes(pdfBytes)} | {Pages(renderer.Render(model, ReportFormat.Pdf))} |"));
            report.Add(new Headline(I($"Report render, {kind}, {culture}, PDF + XLSX + CSV (median of {Runs})"), I($"{median:0} ms"), I($"< {TargetMs:0} ms"), Ratio(median, TargetMs)));
        }

        report.Section("Assessment report rendering (in-process)", sb.ToString());
        return Task.CompletedTask;
    }

    private static int Pages(byte[] pdf) => Encoding.ASCII.GetString(pdf).Split("/Type /Page\n").Length - 1 is var n and > 0
        ? n
        : System.Text.RegularExpressions.Regex.Matches(Encoding.ASCII.GetString(pdf), @"/Type\s*/Page[^s]").Count;
}
