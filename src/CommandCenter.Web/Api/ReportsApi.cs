using CommandCenter.Data.Reports;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CommandCenter.Web.Api;

/// <summary>
/// Assessment reports (issue 12): the reports made (by the schedule or asked for), asking for one (made in the
/// background: 202 with its URL), a report's status and progress, and its files (PDF, XLSX, CSV). Leaders and Admins.
/// </summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports", ListAsync)
            .RequireAuthorization(Policies.Review).WithTags("Reports").WithName("Reports")
            .WithSummary("Every report, newest first: period, kind, language, status, progress, made at, files with sizes.");
        api.MapPost("/reports", RequestAsync)
            .RequireAuthorization(Policies.Review).WithTags("Reports").WithName("RequestReport")
            .WithSummary("Ask for a report of a past or running week (2026-W47) or month (2026-11) in zh-CN or en: 202 with its URL; made in the background.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/reports/{id:long}", GetAsync)
            .RequireAuthorization(Policies.Review).WithTags("Reports").WithName("Report")
            .WithSummary("A report's status, progress and files.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/reports/{id:long}/{format}", FileAsync)
            .RequireAuthorization(Policies.Review).WithTags("Reports").WithName("ReportFile")
            .WithSummary("A done report's file: pdf, xlsx or csv, with its content type and file name.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The body of <c>POST /reports</c>.</summary>
    public sealed record ReportRequest(string? Period, string? Culture);

    public static async Task<Ok<IReadOnlyList<ReportView>>> ListAsync(ReportService reports, CancellationToken ct) =>
        TypedResults.Ok(await reports.ListAsync(ct));

    public static async Task<Results<Accepted<ReportView>, ProblemHttpResult>> RequestAsync(ReportRequest body, ReportService reports, CommandCenter.Domain.Live.BoardClock clock,
        HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var v = new Validator();
        Period period = default;
        if (string.IsNullOrWhiteSpace(body.Period) || !Period.TryParse(body.Period, out period))
        {
            v.Add("period", "must be a week like 2026-W47 or a month like 2026-11.");
        }
        else if (period.Start(clock.Zone) > clock.Now)
        {
            v.Add("period", "has not started yet.");
        }

        if (body.Culture is not null and not ("zh-CN" or "en"))
        {
            v.Add("culture", "must be zh-CN or en.");
        }

        v.ThrowIfInvalid();
        var (report, queued) = await reports.RequestAsync(period, body.Culture ?? reports.Options.Culture, http.Actor().Name, ct);
        if (!queued)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Report queue full", detail: report.Error);
        }

        return TypedResults.Accepted($"/api/v1/reports/{report.Id}", report);
    }

    public static async Task<Results<Ok<ReportView>, ProblemHttpResult>> GetAsync(long id, ReportService reports, CancellationToken ct)
    {
        var report = await reports.GetAsync(id, ct);
        return report is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No report", detail: $"There is no report {id}.")
            : TypedResults.Ok(report);
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> FileAsync(long id, string format, ReportService reports, CancellationToken ct)
    {
        var f = format.ToLowerInvariant();
        if (f is not ("pdf" or "xlsx" or "csv"))
        {
            throw InputValidationException.For("format", "must be pdf, xlsx or csv.");
        }

        var path = await reports.FilePathAsync(id, f, ct);
        if (path is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No file",
                detail: $"Report {id} has no {f} file (it does not exist, is not done yet, or its files were removed).");
        }

        var type = CommandCenter.Reports.ReportRenderer.ContentType(f switch { "pdf" => CommandCenter.Reports.ReportFormat.Pdf, "xlsx" => CommandCenter.Reports.ReportFormat.Xlsx, _ => CommandCenter.Reports.ReportFormat.Csv });
        // fileDownloadName sets Content-Disposition: attachment with filename and the UTF-8 filename*.
        return TypedResults.PhysicalFile(path, type, Path.GetFileName(path));
    }
}
