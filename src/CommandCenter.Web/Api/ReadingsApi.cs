using System.Globalization;
using CommandCenter.Domain.Model;
using CommandCenter.Data.Ingestion;
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
            .WithSummary("Record a batch of water-depth readings: an invalid reading refuses the batch; a repeated one is answered as a duplicate. " +
                "The answer comes after the commit; a full write queue is answered 503 with Retry-After.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Ok<ReadingsAccepted>, ProblemHttpResult>> RecordAsync(RecordReadings body, RecordReadingsHandler handler, HttpContext http, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await handler.HandleAsync(body with { Admission = WriteAdmission.Refuse }, http.Actor(), ct));
        }
        catch (OverloadedException ex)
        {
            // Overload: refuse now (nothing was written) rather than let the queue, and memory, grow.
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The ingestion queue is full.",
                detail: "Nothing of this batch was stored; send it again after the time in Retry-After.");
        }
    }
}
