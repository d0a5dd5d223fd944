using System.Security.Claims;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Ingestion;
using CommandCenter.Data.Live;
using CommandCenter.Data.Street;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Live;
using CommandCenter.Web.Security;

namespace CommandCenter.Web.Api;

/// <summary>The public HTTP API, version 1. Every endpoint is described in docs/api.md and names its policy.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapCommandCenterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/incidents", async (ReportIncident body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
            {
                var accepted = await ingestion.ReportIncidentAsync(body, Actor(http), ct);
                return accepted.Duplicate
                    ? Results.Ok(accepted)
                    : Results.Created($"/api/v1/incidents/{accepted.Id}", accepted);
            })
            .RequireAuthorization(Policies.Scope(Scopes.IncidentsWrite))
            .WithTags("Ingestion").WithName("ReportIncident")
            .WithSummary("Report an incident; it enters the closed loop at the Reported step.")
            .Produces<IncidentAccepted>(StatusCodes.Status201Created)
            .Produces<IncidentAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        api.MapGet("/incidents/{id:long}", async (long id, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
                await queries.GetAsync(id, http.User.CommunityId(), ct) is { } incident
                    ? Results.Ok(incident)
                    : Results.Problem(statusCode: 404, title: "Not found", detail: $"There is no incident {id} you may see."))
            .RequireAuthorization(Policies.IncidentsRead)
            .WithTags("Incidents").WithName("GetIncident")
            .WithSummary("One incident with its timeline (within the caller's community scope).")
            .Produces<IncidentDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/incidents/{id:long}/advance", async (long id, AdvanceBody? body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
            {
                var actor = Actor(http);
                var step = await ingestion.AdvanceIncidentAsync(new AdvanceIncident(id, actor.Name, body?.Note), actor, ct);
                return step is null
                    ? Results.Problem(statusCode: 404, title: "Not found", detail: $"There is no open incident {id} you may move.")
                    : Results.Ok(new { id, step = step.Value.ToString() });
            })
            .RequireAuthorization(Policies.Scope(Scopes.IncidentsWrite))
            .WithTags("Incidents").WithName("AdvanceIncident")
            .WithSummary("Move an incident one step along the closed loop (field app processing a dispatched case).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/readings", async (RecordReadings body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
                Results.Ok(await ingestion.RecordReadingsAsync(body, Actor(http), ct)))
            .RequireAuthorization(Policies.Scope(Scopes.ReadingsWrite))
            .WithTags("Ingestion").WithName("RecordReadings")
            .WithSummary("Record a batch of water-depth readings (all or nothing).")
            .Produces<ReadingsAccepted>()
            .ProducesValidationProblem();

        api.MapPost("/camera-alerts", async (RaiseCameraAlert body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
            {
                var accepted = await ingestion.RaiseCameraAlertAsync(body, Actor(http), ct);
                return accepted.Duplicate ? Results.Ok(accepted) : Results.Created($"/api/v1/camera-alerts/{accepted.Id}", accepted);
            })
            .RequireAuthorization(Policies.Scope(Scopes.AlertsWrite))
            .WithTags("Ingestion").WithName("RaiseCameraAlert")
            .WithSummary("Record a camera AI alert, or a camera going offline / online.")
            .Produces<AlertAccepted>(StatusCodes.Status201Created)
            .Produces<AlertAccepted>(StatusCodes.Status200OK)
            .ProducesValidationProblem();

        api.MapPost("/patrols", async (CheckInPatrol body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
            {
                var accepted = await ingestion.CheckInPatrolAsync(body, Actor(http), ct);
                return Results.Created($"/api/v1/patrols/{accepted.Id}", accepted);
            })
            .RequireAuthorization(Policies.Scope(Scopes.PatrolsWrite))
            .WithTags("Ingestion").WithName("CheckInPatrol")
            .WithSummary("Record a grid member's patrol check-in.")
            .Produces<Accepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        api.MapPost("/visits", async (RecordVisit body, IngestionService ingestion, HttpContext http, CancellationToken ct) =>
            {
                var accepted = await ingestion.RecordVisitAsync(body, Actor(http), ct);
                return Results.Created($"/api/v1/visits/{accepted.Id}", accepted);
            })
            .RequireAuthorization(Policies.Scope(Scopes.VisitsWrite))
            .WithTags("Ingestion").WithName("RecordVisit")
            .WithSummary("Record a household visit.")
            .Produces<Accepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        api.MapPost("/grids/boundaries", async (HttpRequest request, GridBoundaryImporter importer, LiveBoard board, BoardLoader loader,
                HttpContext http, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var text = await reader.ReadToEndAsync(ct);
                var result = await importer.ImportAsync(text, Actor(http), ct);
                board.Load(await loader.LoadAsync(ct: ct));
                return Results.Ok(result);
            })
            .RequireAuthorization(Policies.Scope(Scopes.GridsWrite))
            .WithTags("Ingestion").WithName("ImportGridBoundaries")
            .WithSummary("Replace grid boundary polygons from a GeoJSON FeatureCollection (all or nothing).")
            .Accepts<object>("application/geo+json", "application/json")
            .ProducesValidationProblem();

        api.MapGet("/snapshot", (SnapshotJson snapshots, HttpContext http) => Results.Bytes(snapshots.Get(http.User.CommunityId()), "application/json"))
            .RequireAuthorization(Policies.LiveRead)
            .WithTags("Live").WithName("GetSnapshot")
            .WithSummary("The whole live state (within the caller's community scope) with its monotonically increasing version.")
            .Produces<LiveSnapshot>();

        api.MapGet("/diagnostics", (bool? gc, ILiveBoard board, CircuitCounter circuits) =>
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
            .WithTags("Operations").WithName("GetDiagnostics")
            .WithSummary("Board version, open wall-screen circuits and memory; gc=true forces a full collection first.");

        return app;
    }

    private static Actor Actor(HttpContext http) => http.User.ToActor(http.Connection.RemoteIpAddress?.ToString());

    public sealed record AdvanceBody(string? Note);
}
