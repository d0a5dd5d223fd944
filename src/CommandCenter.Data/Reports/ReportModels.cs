namespace CommandCenter.Data.Reports;

/// <summary>The <c>Reports</c> settings (docs/operations.md).</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Reports";

    /// <summary>Where the files are written (a network share in production); relative paths are under the content root.</summary>
    public string Folder { get; set; } = Path.Combine("data", "reports");

    /// <summary>Quartz cron of the weekly report (street time): Monday 07:00.</summary>
    public string WeeklyCron { get; set; } = "0 0 7 ? * MON";

    /// <summary>Quartz cron of the monthly report (street time): the 1st, 07:30.</summary>
    public string MonthlyCron { get; set; } = "0 30 7 1 * ?";

    /// <summary>How many periods (of each kind) keep their files; older reports keep their record with status "removed".</summary>
    public int KeepPeriods { get; set; } = 26;

    /// <summary>The language of the scheduled reports.</summary>
    public string Culture { get; set; } = "zh-CN";

    /// <summary>How many asked-for reports may wait; one more is refused with 503.</summary>
    public int QueueCapacity { get; set; } = 32;
}

public enum ReportStatus
{
    Queued = 1,
    Running = 2,
    Done = 3,
    Failed = 4,
    Removed = 5,
}

/// <summary>One file of a report: format (pdf, xlsx, csv), stable file name and size in bytes.</summary>
public sealed record ReportFileView(string Format, string FileName, long Size);

/// <summary>A report record as the API and the page show it.</summary>
public sealed record ReportView(long Id, string Period, string Kind, string Culture, string Status, int Progress, DateTimeOffset RequestedAt,
    string RequestedBy, DateTimeOffset? MadeAt, IReadOnlyList<ReportFileView> Files, long TotalSize, string? Error);

internal sealed class ReportRow
{
    public long Id { get; set; }
    public string Period { get; set; } = "";
    public int Kind { get; set; }
    public string Culture { get; set; } = "";
    public int Status { get; set; }
    public int Progress { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset? MadeAt { get; set; }
    public string? PdfFile { get; set; }
    public long? PdfSize { get; set; }
    public string? XlsxFile { get; set; }
    public long? XlsxSize { get; set; }
    public string? CsvFile { get; set; }
    public long? CsvSize { get; set; }
    public string? Error { get; set; }

    public ReportView View()
    {
        var files = new List<ReportFileView>();
        if (PdfFile is not null) files.Add(new("pdf", PdfFile, PdfSize ?? 0));
        if (XlsxFile is not null) files.Add(new("xlsx", XlsxFile, XlsxSize ?? 0));
        if (CsvFile is not null) files.Add(new("csv", CsvFile, CsvSize ?? 0));
        var status = (ReportStatus)Status switch
        {
            ReportStatus.Queued => "queued",
            ReportStatus.Running => "running",
            ReportStatus.Done => "done",
            ReportStatus.Failed => "failed",
            _ => "removed",
        };
        return new ReportView(Id, Period, Kind == 1 ? "weekly" : "monthly", Culture, status, Progress, RequestedAt, RequestedBy, MadeAt,
            (ReportStatus)Status == ReportStatus.Done ? files : [], files.Sum(f => f.Size), Error);
    }
}
