using CommandCenter.Domain.Model;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Readings;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

public static class ReadingsApi
{
    public static RouteGroupBuilder MapReadingsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/readings", RecordAsync)
            .RequireAuthorization(Policies.Scope(Scopes.ReadingsWrite))
            .WithTags("Ingestion").WithName("RecordReadings")
            .WithSummary("Record a batch of water-depth readings: an invalid reading refuses the batch; a repeated one is answered as a duplicate.")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Ok<ReadingsAccepted>> RecordAsync(RecordReadings body, RecordReadingsHandler handler, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(body, http.Actor(), ct));
}
