using CommandCenter.Data.Ingestion;
using CommandCenter.Data.Street;
using CommandCenter.Domain.Live;

namespace CommandCenter.Web.Api;

/// <summary>The public HTTP API, version 1. Every endpoint is described in docs/api.md.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapCommandCenterApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/v1").RequireAuthorization(Policies.Ingest).WithTags("Ingestion");

        ingest.MapPost("/incidents", async (ReportIncident body, IngestionService ingestion, CancellationToken ct) =>
            {
                var accepted = await ingestion.ReportIncidentAsync(body, ct);
                return accepted.Duplicate
                    ? Results.Ok(accepted)
                    : Results.Created($"/api/v1/incidents/{accepted.Id}", accepted);
            })
            .WithName("ReportIncident")
            .WithSummary("Report an incident; it enters the closed loop at the Reported step.")
            .Produces<IncidentAccepted>(StatusCodes.Status201Created)
            .Produces<IncidentAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        ingest.MapPost("/readings", async (RecordReadings body, IngestionService ingestion, CancellationToken ct) =>
                Results.Ok(await ingestion.RecordReadingsAsync(body, ct)))
            .WithName("RecordReadings")
            .WithSummary("Record a batch of water-depth readings (all or nothing).")
            .Produces<ReadingsAccepted>()
            .ProducesValidationProblem();

        ingest.MapPost("/camera-alerts", async (RaiseCameraAlert body, IngestionService ingestion, CancellationToken ct) =>
            {
                var accepted = await ingestion.RaiseCameraAlertAsync(body, ct);
                return accepted.Duplicate ? Results.Ok(accepted) : Results.Created($"/api/v1/camera-alerts/{accepted.Id}", accepted);
            })
            .WithName("RaiseCameraAlert")
            .WithSummary("Record a camera AI alert, or a camera going offline / online.")
            .Produces<AlertAccepted>(StatusCodes.Status201Created)
            .Produces<AlertAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        ingest.MapPost("/patrols", async (CheckInPatrol body, IngestionService ingestion, CancellationToken ct) =>
            {
                var accepted = await ingestion.CheckInPatrolAsync(body, ct);
                return Results.Created($"/api/v1/patrols/{accepted.Id}", accepted);
            })
            .WithName("CheckInPatrol")
            .WithSummary("Record a grid member's patrol check-in.")
            .Produces<Accepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        ingest.MapPost("/visits", async (RecordVisit body, IngestionService ingestion, CancellationToken ct) =>
            {
                var accepted = await ingestion.RecordVisitAsync(body, ct);
                return Results.Created($"/api/v1/visits/{accepted.Id}", accepted);
            })
            .WithName("RecordVisit")
            .WithSummary("Record a household visit.")
            .Produces<Accepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        ingest.MapPost("/grids/boundaries", async (HttpRequest request, GridBoundaryImporter importer, LiveBoard board,
                Data.Live.BoardLoader loader, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var text = await reader.ReadToEndAsync(ct);
                var result = await importer.ImportAsync(text, ct);
                board.Load(await loader.LoadAsync(ct: ct));
                return Results.Ok(result);
            })
            .WithName("ImportGridBoundaries")
            .WithSummary("Replace grid boundary polygons from a GeoJSON FeatureCollection (all or nothing).")
            .Accepts<object>("application/geo+json", "application/json")
            .ProducesValidationProblem();

        app.MapGet("/api/v1/snapshot", (ILiveBoard board) => Results.Ok(board.GetSnapshot()))
            .RequireAuthorization(Policies.LiveRead)
            .WithTags("Live")
            .WithName("GetSnapshot")
            .WithSummary("The whole live state with its monotonically increasing version.")
            .Produces<LiveSnapshot>();

        app.MapGet("/api/v1/diagnostics", (bool? gc, ILiveBoard board, Live.CircuitCounter circuits) =>
            {
                var process = System.Diagnostics.Process.GetCurrentProcess();
                return Results.Ok(new
                {
                    boardVersion = board.Version,
                    circuitsOpen = circuits.Open,
                    circuitsConnected = circuits.Connected,
                    managedBytes = GC.GetTotalMemory(forceFullCollection: gc == true),
                    workingSetBytes = process.WorkingSet64,
                    uptimeSeconds = (long)(DateTime.Now - process.StartTime).TotalSeconds,
                });
            })
            .RequireAuthorization(Policies.LiveRead)
            .WithTags("Operations")
            .WithName("GetDiagnostics")
            .WithSummary("Board version, open wall-screen circuits and memory; gc=true forces a full collection first.");

        return app;
    }
}
