using System.Globalization;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Domain.Incidents;

/// <summary>
/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the incident loop: the categories are its services, an
/// incident is a service request, the loop's steps are its two statuses. The rules live here; the wire format is the
/// Web project's.
/// </summary>
public static class Open311
{
    public const string Open = "open";
    public const string Closed = "closed";

    /// <summary>The attribute that carries the sender's own id: a retry with the same id answers the request already stored.</summary>
    public const string ExternalIdAttribute = "external_id";

    /// <summary>The attribute that carries a short title (else the description's first line, else the service's name).</summary>
    public const string TitleAttribute = "title";

    /// <summary>The most requests one <c>GET requests</c> answers (the spec's default), newest first.</summary>
    public const int MaxResults = 1000;

    /// <summary>The most ids one <c>service_request_id</c> list may name.</summary>
    public const int MaxRequestIds = 100;

    /// <summary>The widest <c>start_date</c>..<c>end_date</c> span, and the span asked without dates (the spec's default): 90 days.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(90);

    /// <summary>
    /// The one place a step becomes an Open311 status: steps 1–5 are <c>open</c>, step 6 (checked and closed) is
    /// <c>closed</c>; the notes say where in the loop the request is, in the caller's language.
    /// </summary>
    public static (string Status, string Notes) StatusOf(IncidentStep step, bool chinese) => step switch
    {
        IncidentStep.Reported => (Open, chinese ? "已上报，待核实" : "Reported; waiting to be verified."),
        IncidentStep.Verified => (Open, chinese ? "已核实，待派遣" : "Verified; waiting to be dispatched."),
        IncidentStep.Dispatched => (Open, chinese ? "已派遣，处置中" : "Dispatched; being handled."),
        IncidentStep.Processed => (Open, chinese ? "已处置，待反馈" : "Handled; feedback pending."),
        IncidentStep.FeedbackGiven => (Open, chinese ? "已反馈，待核查" : "Feedback given; waiting to be checked."),
        IncidentStep.Closed => (Closed, chinese ? "已核查，已办结" : "Checked and closed."),
        _ => (Open, chinese ? "处理中" : "In progress."),
    };

    /// <summary>
    /// <c>status_notes</c>: what the incident's latest timeline row says — the note its author wrote (an operator's
    /// verification remark, the unit's feedback, the reason of an escalation), else what that action did, in the
    /// caller's language; without an action (the report, or rows from before the loop) what the step means.
    /// </summary>
    public static string StatusNotes(IncidentStep step, LoopAction? lastAction, IncidentStep? lastStep, IncidentCycle? lastToCycle, string? lastNote, bool chinese)
    {
        if (!string.IsNullOrWhiteSpace(lastNote)) return lastNote.Trim();
        return lastAction switch
        {
            LoopAction.Verify => chinese ? "已核实，待派遣" : "Verified; to be dispatched.",
            LoopAction.Reject => chinese ? "经核实不予受理，已办结" : "Rejected after verification; closed.",
            LoopAction.Dispatch => chinese ? "已派遣，待承办单位接收" : "Dispatched; waiting for the unit to accept it.",
            LoopAction.Accept => chinese ? "承办单位已接收，处置中" : "Accepted by the unit; being handled.",
            LoopAction.Feedback => chinese ? "已处置并反馈，待核查" : "Handled and reported back; waiting to be checked.",
            LoopAction.Check when lastStep == IncidentStep.Closed => chinese ? "已核查，已办结" : "Checked and closed.",
            LoopAction.Check => chinese ? "核查未通过，退回重新处置" : "Not accepted at the check; sent back to be handled again.",
            LoopAction.Escalate when lastToCycle == IncidentCycle.Large => chinese ? "已上报至街道（大循环）处置" : "Escalated to the street command center (large cycle).",
            LoopAction.Escalate => chinese ? "已上报至社区（小循环）处置" : "Escalated to the community (small cycle).",
            LoopAction.Reopen => chinese ? "已重新受理" : "Reopened.",
            _ => StatusOf(lastStep ?? step, chinese).Notes,
        };
    }

    /// <summary>Whether a step is in the status named.</summary>
    public static bool IsIn(IncidentStep step, string status) => StatusOf(step, false).Status == status;

    /// <summary>Who holds a request: the grid in the micro cycle, the community in the small one, the street's command center in the large one.</summary>
    public static string AgencyResponsible(IncidentCycle cycle, string gridName, string communityName, bool chinese) => cycle switch
    {
        IncidentCycle.Small => communityName,
        IncidentCycle.Large => chinese ? "街道综合指挥中心" : "Street command center",
        _ => gridName,
    };

    /// <summary>The services: one per incident category, named in the caller's language.</summary>
    public static IReadOnlyList<Open311Service> Services(bool chinese) =>
        IncidentCategories.All.Select(c => ServiceOf(c.Entry, c.DeadlineHours, chinese)).ToList();

    /// <summary>The service of a code, or null if the code is not a category.</summary>
    public static Open311Service? Service(string? code, bool chinese) =>
        IncidentCategories.All.Where(c => c.Entry.Code == code).Select(c => ServiceOf(c.Entry, c.DeadlineHours, chinese)).FirstOrDefault();

    /// <summary>The attributes every service takes (the same for all: the loop asks the same of every category).</summary>
    public static IReadOnlyList<Open311Attribute> Attributes(bool chinese) =>
    [
        new(ExternalIdAttribute, "string", false, 1,
            chinese ? "您系统中的编号：用同一编号重发，返回已存的诉求，不会重复登记。" : "Your own id of this report: sending it again with the same id returns the request already stored instead of a second one.",
            chinese ? "最多 100 个字符" : "At most 100 characters."),
        new(TitleAttribute, "string", false, 2,
            chinese ? "一句话标题（缺省取描述的第一行）。" : "A one-line title (by default the description's first line).",
            chinese ? "最多 200 个字符" : "At most 200 characters."),
    ];

    private static Open311Service ServiceOf(CatalogEntry e, int deadlineHours, bool chinese) => new(
        e.Code,
        e.Name(chinese),
        chinese
            ? string.Create(CultureInfo.InvariantCulture, $"{e.NameZh}类问题，网格内 {deadlineHours} 小时内处置。")
            : string.Create(CultureInfo.InvariantCulture, $"{e.NameEn}: handled within {deadlineHours} hours in the grid."),
        e.NameZh + "," + e.NameEn + "," + e.Code,
        chinese ? "街道网格事件" : "Street grid incidents");
}

/// <summary>A service as the rules see it: code, name, description, keywords and group in one language.</summary>
public sealed record Open311Service(string Code, string Name, string Description, string Keywords, string Group);

/// <summary>An attribute of a service definition.</summary>
public sealed record Open311Attribute(string Code, string Datatype, bool Required, int Order, string Description, string DatatypeDescription);

/// <summary>
/// <c>POST requests</c> as the spec's form sends it: every field is text, checked here and reported by its Open311
/// name. Exactly one place must be given: <c>lat</c> and <c>long</c> (the grid that holds the point), or
/// <c>address_id</c> (a grid's code); <c>address_string</c> describes the place but cannot place it alone.
/// </summary>
public sealed record Open311ServiceRequest
{
    public string? ServiceCode { get; init; }
    public string? Lat { get; init; }
    public string? Long { get; init; }
    public string? AddressString { get; init; }
    public string? AddressId { get; init; }
    public string? Email { get; init; }
    public string? DeviceId { get; init; }
    public string? AccountId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }
    public string? MediaUrl { get; init; }

    /// <summary><c>attribute[code]</c> fields by code.</summary>
    public IReadOnlyDictionary<string, string?> Attributes { get; init; } = new Dictionary<string, string?>();

    /// <summary>The report as it will be placed and stored, or throws naming each wrong field by its Open311 name.</summary>
    public ValidOpen311Request Validate(bool chinese)
    {
        var v = new Validator();
        var code = v.RequiredText("service_code", ServiceCode, 64);
        var service = Open311.Service(code, chinese);
        if (code is not null && service is null)
        {
            v.Add("service_code", $"'{Validator.Quote(code)}' is not a service here; use one of: {string.Join(", ", IncidentCategories.All.Select(c => c.Entry.Code))}.");
        }

        var lat = Number(v, "lat", Lat);
        var lon = Number(v, "long", Long);
        if (lat is null != lon is null)
        {
            v.Add(lat is null ? "lat" : "long", "lat and long must be given together.");
        }

        if (lat is < -90 or > 90) v.Add("lat", "must be between -90 and 90.");
        if (lon is < -180 or > 180) v.Add("long", "must be between -180 and 180.");
        var addressId = v.OptionalText("address_id", AddressId, 32);
        var address = v.OptionalText("address_string", AddressString, 300);
        if (lat is null && lon is null && addressId is null)
        {
            v.Add(address is null ? "lat" : "address_string", address is null
                ? "a place is required: lat and long, or address_id (a grid's code)."
                : "cannot be placed on its own: send lat and long, or address_id (a grid's code), with it.");
        }

        var description = v.OptionalText("description", Description, 4000);
        var first = v.OptionalText("first_name", FirstName, 50);
        var last = v.OptionalText("last_name", LastName, 49); // with first_name and a space: the 100 characters of a reporter's name
        var phone = v.OptionalText("phone", Phone, 32);
        var email = ContactFields.Email(v, "email", Email);
        var deviceId = v.OptionalText("device_id", DeviceId, 100);
        var accountId = v.OptionalText("account_id", AccountId, 100);
        // Kept as the incident's photo link: the photo links' length and rule.
        var media = v.OptionalText("media_url", MediaUrl, LoopFields.MaxPhotoLinkLength);
        if (media is not null && !(Uri.TryCreate(media, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            v.Add("media_url", "must be an absolute http or https URL.");
            media = null;
        }

        string? externalId = null, title = null;
        foreach (var (name, value) in Attributes)
        {
            switch (name)
            {
                case Open311.ExternalIdAttribute:
                    externalId = v.OptionalText($"attribute[{name}]", value, 100);
                    break;
                case Open311.TitleAttribute:
                    title = v.OptionalText($"attribute[{name}]", value, 200);
                    break;
                default:
                    v.Add($"attribute[{Validator.Quote(name, 32)}]", $"is not an attribute of this service; use {Open311.ExternalIdAttribute} or {Open311.TitleAttribute}.");
                    break;
            }
        }

        v.ThrowIfInvalid();
        var reporter = string.Join(' ', new[] { first, last }.Where(s => s is not null));
        return new ValidOpen311Request(
            service!,
            lat, lon, address, addressId,
            title ?? TitleFrom(description) ?? service!.Name,
            description,
            reporter.Length > 0 ? reporter : chinese ? "Open311 居民" : "Open311 resident",
            phone,
            externalId)
        {
            Email = email,
            MediaUrl = media,
            DeviceId = deviceId,
            AccountId = accountId,
        };
    }

    /// <summary>A number as the form writes it (invariant culture, finite), or null when the field is absent or blank.</summary>
    private static double? Number(Validator v, string field, string? text)
    {
        if (Validator.IsBlank(text)) return null;
        if (text!.Length > 40 || !double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            v.Add(field, $"'{Validator.Quote(text, 40)}' is not a number.");
            return null;
        }

        return d == 0 ? 0 : d;
    }

    /// <summary>The description's first line, cut to 100 characters on a character boundary.</summary>
    private static string? TitleFrom(string? description)
    {
        if (description is null) return null;
        var line = description.Split('\n', 2)[0].Trim();
        if (line.Length == 0) return null;
        var info = new StringInfo(line);
        return info.LengthInTextElements <= 100 ? line : info.SubstringByTextElements(0, 99) + "…";
    }
}

/// <summary>A checked Open311 report, not yet placed in a grid.</summary>
public sealed record ValidOpen311Request(
    Open311Service Service, double? Lat, double? Lon, string? Address, string? AddressId, string Title, string? Description,
    string ReporterName, string? Phone, string? ExternalId)
{
    /// <summary>The reporter's e-mail address: stored with the incident, never served by the GeoReport reads.</summary>
    public string? Email { get; init; }

    /// <summary>The report's photo (<c>media_url</c>): the incident's photo link, served back as <c>media_url</c>.</summary>
    public string? MediaUrl { get; init; }

    /// <summary>The sending app's <c>device_id</c> and <c>account_id</c>: stored for tracing, never served.</summary>
    public string? DeviceId { get; init; }

    public string? AccountId { get; init; }

    /// <summary>The report the incident handler takes, once the place is known: a resident's report, entering the loop at step 1.</summary>
    public ReportIncident ToReport(int gridId) => new()
    {
        Category = Service.Code,
        GridId = gridId,
        Source = nameof(IncidentSource.Resident),
        ReporterName = ReporterName,
        ReporterPhone = Phone,
        Title = Title,
        Description = Description,
        Address = Address,
        Lon = Lon,
        Lat = Lat,
        ExternalId = ExternalId,
        ReporterEmail = Email,
        ReporterDeviceId = DeviceId,
        ReporterAccountId = AccountId,
        PhotoLinks = MediaUrl is null ? null : [MediaUrl],
    };
}

/// <summary>The query of <c>GET requests</c>, as the spec's parameters send it.</summary>
public sealed record Open311Query(string? ServiceRequestId, string? ServiceCode, string? StartDate, string? EndDate, string? Status)
{
    /// <summary>
    /// The filter, or throws naming each wrong parameter. <c>service_request_id</c> overrides the others (as the spec
    /// says); without dates the last 90 days; a span may not exceed 90 days.
    /// </summary>
    public Open311Filter Validate(DateTimeOffset now)
    {
        var v = new Validator();
        var ids = (v.OptionalText("service_request_id", ServiceRequestId, 4000) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count > Open311.MaxRequestIds) v.Add("service_request_id", $"may list at most {Open311.MaxRequestIds} ids.");
        if (ids.Any(i => i.Length > 32)) v.Add("service_request_id", "an id is at most 32 characters.");
        if (ids.Count > 0)
        {
            v.ThrowIfInvalid();
            return new Open311Filter(ids, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, true, true);
        }

        var code = v.OptionalText("service_code", ServiceCode, 64);
        if (code is not null && !IncidentCategories.IsKnown(code))
        {
            v.Add("service_code", $"'{Validator.Quote(code)}' is not a service here; use one of: {string.Join(", ", IncidentCategories.All.Select(c => c.Entry.Code))}.");
        }

        var start = Date(v, "start_date", StartDate);
        var end = Date(v, "end_date", EndDate);
        var (open, closed) = (true, true);
        var statuses = (v.OptionalText("status", Status, 100) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (statuses.Length > 0)
        {
            open = statuses.Contains(Open311.Open, StringComparer.OrdinalIgnoreCase);
            closed = statuses.Contains(Open311.Closed, StringComparer.OrdinalIgnoreCase);
            foreach (var s in statuses.Where(s => !s.Equals(Open311.Open, StringComparison.OrdinalIgnoreCase) && !s.Equals(Open311.Closed, StringComparison.OrdinalIgnoreCase)))
            {
                v.Add("status", $"'{Validator.Quote(s)}' is not a status; use open, closed or both (comma-separated).");
            }
        }

        var (from, to) = (start, end) switch
        {
            (null, null) => (now - Open311.MaxSpan, now),
            ({ } s, null) => (s, s + Open311.MaxSpan),
            (null, { } e) => (e - Open311.MaxSpan, e),
            ({ } s, { } e) => (s, e),
        };
        if (start is not null && end is not null)
        {
            if (to < from) v.Add("end_date", "is before start_date.");
            else if (to - from > Open311.MaxSpan) v.Add("end_date", "may be at most 90 days after start_date.");
        }

        v.ThrowIfInvalid();
        return new Open311Filter([], code, from.ToUniversalTime(), to.ToUniversalTime(), open, closed);
    }

    /// <summary>A date-time as the spec writes it (ISO 8601 / RFC 3339; without an offset it is UTC).</summary>
    private static DateTimeOffset? Date(Validator v, string field, string? text)
    {
        if (Validator.IsBlank(text)) return null;
        if (text!.Length > 40 || !DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
        {
            v.Add(field, $"'{Validator.Quote(text, 40)}' is not a date-time; use ISO 8601, e.g. 2026-11-30T08:00:00+08:00.");
            return null;
        }

        if (d.Year is < 1970 or > 2999)
        {
            v.Add(field, "must lie between the years 1970 and 2999.");
            return null;
        }

        return d;
    }
}

/// <summary>What <c>GET requests</c> reads: the ids (when given, nothing else counts), or a service, a span of report times and statuses.</summary>
public sealed record Open311Filter(IReadOnlyList<string> Ids, string? ServiceCode, DateTimeOffset Start, DateTimeOffset End, bool Open, bool Closed);
