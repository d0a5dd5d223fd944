using CommandCenter.Domain.Model;
using CommandCenter.Data.Cameras;
using CommandCenter.Domain.Cameras;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

public static class CamerasApi
{
    public static RouteGroupBuilder MapCamerasApi(this RouteGroupBuilder api)
    {
        api.MapPost("/camera-alerts", RaiseAsync)
            .RequireAuthorization(Policies.Scope(Scopes.AlertsWrite))
            .WithTags("Ingestion").WithName("RaiseCameraAlert")
            .WithSummary("Record a camera AI alert, or a camera going offline / online.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Created<AlertAccepted>, Ok<AlertAccepted>>> RaiseAsync(
        RaiseCameraAlert body, RaiseCameraAlertHandler handler, HttpContext http, CancellationToken ct)
    {
        var accepted = await handler.HandleAsync(body, http.Actor(), ct);
        return accepted.Duplicate || accepted.Folded
            ? TypedResults.Ok(accepted)
            : TypedResults.Created($"/api/v1/camera-alerts/{accepted.Id}", accepted);
    }
}
