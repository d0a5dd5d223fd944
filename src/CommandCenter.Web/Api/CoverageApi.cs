using CommandCenter.Domain.Model;
using CommandCenter.Data.Coverage;
using CommandCenter.Domain.Coverage;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

public static class CoverageApi
{
    public static RouteGroupBuilder MapCoverageApi(this RouteGroupBuilder api)
    {
        api.MapPost("/patrols", CheckInAsync)
            .RequireAuthorization(Policies.Scope(Scopes.PatrolsWrite))
            .WithTags("Ingestion").WithName("CheckInPatrol")
            .WithSummary("Record a grid member's patrol check-in.")
            .ProducesValidationProblem();
        api.MapPost("/visits", VisitAsync)
            .RequireAuthorization(Policies.Scope(Scopes.VisitsWrite))
            .WithTags("Ingestion").WithName("RecordVisit")
            .WithSummary("Record a household visit.")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Created<RecordStored>> CheckInAsync(CheckInPatrol body, CheckInPatrolHandler handler, HttpContext http, CancellationToken ct)
    {
        var accepted = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/patrols/{accepted.Id}", accepted);
    }

    public static async Task<Created<RecordStored>> VisitAsync(RecordVisit body, RecordVisitHandler handler, HttpContext http, CancellationToken ct)
    {
        var accepted = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/visits/{accepted.Id}", accepted);
    }
}
