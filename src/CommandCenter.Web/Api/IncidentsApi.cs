using CommandCenter.Domain.Model;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

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
        api.MapGet("/incidents/{id:long}", GetAsync)
            .RequireAuthorization(Policies.IncidentsRead)
            .WithTags("Incidents").WithName("GetIncident")
            .WithSummary("One incident with its timeline (within the caller's community scope).");
        api.MapPost("/incidents/{id:long}/advance", AdvanceAsync)
            .RequireAuthorization(Policies.Scope(Scopes.IncidentsWrite))
            .WithTags("Incidents").WithName("AdvanceIncident")
            .WithSummary("Move an incident one step along the closed loop (field app processing a dispatched case).")
            .ProducesValidationProblem();
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

    public static async Task<Results<Ok<IncidentDetail>, ProblemHttpResult>> GetAsync(
        long id, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
        await queries.GetAsync(id, http.User.CommunityId(), ct) is { } incident
            ? TypedResults.Ok(incident)
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no incident {id} you may see.");

    public static async Task<Results<Ok<AdvanceResult>, ProblemHttpResult>> AdvanceAsync(
        long id, AdvanceBody? body, AdvanceIncidentHandler handler, HttpContext http, CancellationToken ct)
    {
        var actor = http.Actor();
        var step = await handler.HandleAsync(new AdvanceIncident(id, actor.Name, body?.Note), actor, ct);
        return step is null
            ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no open incident {id} you may move.")
            : TypedResults.Ok(new AdvanceResult(id, step.Value.ToString()));
    }

    public sealed record AdvanceBody(string? Note);

    public sealed record AdvanceResult(long Id, string Step);
}
