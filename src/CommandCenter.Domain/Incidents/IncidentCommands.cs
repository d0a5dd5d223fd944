using System.Globalization;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Incidents;

// What sources send. Every field is nullable so that a missing field is reported by name, not as a
// deserialisation failure. Field names are the JSON names (camelCase) of the public API.

/// <summary>An incident reported by a field app, the hotline, a camera platform or the simulator.</summary>
public sealed record ReportIncident
{
    /// <summary>Category code, e.g. <c>sanitation</c> (see docs/api.md for the list).</summary>
    public string? Category { get; init; }
    public int? GridId { get; init; }
    /// <summary><c>GridPatrol</c>, <c>Resident</c>, <c>Hotline</c>, <c>Camera</c> or <c>Sensor</c>.</summary>
    public string? Source { get; init; }
    public string? ReporterName { get; init; }
    public string? ReporterPhone { get; init; }
    /// <summary>The reporter's e-mail address (personal data: stored, not served by Open311, not logged).</summary>
    public string? ReporterEmail { get; init; }
    /// <summary>The sending app's id of the device it was reported from (Open311 <c>device_id</c>); kept for tracing, not served.</summary>
    public string? ReporterDeviceId { get; init; }
    /// <summary>The sending app's id of the reporter's account (Open311 <c>account_id</c>); kept for tracing, not served.</summary>
    public string? ReporterAccountId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    /// <summary>When it was observed; defaults to the time of receipt.</summary>
    public DateTimeOffset? ReportedAt { get; init; }
    /// <summary>The sender's own id: a retry with the same id returns the incident already stored.</summary>
    public string? ExternalId { get; init; }
    /// <summary><c>urgent</c>, <c>normal</c> (default) or <c>low</c>.</summary>
    public string? Priority { get; init; }
    public string? Building { get; init; }
    public string? BuildingUnit { get; init; }
    /// <summary>Links to the reporter's photos (absolute http/https, at most 10).</summary>
    public IReadOnlyList<string?>? PhotoLinks { get; init; }

    /// <summary>Checks every field and gives the report as it will be stored, or throws naming each wrong field.</summary>
    public ValidReport Validate(DateTimeOffset now)
    {
        var v = new Validator();
        var category = v.RequiredText("category", Category, 64);
        if (category is not null && !IncidentCategories.IsKnown(category))
        {
            v.Add("category", $"'{Validator.Quote(category)}' is not a known category; use one of: {string.Join(", ", IncidentCategories.All.Select(c => c.Entry.Code))}.");
        }

        var gridId = v.Required("gridId", GridId);
        var source = ParseSource(v, Source);
        var reporter = v.RequiredText("reporterName", ReporterName, 100);
        var phone = v.OptionalText("reporterPhone", ReporterPhone, 32);
        var email = ContactFields.Email(v, "reporterEmail", ReporterEmail);
        var deviceId = v.OptionalText("reporterDeviceId", ReporterDeviceId, 100);
        var accountId = v.OptionalText("reporterAccountId", ReporterAccountId, 100);
        var title = v.RequiredText("title", Title, 200);
        var description = v.OptionalText("description", Description, 4000) ?? "";
        var address = v.OptionalText("address", Address, 300);
        var externalId = v.OptionalText("externalId", ExternalId, 100);
        v.Coordinates("", Lon, Lat);
        var reportedAt = v.Instant("reportedAt", ReportedAt, now, Validator.MaxAge);
        var priority = LoopFields.ParseEnum<IncidentPriority>(v, "priority", Priority, required: false) ?? IncidentPriority.Normal;
        var building = v.OptionalText("building", Building, 100);
        var buildingUnit = v.OptionalText("buildingUnit", BuildingUnit, 100);
        var photos = LoopFields.PhotoLinks(v, PhotoLinks);
        v.ThrowIfInvalid();
        return new ValidReport(category!, gridId!.Value, source, reporter!, phone, title!, description, address, Lon, Lat,
            reportedAt, IncidentCategories.DueAt(category!, reportedAt), externalId)
        {
            Priority = priority, Building = building, BuildingUnit = buildingUnit, PhotoLinks = photos, ReporterEmail = email,
            ReporterDeviceId = deviceId, ReporterAccountId = accountId,
        };
    }

    /// <summary>
    /// A source by its exact name (any case): not a number, not a comma-separated list of names (which
    /// <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> would read as flags and combine).
    /// </summary>
    private static IncidentSource ParseSource(Validator v, string? text)
    {
        var name = v.RequiredText("source", text, 32);
        if (name is null) return IncidentSource.GridPatrol;
        foreach (var source in Enum.GetValues<IncidentSource>())
        {
            if (string.Equals(source.ToString(), name, StringComparison.OrdinalIgnoreCase)) return source;
        }

        v.Add("source", $"'{Validator.Quote(name)}' is not a known source; use one of: {string.Join(", ", Enum.GetNames<IncidentSource>())}.");
        return IncidentSource.GridPatrol;
    }
}

public sealed record ValidReport(
    string Category, int GridId, IncidentSource Source, string ReporterName, string? ReporterPhone, string Title,
    string Description, string? Address, double? Lon, double? Lat, DateTimeOffset ReportedAt, DateTimeOffset DueAt, string? ExternalId)
{
    public IncidentPriority Priority { get; init; } = IncidentPriority.Normal;
    public string? Building { get; init; }
    public string? BuildingUnit { get; init; }
    public IReadOnlyList<string> PhotoLinks { get; init; } = [];
    public string? ReporterEmail { get; init; }
    public string? ReporterDeviceId { get; init; }
    public string? ReporterAccountId { get; init; }
}

/// <summary>Contact details a reporter may leave.</summary>
public static class ContactFields
{
    /// <summary>The longest e-mail address (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>
    /// An e-mail address, or null when absent or blank: one <c>@</c> between a non-empty local part and a domain with a
    /// dot, no spaces or control characters. The message never repeats the address (personal data stays out of answers and logs).
    /// </summary>
    public static string? Email(Validator v, string field, string? text)
    {
        ArgumentNullException.ThrowIfNull(v);
        var email = v.OptionalText(field, text, MaxEmailLength);
        if (email is null || email.Length > MaxEmailLength) return null;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var ok = at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1
                 && email.IndexOf('.', at) is var dot && dot > at + 1 && dot < email.Length - 1
                 && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
        if (!ok)
        {
            v.Add(field, "is not an e-mail address: a name, one @ and a domain with a dot.");
            return null;
        }

        return email;
    }
}

public sealed record IncidentAccepted(long Id, string Number, string Step, DateTimeOffset ReportedAt, DateTimeOffset DueAt, bool Duplicate);

/// <summary>Incident numbers: <c>SJ</c>, the date reported in the street's zone, and the id (at least six digits).</summary>
public static class IncidentNumbers
{
    public static string Format(DateOnly localDate, long id) =>
        string.Create(CultureInfo.InvariantCulture, $"SJ{localDate:yyyyMMdd}{id:D6}");
}
