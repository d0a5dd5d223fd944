using System.Globalization;
using System.Text;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Components.Pages.Admin;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// The audit log as CSV (issue 12): what the audit page shows, with the page's filters — newest first, at most 500
/// rows; UTF-8 with a BOM (Excel reads Chinese), RFC 4180 quoting, CRLF. Leaders and Admins, like the page.
/// </summary>
public static class AuditApi
{
    /// <summary>As many rows as the page shows.</summary>
    public const int MaxRows = 500;

    private static readonly DateOnly MinDate = new(1900, 1, 1);
    private static readonly DateOnly MaxDate = new(9000, 12, 31);

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit.csv", CsvAsync)
            .RequireAuthorization(Policies.Review).WithTags("Audit").WithName("AuditCsv")
            .WithSummary("The audit log as CSV (UTF-8 with BOM), filtered like the audit page: action, actor, entityType, from and to (yyyy-MM-dd, street's days, inclusive); newest first, at most 500 rows.")
            .ProducesValidationProblem();
        return api;
    }

    /// <summary>The page's link to this export with its current filters (blank ones left out).</summary>
    public static string Link(string? action, string? actor, string? entityType, string? from, string? to)
    {
        var q = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) q.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
        }

        Add("action", action);
        Add("actor", actor);
        Add("entityType", entityType);
        Add("from", from);
        Add("to", to);
        return "/api/v1/audit.csv" + (q.Count == 0 ? "" : "?" + string.Join('&', q));
    }

    public static async Task<FileContentHttpResult> CsvAsync(AuditLog log, BoardClock clock, string? action, string? actor, string? entityType,
        string? from, string? to, CancellationToken ct)
    {
        var v = new Validator();
        var fromDate = ParseDate(from, "from", v);
        var toDate = ParseDate(to, "to", v);
        if (action is { Length: > 200 }) v.Add("action", "must be at most 200 characters.");
        if (actor is { Length: > 200 }) v.Add("actor", "must be at most 200 characters.");
        if (entityType is { Length: > 200 }) v.Add("entityType", "must be at most 200 characters.");
        v.ThrowIfInvalid();

        var entries = await log.ListAsync(new AuditFilter(
            Action: action,
            Actor: actor,
            EntityType: entityType,
            From: fromDate is { } f && f > MinDate ? clock.StartOf(f) : null,
            To: toDate is { } t && t < MaxDate ? clock.StartOf(t.AddDays(1)) : null,
            Top: MaxRows), ct);

        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        {
            var csv = new CsvWriter(writer);
            csv.Record("id", "at", "actorKind", "actorId", "actorName", "action", "entityType", "entityId", "remoteIp", "details");
            foreach (var e in entries)
            {
                csv.Record(
                    e.Id.ToString(CultureInfo.InvariantCulture),
                    ConsoleFormat.TimeSeconds(clock, e.At),
                    e.ActorKind, e.ActorId, e.ActorName, e.Action, e.EntityType,
                    e.EntityId ?? "", e.RemoteIp ?? "", ConsoleFormat.Json(e.Details));
            }
        }

        var stamp = clock.ToLocal(clock.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return TypedResults.File(buffer.ToArray(), "text/csv; charset=utf-8", $"audit-{stamp}.csv");
    }

    private static DateOnly? ParseDate(string? text, string field, Validator v)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        v.Add(field, "must be a date like 2026-11-30.");
        return null;
    }

    /// <summary>RFC 4180, the same rules as the reports' CSV: a field with a comma, quote, CR, LF or edge space is quoted, quotes doubled; CRLF.</summary>
    private sealed class CsvWriter(TextWriter writer)
    {
        public void Record(params string[] fields)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0) writer.Write(',');
                var value = fields[i];
                if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' ')))
                {
                    writer.Write('"');
                    writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
                    writer.Write('"');
                }
                else
                {
                    writer.Write(value);
                }
            }

            writer.Write("\r\n");
        }
    }
}
