using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CommandCenter.Domain.Model;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

public static class IncidentsApi
{
    public static RouteGroupBuilder MapIncidentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/incidents", ReportAsync)
            .RequireAuthorization(Policies.Scope(Scopes.IncidentsWrite))
            .WithTags("Ingestion").WithName("ReportIncident")
            .WithSummary("Report an incident; it enters the closed loop at the Reported step.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/incidents", QueueAsync)
            .RequireAuthorization(Policies.IncidentsRead)
            .WithTags("Incidents").WithName("IncidentQueue")
            .WithSummary("The queue: filters step, category, communityId, gridId, unitKind+unitId, cycle, overdue, source, q; page, pageSize, sort.")
            .ProducesValidationProblem();
        api.MapGet("/incidents/{id:long}", GetAsync)
            .RequireAuthorization(Policies.IncidentsRead)
            .WithTags("Incidents").WithName("GetIncident")
            .WithSummary("One incident with its timeline and the caller's allowed actions; ETag is its version.");
        api.MapPost("/incidents/{id:long}/actions/{action}", ActAsync)
            .RequireAuthorization(Policies.IncidentActions)
            .WithIdempotency()
            .WithTags("Incidents").WithName("IncidentAction")
            .WithSummary("Take one action of the loop (verify, reject, dispatch, accept, feedback, check, escalate, reopen); If-Match carries the version.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    /// <summary>201 with the new incident; 200 with the stored one when <c>externalId</c> repeats.</summary>
    public static async Task<Results<Created<IncidentAccepted>, Ok<IncidentAccepted>>> ReportAsync(
        ReportIncident body, ReportIncidentHandler handler, HttpContext http, CancellationToken ct)
    {
        var accepted = await handler.HandleAsync(body, http.Actor(), ct);
        return accepted.Duplicate
            ? TypedResults.Ok(accepted)
            : TypedResults.Created($"/api/v1/incidents/{accepted.Id}", accepted);
    }

    public static async Task<Ok<QueuePage>> QueueAsync([AsParameters] IncidentQueueQuery query, IncidentQueue queue, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await queue.ListAsync(query.Validate(), http.User.CommunityId(), ct));

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> GetAsync(long id, IncidentQueue queue, HttpContext http, CancellationToken ct)
    {
        var actor = http.Actor();
        var view = await queue.GetAsync(id, actor, Caller(http, actor), ct);
        if (view is null) return NotFound(id);
        SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>
    /// 200 with the incident as it now is; 400 for a body naming wrong fields; 404 for an incident the caller cannot see
    /// or an unknown action; 409 when the action is not allowed from here or <c>fromStep</c> is stale (both list
    /// <c>allowedActions</c> and the <c>current</c> state); 412 when If-Match is not the current version; 428 without If-Match.
    /// </summary>
    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> ActAsync(
        long id, string action, IncidentActionHandler handler, IncidentQueue queue, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        if (IncidentLoop.Parse(action) is not { } loopAction)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found",
                detail: $"'{Validator.Quote(action)}' is not an action; use one of: {string.Join(", ", Enum.GetValues<LoopAction>().Select(IncidentLoop.Name))}.");
        }

        var version = IfMatch(http);
        if (version is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
                detail: "Send the incident's version (its ETag, e.g. \"3\") in If-Match, so that an action never lands on a newer state than the one you saw.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["If-Match"] = ["is required."] } });
        }

        var options = json.Value.SerializerOptions;
        LoopCommand command = loopAction switch
        {
            LoopAction.Verify => (await ReadAsync<VerifyBody>(http, options, ct)).Validate(),
            LoopAction.Reject => (await ReadAsync<RejectBody>(http, options, ct)).Validate(),
            LoopAction.Dispatch => (await ReadAsync<DispatchBody>(http, options, ct)).Validate(),
            LoopAction.Accept => (await ReadAsync<AcceptBody>(http, options, ct)).Validate(),
            LoopAction.Feedback => (await ReadAsync<FeedbackBody>(http, options, ct)).Validate(),
            LoopAction.Check => (await ReadAsync<CheckBody>(http, options, ct)).Validate(),
            LoopAction.Escalate => (await ReadAsync<EscalateBody>(http, options, ct)).Validate(),
            _ => (await ReadAsync<ReopenBody>(http, options, ct)).Validate(),
        };
        var actor = http.Actor();
        var caller = Caller(http, actor);
        var result = await handler.HandleAsync(id, command, new LoopActor(actor, caller), version, ct);
        if (result is null) return NotFound(id);
        var view = await queue.GetAsync(id, actor, caller, ct);
        if (view is null) return NotFound(id);
        SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    internal static LoopCaller Caller(HttpContext http, Actor actor) => LoopCaller.For(actor, http.User.FindFirstValue(ClaimTypes.Role));

    /// <summary>The version in If-Match: <c>"3"</c>, <c>W/"3"</c> or <c>3</c>; null when missing or unreadable.</summary>
    internal static long? IfMatch(HttpContext http)
    {
        var text = http.Request.Headers.IfMatch.ToString().Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    internal static void SetETag(HttpContext http, long version) =>
        http.Response.Headers.ETag = "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no incident {id} you may see.");

    /// <summary>The body as <typeparamref name="T"/>; an empty body is an empty object (its required fields are then named).</summary>
    private static async Task<T> ReadAsync<T>(HttpContext http, JsonSerializerOptions options, CancellationToken ct) where T : new()
    {
        if (http.Request.ContentLength == 0) return new T();
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, ct) ?? new T();
        }
        catch (JsonException je)
        {
            throw new BadHttpRequestException("The JSON body is malformed.", StatusCodes.Status400BadRequest, je);
        }
    }
}
