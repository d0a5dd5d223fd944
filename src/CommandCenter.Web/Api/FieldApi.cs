using System.Text.Json;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>
/// The field app's API (issue 9): a staff member's personal token (an API key with the <c>field</c> scope owned by a
/// staff record) reports, lists what their grids hold, accepts, gives feedback and reads a timeline — through the
/// same handlers and rules as the console, attributed to the staff member. Writes honour <c>Idempotency-Key</c>.
/// </summary>
public static class FieldApi
{
    public static RouteGroupBuilder MapFieldApi(this RouteGroupBuilder api)
    {
        var field = api.MapGroup("/field").RequireAuthorization(Policies.Scope(Scopes.Field)).WithTags("Field");
        field.MapPost("/incidents", ReportAsync).WithName("FieldReport").WithIdempotency()
            .WithSummary("Report an incident in one of my grids (source: grid patrol unless given; reporter: me).")
            .Accepts<ReportIncident>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        field.MapGet("/incidents", HeldAsync).WithName("FieldHeld")
            .WithSummary("The open incidents my grids hold, oldest deadline first.");
        field.MapGet("/incidents/{id:long}", GetAsync).WithName("FieldIncident")
            .WithSummary("An incident of my grids with its timeline and my allowed actions; ETag is its version.");
        field.MapPost("/incidents/{id:long}/accept", AcceptAsync).WithName("FieldAccept").WithIdempotency()
            .WithSummary("Accept an incident my grid holds (body: fromStep, note). If-Match optional.")
            .Accepts<AcceptBody>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        field.MapPost("/incidents/{id:long}/feedback", FeedbackAsync).WithName("FieldFeedback").WithIdempotency()
            .WithSummary("Say what was done (body: fromStep, note, photoLinks). If-Match optional.")
            .Accepts<FeedbackBody>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    public static async Task<Results<Created<IncidentAccepted>, Ok<IncidentAccepted>, ProblemHttpResult>> ReportAsync(
        ReportIncidentHandler handler, StaffAccountService staffAccounts, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        var actor = http.Actor();
        if (await staffAccounts.StaffOfAsync(actor, ct) is not { } staff) return NotStaff();
        var body = await ReadAsync<ReportIncident>(http, json.Value.SerializerOptions, ct);
        if (body.GridId is { } gridId && !staff.GridIds.Contains(gridId))
        {
            throw InputValidationException.For("gridId", $"{gridId} is not one of your grids ({string.Join(", ", staff.GridIds)}).");
        }

        body = body with
        {
            ReporterName = string.IsNullOrWhiteSpace(body.ReporterName) ? staff.Name : body.ReporterName,
            Source = body.Source ?? nameof(IncidentSource.GridPatrol),
        };
        var accepted = await handler.HandleAsync(body, actor, staff.StaffId, ct);
        return accepted.Duplicate ? TypedResults.Ok(accepted) : TypedResults.Created($"/api/v1/field/incidents/{accepted.Id}", accepted);
    }

    public static async Task<Results<Ok<IReadOnlyList<HeldIncident>>, ProblemHttpResult>> HeldAsync(
        StaffAccountService staffAccounts, FieldQueries queries, HttpContext http, CancellationToken ct)
    {
        if (await staffAccounts.StaffOfAsync(http.Actor(), ct) is not { } staff) return NotStaff();
        return TypedResults.Ok(await queries.HeldAsync(staff.StaffId, ct));
    }

    public static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> GetAsync(
        long id, StaffAccountService staffAccounts, IncidentQueue queue, HttpContext http, CancellationToken ct)
    {
        var actor = http.Actor();
        if (await staffAccounts.StaffOfAsync(actor, ct) is not { } staff) return NotStaff();
        var who = StaffAccountService.FieldActor(actor, staff);
        var view = await queue.GetAsync(id, actor, who.Caller, ct);
        if (view is null || !Mine(view, staff)) return NotFound(id);
        IncidentsApi.SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    public static Task<Results<Ok<IncidentView>, ProblemHttpResult>> AcceptAsync(long id, IncidentActionHandler handler, IncidentQueue queue,
        StaffAccountService staffAccounts, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
        ActAsync(id, handler, queue, staffAccounts, http, async () => (await ReadAsync<AcceptBody>(http, json.Value.SerializerOptions, ct)).Validate(), ct);

    public static Task<Results<Ok<IncidentView>, ProblemHttpResult>> FeedbackAsync(long id, IncidentActionHandler handler, IncidentQueue queue,
        StaffAccountService staffAccounts, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
        ActAsync(id, handler, queue, staffAccounts, http, async () => (await ReadAsync<FeedbackBody>(http, json.Value.SerializerOptions, ct)).Validate(), ct);

    private static async Task<Results<Ok<IncidentView>, ProblemHttpResult>> ActAsync(long id, IncidentActionHandler handler, IncidentQueue queue,
        StaffAccountService staffAccounts, HttpContext http, Func<Task<LoopCommand>> read, CancellationToken ct)
    {
        var actor = http.Actor();
        if (await staffAccounts.StaffOfAsync(actor, ct) is not { } staff) return NotStaff();
        var command = await read();
        var who = StaffAccountService.FieldActor(actor, staff);
        // Another grid's incident is "not found" for field staff, as for scoped operators.
        if (await handler.LoadStateAsync(id, actor, ct) is not { } state || !staff.GridIds.Contains(state.GridId)) return NotFound(id);
        var result = await handler.HandleAsync(id, command, who, IncidentsApi.IfMatch(http), ct);
        if (result is null) return NotFound(id);
        var view = await queue.GetAsync(id, actor, who.Caller, ct);
        if (view is null) return NotFound(id);
        IncidentsApi.SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    private static bool Mine(IncidentView view, FieldStaff staff) => staff.GridIds.Contains(view.GridId);

    private static ProblemHttpResult NotStaff() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "This key is not a staff member's personal token: the field API acts as a staff member.");

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no incident {id} in your grids.");

    /// <summary>The body as <typeparamref name="T"/> (read here, so that the Idempotency-Key filter sees it first); empty is an empty object.</summary>
    internal static async Task<T> ReadAsync<T>(HttpContext http, JsonSerializerOptions options, CancellationToken ct) where T : new()
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
