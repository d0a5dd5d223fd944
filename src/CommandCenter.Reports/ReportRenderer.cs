using CommandCenter.Domain.Reports;

namespace CommandCenter.Reports;

public enum ReportFormat
{
    Pdf = 1,
    Xlsx = 2,
    Csv = 3,
}

/// <summary>The three renderings behind one call, with their content types and stable file names.</summary>
public sealed class ReportRenderer(ReportFontOptions? fontOptions = null)
{
    private readonly Lazy<PdfReportRenderer> pdf = new(() => new PdfReportRenderer(ReportFonts.Load(fontOptions)));

    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Pdf => "application/pdf",
        ReportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    };

    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Pdf => "pdf",
        ReportFormat.Xlsx => "xlsx",
        _ => "csv",
    };

    /// <summary>A stable file name: <c>assessment-2026-W47-zh-CN.pdf</c>.</summary>
    public static string FileName(AssessmentReport report, ReportFormat format) =>
        $"assessment-{report.Period.Code}-{report.Culture}.{Extension(format)}";

    /// <summary>Writes one rendering. The PDF throws <see cref="ReportFontMissingException"/> when no CJK font is installed.</summary>
    public void Render(AssessmentReport report, ReportFormat format, Stream output)
    {
        switch (format)
        {
            case ReportFormat.Pdf:
                pdf.Value.Render(report, output);
                break;
            case ReportFormat.Xlsx:
                new XlsxReportRenderer().Render(report, output);
                break;
            case ReportFormat.Csv:
                new CsvReportRenderer().Render(report, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format.");
        }
    }

    public byte[] Render(AssessmentReport report, ReportFormat format)
    {
        using var stream = new MemoryStream();
        Render(report, format, stream);
        return stream.ToArray();
    }
}
