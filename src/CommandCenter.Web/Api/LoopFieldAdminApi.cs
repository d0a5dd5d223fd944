using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>Linking accounts to staff, personal tokens (shown once).</summary>
public sealed record StaffLinkBody(int? StaffId);

public sealed record FieldTokenBody(string? Name);

public sealed record CreatedFieldToken(FieldToken Token, string Secret);

/// <summary>
/// Issue 9 around the loop's core: alerts and alarms become incidents (operators), the departments and deadline
/// settings (Admin; everyone who reads incidents may list them), staff accounts and personal tokens (Admin).
/// </summary>
public static class LoopFieldAdminApi
{
    public static RouteGroupBuilder MapLoopFieldAdminApi(this RouteGroupBuilder api)
    {
        api.MapPost("/camera-alerts/{id:long}/incident", ConvertAlertAsync)
            .RequireAuthorization(Policies.IncidentActions).WithTags("Incidents").WithName("ConvertCameraAlert")
            .WithSummary("Turn a camera alert into an incident (linked both ways); again: the same incident (200).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/water-alarms/{id:long}/incident", ConvertAlarmAsync)
            .RequireAuthorization(Policies.IncidentActions).WithTags("Incidents").WithName("ConvertWaterAlarm")
            .WithSummary("Turn a waterlogging alarm into an incident (linked both ways); again: the same incident (200).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/departments", (DepartmentQueries q, CancellationToken ct) => ListDepartmentsAsync(q, ct))
            .RequireAuthorization(Policies.IncidentsRead).WithTags("Settings").WithName("Departments")
            .WithSummary("The street's departments (the large cycle's units), inactive ones included.");
        api.MapPost("/departments", AddDepartmentAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Settings").WithName("AddDepartment")
            .WithSummary("Add a department (code, nameEn, nameZh, sortOrder). Audited.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/departments/{id:int}", EditDepartmentAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Settings").WithName("EditDepartment")
            .WithSummary("Edit a department's names and order (the code stays). Audited.").ProducesValidationProblem();
        api.MapPost("/departments/{id:int}/deactivate", (int id, SetDepartmentActiveHandler h, HttpContext http, CancellationToken ct) => SetActiveAsync(id, false, h, http, ct))
            .RequireAuthorization(Policies.Administer).WithTags("Settings").WithName("DeactivateDepartment")
            .WithSummary("Deactivate a department (not the center, not while it holds open incidents). Audited.").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/departments/{id:int}/activate", (int id, SetDepartmentActiveHandler h, HttpContext http, CancellationToken ct) => SetActiveAsync(id, true, h, http, ct))
            .RequireAuthorization(Policies.Administer).WithTags("Settings").WithName("ActivateDepartment")
            .WithSummary("Activate a department again. Audited.");

        api.MapGet("/deadlines", (DeadlineQueries q, CancellationToken ct) => ListDeadlinesAsync(q, ct))
            .RequireAuthorization(Policies.IncidentsRead).WithTags("Settings").WithName("Deadlines")
            .WithSummary("Deadline hours per category and cycle (stored or default).");
        api.MapPut("/deadlines", SetDeadlineAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Settings").WithName("SetDeadline")
            .WithSummary("Set the hours of a category in a cycle (category, cycle micro/small/large, hours 1–8760). Audited; used from the next dispatch.")
            .ProducesValidationProblem();

        api.MapPut("/users/{id:int}/staff", LinkUserAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Accounts").WithName("LinkUserToStaff")
            .WithSummary("Link a person's account to a staff record (staffId; null unlinks). Audited.").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/staff/{staffId:int}/tokens", (int staffId, StaffAccountService s, CancellationToken ct) => ListTokensAsync(staffId, s, ct))
            .RequireAuthorization(Policies.Administer).WithTags("Accounts").WithName("FieldTokens")
            .WithSummary("A staff member's personal tokens (never their secrets).");
        api.MapPost("/staff/{staffId:int}/tokens", CreateTokenAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Accounts").WithName("CreateFieldToken")
            .WithSummary("A personal token for the field app: the secret is in this answer only.").ProducesValidationProblem();
        api.MapDelete("/staff/{staffId:int}/tokens/{id:int}", RevokeTokenAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Accounts").WithName("RevokeFieldToken")
            .WithSummary("Revoke a personal token; it stops working at once on this node.");
        return api;
    }

    public static async Task<Results<Created<ConvertedIncident>, Ok<ConvertedIncident>, ProblemHttpResult>> ConvertAlertAsync(
        long id, ConvertToIncidentHandler handler, HttpContext http, CancellationToken ct) =>
        Answer(await handler.ConvertCameraAlertAsync(id, http.Actor(), ct), $"There is no camera alert {id} you may see.");

    public static async Task<Results<Created<ConvertedIncident>, Ok<ConvertedIncident>, ProblemHttpResult>> ConvertAlarmAsync(
        long id, ConvertToIncidentHandler handler, HttpContext http, CancellationToken ct) =>
        Answer(await handler.ConvertWaterAlarmAsync(id, http.Actor(), ct), $"There is no waterlogging alarm {id} you may see.");

    private static Results<Created<ConvertedIncident>, Ok<ConvertedIncident>, ProblemHttpResult> Answer(ConvertedIncident? converted, string notFound) =>
        converted is null ? NotFound(notFound)
        : converted.Existing ? TypedResults.Ok(converted)
        : TypedResults.Created($"/api/v1/incidents/{converted.IncidentId}", converted);

    public static async Task<Ok<IReadOnlyList<Department>>> ListDepartmentsAsync(DepartmentQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(false, ct));

    public static async Task<Created<Department>> AddDepartmentAsync(DepartmentBody body, AddDepartmentHandler handler, HttpContext http, CancellationToken ct)
    {
        var d = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/departments/{d.Id}", d);
    }

    public static async Task<Results<Ok<Department>, ProblemHttpResult>> EditDepartmentAsync(int id, DepartmentBody body, EditDepartmentHandler handler, HttpContext http, CancellationToken ct) =>
        await handler.HandleAsync(id, body, http.Actor(), ct) is { } d ? TypedResults.Ok(d) : NotFound($"There is no department {id}.");

    private static async Task<Results<Ok<Department>, ProblemHttpResult>> SetActiveAsync(int id, bool active, SetDepartmentActiveHandler handler, HttpContext http, CancellationToken ct) =>
        await handler.HandleAsync(id, active, http.Actor(), ct) is { } d ? TypedResults.Ok(d) : NotFound($"There is no department {id}.");

    public static async Task<Ok<IReadOnlyList<DeadlineSettingRow>>> ListDeadlinesAsync(DeadlineQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(ct));

    public static async Task<Ok<DeadlineSettingRow>> SetDeadlineAsync(DeadlineBody body, SetDeadlineHandler handler, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(body, http.Actor(), ct));

    public static async Task<NoContent> LinkUserAsync(int id, StaffLinkBody body, StaffAccountService accounts, HttpContext http, CancellationToken ct)
    {
        await accounts.LinkUserAsync(http.Actor(), id, body.StaffId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<FieldToken>>> ListTokensAsync(int staffId, StaffAccountService accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.TokensAsync(staffId, ct));

    public static async Task<Created<CreatedFieldToken>> CreateTokenAsync(int staffId, FieldTokenBody? body, StaffAccountService accounts, HttpContext http, CancellationToken ct)
    {
        var (token, secret) = await accounts.CreateTokenAsync(http.Actor(), staffId, body?.Name, ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/staff/{staffId}/tokens/{token.Id}", new CreatedFieldToken(token, secret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(int staffId, int id, StaffAccountService accounts, HttpContext http, CancellationToken ct) =>
        await accounts.RevokeTokenAsync(http.Actor(), staffId, id, ct) ? TypedResults.NoContent() : NotFound($"Staff member {staffId} has no active token {id}.");

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);
}
