using CommandCenter.Domain.Model;
using CommandCenter.Data.Live;
using CommandCenter.Data.Street;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

public static class GridsApi
{
    public static RouteGroupBuilder MapGridsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/grids/boundaries", ImportBoundariesAsync)
            .RequireAuthorization(Policies.Scope(Scopes.GridsWrite))
            .WithTags("Ingestion").WithName("ImportGridBoundaries")
            .WithSummary("Replace grid boundary polygons from a GeoJSON FeatureCollection (all or nothing).")
            .Accepts<object>("application/geo+json", "application/json")
            .ProducesValidationProblem();
        return api;
    }

    /// <summary>Imports, then re-syncs the board (events published meanwhile are replayed, not lost).</summary>
    public static async Task<Ok<GridImportResult>> ImportBoundariesAsync(
        HttpRequest request, GridBoundaryImporter importer, BoardSync sync, HttpContext http, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var result = await importer.ImportAsync(text, http.Actor(), ct);
        await sync.SyncAsync("grid import", ct);
        return TypedResults.Ok(result);
    }
}
