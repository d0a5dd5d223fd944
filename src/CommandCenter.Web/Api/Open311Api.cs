using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CommandCenter.Web.Api;

/// <summary>
/// Open311 GeoReport v2 for outside apps (wiki.open311.org/GeoReport_v2): the categories as services, incidents as
/// service requests (<c>service_request_id</c> is the incident's number), in JSON (<c>.json</c>) or XML (<c>.xml</c>)
/// with the spec's names. Errors are the spec's list of <c>{code, description}</c>, never a 500 for bad input.
/// Names come in Chinese or English by the <c>locale</c> parameter, else the Accept-Language header, else the
/// site's culture.
/// </summary>
public static class Open311Api
{
    public const string Root = "/open311";
    public const string Prefix = Root + "/v2";

    /// <summary>The Open311 JSON: the spec's snake_case names on the records, nulls left out (every such field is optional).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Open311's names of the incident handler's fields, for its errors.</summary>
    private static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["category"] = "service_code",
        ["gridId"] = "address_id",
        ["source"] = "service_code",
        ["reporterName"] = "first_name",
        ["reporterPhone"] = "phone",
        ["reporterEmail"] = "email",
        ["photoLinks"] = "media_url",
        ["photoLinks[0]"] = "media_url",
        ["title"] = "attribute[" + Open311.TitleAttribute + "]",
        ["description"] = "description",
        ["address"] = "address_string",
        ["lon"] = "long",
        ["lat"] = "lat",
        ["externalId"] = "attribute[" + Open311.ExternalIdAttribute + "]",
        ["reportedAt"] = "requested_datetime",
    };

    public static IEndpointRouteBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Open311").RequireRateLimiting(Open311Security.RateLimitPolicy);
        g.MapGet("/services.{format}", Services)
            .RequireAuthorization(Policies.IncidentsRead).WithName("Open311Services")
            .WithSummary("Open311: the service list (one service per incident category).");
        g.MapGet("/services/{code}.{format}", ServiceDefinition)
            .RequireAuthorization(Policies.IncidentsRead).WithName("Open311ServiceDefinition")
            .WithSummary("Open311: a service's definition (the attributes a request may carry).");
        g.MapGet("/requests.{format}", RequestsAsync)
            .RequireAuthorization(Policies.IncidentsRead).WithName("Open311Requests")
            .WithSummary("Open311: service requests by id list, or by service, report time span (90 days by default) and status; at most 1000, newest first.");
        g.MapGet("/requests/{id}.{format}", RequestAsync)
            .RequireAuthorization(Policies.IncidentsRead).WithName("Open311Request")
            .WithSummary("Open311: one service request (a list of one, as the spec answers).");
        g.MapPost("/requests.{format}", PostAsync)
            .RequireAuthorization(Open311Security.ReportPolicy).WithName("Open311PostRequest")
            .WithSummary("Open311: report a service request (form-encoded, with api_key in the form or the X-Api-Key header); it enters the loop at the Reported step.");
        return app;
    }

    public static IResult Services(string format, HttpContext http, IOptions<CommandCenterOptions> options)
    {
        if (!TryFormat(format, out var xml)) return UnknownFormat(format);
        var chinese = Chinese(http.Request, StringValues.Empty, options.Value);
        var services = Open311.Services(chinese).Select(s => new ServiceDto(s.Code, s.Name, s.Description, true, "realtime", s.Keywords, s.Group)).ToList();
        return Respond(xml, services, StatusCodes.Status200OK, "services", "service");
    }

    public static IResult ServiceDefinition(string code, string format, HttpContext http, IOptions<CommandCenterOptions> options)
    {
        if (!TryFormat(format, out var xml)) return UnknownFormat(format);
        var chinese = Chinese(http.Request, StringValues.Empty, options.Value);
        if (Open311.Service(code, chinese) is not { } service)
        {
            return Error(xml, StatusCodes.Status404NotFound, $"service_code: '{Validator.Quote(code)}' is not a service here; GET {Prefix}/services.json lists them.");
        }

        var attributes = Open311.Attributes(chinese)
            .Select(a => new AttributeDto(true, a.Code, a.Datatype, a.Required, a.DatatypeDescription, a.Order, a.Description))
            .ToList();
        return Respond(xml, new ServiceDefinitionDto(service.Code, attributes), StatusCodes.Status200OK, "service_definition", null);
    }

    public static async Task<IResult> RequestsAsync(string format, HttpContext http, Open311Queries queries, BoardClock clock,
        IOptions<CommandCenterOptions> options, CancellationToken ct)
    {
        if (!TryFormat(format, out var xml)) return UnknownFormat(format);
        var q = http.Request.Query;
        Open311Filter filter;
        try
        {
            filter = new Open311Query(Joined(q["service_request_id"]), Joined(q["service_code"]), Joined(q["start_date"]), Joined(q["end_date"]), Joined(q["status"]))
                .Validate(clock.Now);
        }
        catch (InputValidationException ex)
        {
            return Errors(xml, StatusCodes.Status400BadRequest, ex.Errors);
        }

        var chinese = Chinese(http.Request, StringValues.Empty, options.Value);
        var rows = await queries.ListAsync(filter, http.User.CommunityId(), ct);
        return Respond(xml, rows.Select(r => ToDto(r, clock, chinese)).ToList(), StatusCodes.Status200OK, "service_requests", "request");
    }

    public static async Task<IResult> RequestAsync(string id, string format, HttpContext http, Open311Queries queries, BoardClock clock,
        IOptions<CommandCenterOptions> options, CancellationToken ct)
    {
        if (!TryFormat(format, out var xml)) return UnknownFormat(format);
        var row = id.Length <= 32 ? await queries.GetAsync(id, http.User.CommunityId(), ct) : null;
        if (row is null)
        {
            return Error(xml, StatusCodes.Status404NotFound, $"service_request_id: there is no request '{Validator.Quote(id)}' you may see.");
        }

        var chinese = Chinese(http.Request, StringValues.Empty, options.Value);
        return Respond(xml, new List<RequestDto> { ToDto(row, clock, chinese) }, StatusCodes.Status200OK, "service_requests", "request");
    }

    /// <summary>201 with the new request's id; 200 with the stored one when <c>attribute[external_id]</c> repeats with the same content.</summary>
    public static async Task<IResult> PostAsync(string format, HttpContext http, ReportIncidentHandler handler, Open311Queries queries, BoardClock clock,
        IOptions<CommandCenterOptions> options, CancellationToken ct)
    {
        if (!TryFormat(format, out var xml)) return UnknownFormat(format);
        if (!http.Request.HasFormContentType)
        {
            return Error(xml, StatusCodes.Status415UnsupportedMediaType,
                "Content-Type: send the request as application/x-www-form-urlencoded (or multipart/form-data), as the spec does.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException ex)
        {
            return Error(xml, ex.StatusCode, ex.StatusCode == 413 ? "The request body is too large." : "The form body cannot be read.");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
        {
            return Error(xml, StatusCodes.Status400BadRequest, "The form body cannot be read: " + ex.Message);
        }

        var repeated = form.Keys.Where(k => form[k].Count > 1 && k != Open311Security.FormKeyField).ToList();
        if (repeated.Count > 0)
        {
            return Errors(xml, StatusCodes.Status400BadRequest, repeated.ToDictionary(k => Validator.Quote(k, 40), _ => new[] { "is given more than once." }));
        }

        var chinese = Chinese(http.Request, form["locale"], options.Value);
        var actor = http.Actor();
        try
        {
            var valid = Read(form).Validate(chinese);
            var gridId = await PlaceAsync(valid, queries, actor, ct);
            var accepted = await handler.HandleAsync(valid.ToReport(gridId), actor, ct);
            var due = Time(accepted.DueAt, clock);
            var notice = chinese
                ? $"诉求 {accepted.Number} 已登记，预计 {due} 前处置。"
                : $"Request {accepted.Number} is registered; it is expected to be handled by {due}.";
            var body = new List<PostedDto> { new(accepted.Number, notice, null) };
            return Respond(xml, body, accepted.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created, "service_requests", "request",
                location: accepted.Duplicate ? null : $"{Prefix}/requests/{accepted.Number}.{(xml ? "xml" : "json")}");
        }
        catch (InputValidationException ex)
        {
            return Errors(xml, StatusCodes.Status400BadRequest, ex.Errors);
        }
        catch (ConflictException ex)
        {
            return Errors(xml, StatusCodes.Status409Conflict, ex.Errors);
        }
    }

    /// <summary>The grid of the report: the one whose boundary holds lat/long, else the grid whose code is address_id.</summary>
    private static async Task<int> PlaceAsync(ValidOpen311Request r, Open311Queries queries, Actor actor, CancellationToken ct)
    {
        if (r.Lat is { } lat && r.Lon is { } lon && await queries.GridAtAsync(lon, lat, actor.CommunityId, ct) is { } byPoint)
        {
            return byPoint;
        }

        if (r.AddressId is { } code)
        {
            return await queries.GridByCodeAsync(code, actor.CommunityId, ct)
                ?? throw InputValidationException.For("address_id", $"'{Validator.Quote(code)}' is not the code of a grid you may report to.");
        }

        throw InputValidationException.For("lat", "the point lies in no grid you may report to; send a point inside the street, or address_id (a grid's code).");
    }

    private static Open311ServiceRequest Read(IFormCollection form)
    {
        string? F(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in form.Keys.Where(k => k.StartsWith("attribute[", StringComparison.Ordinal) && k.EndsWith(']')))
        {
            attributes[key["attribute[".Length..^1]] = form[key].ToString();
        }

        return new Open311ServiceRequest
        {
            ServiceCode = F("service_code"),
            Lat = F("lat"),
            Long = F("long"),
            AddressString = F("address_string"),
            AddressId = F("address_id"),
            Email = F("email"),
            DeviceId = F("device_id"),
            AccountId = F("account_id"),
            FirstName = F("first_name"),
            LastName = F("last_name"),
            Phone = F("phone"),
            Description = F("description"),
            MediaUrl = F("media_url"),
            Attributes = attributes,
        };
    }

    private static RequestDto ToDto(Open311Row r, BoardClock clock, bool chinese)
    {
        var step = (IncidentStep)r.Step;
        var status = Open311.StatusOf(step, chinese).Status;
        var notes = Open311.StatusNotes(step, (LoopAction?)r.LastAction, (IncidentStep?)r.LastStep, (IncidentCycle?)r.LastToCycle, r.LastNote, chinese);
        var grid = chinese ? r.GridNameZh : r.GridName;
        var community = chinese ? r.CommunityNameZh : r.CommunityName;
        var service = Open311.Service(r.Category, chinese);
        var description = r.Description.Length > 0 ? r.Description : r.Title;
        return new RequestDto(
            r.Number,
            status,
            notes,
            service?.Name ?? r.Category,
            r.Category,
            description.Length <= 4000 ? description : description[..(char.IsHighSurrogate(description[3999]) ? 3999 : 4000)],
            Open311.AgencyResponsible((IncidentCycle)r.Cycle, grid, community, chinese),
            null,
            Time(r.ReportedAt, clock),
            Time(step == IncidentStep.Closed && r.ClosedAt is { } closed ? closed : r.UpdatedAt, clock),
            Time(r.DueAt, clock),
            string.Join(chinese ? "，" : ", ", new[] { r.Address, grid, community }.Where(s => !string.IsNullOrWhiteSpace(s))),
            r.GridCode,
            null,
            r.Lat,
            r.Lon,
            r.MediaUrl());
    }

    /// <summary>An instant as RFC 3339 in the street's zone, to the second (e.g. 2026-11-30T13:21:50+08:00).</summary>
    private static string Time(DateTimeOffset instant, BoardClock clock) =>
        clock.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The language of names and notes: <c>locale</c> (zh… is Chinese, anything else English), else Accept-Language, else the site's culture.</summary>
    private static bool Chinese(HttpRequest request, StringValues formLocale, CommandCenterOptions options)
    {
        var locale = request.Query["locale"] is { Count: > 0 } q ? q[0] : formLocale.Count > 0 ? formLocale[0] : null;
        if (!string.IsNullOrWhiteSpace(locale))
        {
            return locale.Trim().StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        }

        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var value = language.Value.Value ?? "";
            if (value.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return true;
            if (value.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return false;
        }

        return options.Culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Joined(StringValues values) => values.Count == 0 ? null : string.Join(',', values.ToArray());

    /// <summary>The response format of the path's suffix: <c>json</c> or <c>xml</c>.</summary>
    private static bool TryFormat(string format, out bool xml)
    {
        xml = format == "xml";
        return format is "json" or "xml";
    }

    private static IResult UnknownFormat(string format) =>
        Error(false, StatusCodes.Status404NotFound, $"format: '{Validator.Quote(format, 16)}' is not a format here; use .json or .xml.");

    private static IResult Error(bool xml, int status, string description) => Respond(xml, new List<ErrorDto> { new(status, description) }, status, "errors", "error");

    private static IResult Errors(bool xml, int status, IReadOnlyDictionary<string, string[]> errors) =>
        Respond(xml, errors.SelectMany(e => e.Value.Select(m => new ErrorDto(status, $"{FieldNames.GetValueOrDefault(e.Key, e.Key)}: {m}"))).ToList(),
            status, "errors", "error");

    /// <summary>Writes an Open311 error list (JSON) straight to the response: for refusals before an endpoint runs.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string description)
    {
        ArgumentNullException.ThrowIfNull(context);
        var xml = context.Request.Path.Value?.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) == true;
        return Error(xml, status, description).ExecuteAsync(context);
    }

    /// <summary>
    /// The answer in either format: JSON as the records serialize, or XML with the spec's element names (the root and,
    /// for a list, one element per item), built from the same JSON so that both say the same.
    /// </summary>
    private static IResult Respond<T>(bool xml, T body, int status, string root, string? item, string? location = null)
    {
        if (!xml)
        {
            return new Open311Result(JsonSerializer.Serialize(body, Json), "application/json; charset=utf-8", status, location);
        }

        using var doc = JsonSerializer.SerializeToDocument(body, Json);
        var element = ToXml(root, doc.RootElement, item);
        var text = new XDocument(new XDeclaration("1.0", "utf-8", null), element).Declaration + "\n" + element.ToString(SaveOptions.DisableFormatting);
        return new Open311Result(text, "text/xml; charset=utf-8", status, location);
    }

    private static XElement ToXml(string name, JsonElement value, string? itemName) => value.ValueKind switch
    {
        JsonValueKind.Object => new XElement(name, value.EnumerateObject().Select(p => ToXml(p.Name, p.Value, ItemOf(p.Name)))),
        JsonValueKind.Array => new XElement(name, value.EnumerateArray().Select(v => ToXml(itemName ?? "item", v, null))),
        JsonValueKind.Null => new XElement(name),
        JsonValueKind.True => new XElement(name, "true"),
        JsonValueKind.False => new XElement(name, "false"),
        JsonValueKind.String => new XElement(name, XmlText(value.GetString()!)),
        _ => new XElement(name, value.GetRawText()),
    };

    /// <summary>The text without the characters XML 1.0 cannot hold (stored text may predate the input rules).</summary>
    private static string XmlText(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (System.Xml.XmlConvert.IsXmlChar(c))
            {
                kept?.Append(c);
            }
            else if (i + 1 < text.Length && System.Xml.XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                kept?.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                kept ??= new StringBuilder(text, 0, i, text.Length);
            }
        }

        return kept?.ToString() ?? text;
    }

    /// <summary>The spec's element for one item of a nested list.</summary>
    private static string? ItemOf(string listName) => listName switch
    {
        "attributes" => "attribute",
        "values" => "value",
        _ => null,
    };

    private sealed class Open311Result(string body, string contentType, int status, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            await httpContext.Response.WriteAsync(body, Encoding.UTF8);
        }
    }

    public sealed record ServiceDto(
        [property: JsonPropertyName("service_code")] string ServiceCode,
        [property: JsonPropertyName("service_name")] string ServiceName,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("metadata")] bool Metadata,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("keywords")] string Keywords,
        [property: JsonPropertyName("group")] string Group);

    public sealed record ServiceDefinitionDto(
        [property: JsonPropertyName("service_code")] string ServiceCode,
        [property: JsonPropertyName("attributes")] IReadOnlyList<AttributeDto> Attributes);

    public sealed record AttributeDto(
        [property: JsonPropertyName("variable")] bool Variable,
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("datatype")] string Datatype,
        [property: JsonPropertyName("required")] bool Required,
        [property: JsonPropertyName("datatype_description")] string DatatypeDescription,
        [property: JsonPropertyName("order")] int Order,
        [property: JsonPropertyName("description")] string Description);

    public sealed record RequestDto(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("status_notes")] string? StatusNotes,
        [property: JsonPropertyName("service_name")] string? ServiceName,
        [property: JsonPropertyName("service_code")] string ServiceCode,
        [property: JsonPropertyName("description")] string? Description,
        [property: JsonPropertyName("agency_responsible")] string? AgencyResponsible,
        [property: JsonPropertyName("service_notice")] string? ServiceNotice,
        [property: JsonPropertyName("requested_datetime")] string RequestedDatetime,
        [property: JsonPropertyName("updated_datetime")] string? UpdatedDatetime,
        [property: JsonPropertyName("expected_datetime")] string? ExpectedDatetime,
        [property: JsonPropertyName("address")] string? Address,
        [property: JsonPropertyName("address_id")] string? AddressId,
        [property: JsonPropertyName("zipcode")] string? Zipcode,
        [property: JsonPropertyName("lat")] double? Lat,
        [property: JsonPropertyName("long")] double? Long,
        [property: JsonPropertyName("media_url")] string? MediaUrl);

    public sealed record PostedDto(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
        [property: JsonPropertyName("service_notice")] string? ServiceNotice,
        [property: JsonPropertyName("account_id")] string? AccountId);

    public sealed record ErrorDto(
        [property: JsonPropertyName("code")] int Code,
        [property: JsonPropertyName("description")] string Description);
}
