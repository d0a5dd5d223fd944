using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;

namespace CommandCenter.Web.Api;

/// <summary>
/// The public HTTP API, version 1: one class per area (eShop's <c>OrdersApi</c> shape), each endpoint a named
/// handler returning <c>TypedResults</c>, so OpenAPI comes from the signatures. Every endpoint is described in
/// docs/api.md and names its policy.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapCommandCenterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapIncidentsApi();
        api.MapReadingsApi();
        api.MapCamerasApi();
        api.MapCoverageApi();
        api.MapGridsApi();
        api.MapLiveApi();
        api.MapJobsApi(); // /api/v1/jobs: the Quartz jobs (Admin)
        app.MapOpen311Api(); // /open311/v2: Open311 GeoReport v2 (Open311Api)
        api.MapDevicesApi();
        api.MapAlarmsApi();
        api.MapFieldApi().MapLoopFieldAdminApi();
        api.MapPointsApi();
        api.MapAssessmentsApi();
        api.MapReportsApi();
        api.MapAuditApi(); // /api/v1/audit.csv: the audit page as CSV (Leader/Admin)
        return app;
    }

    internal static Actor Actor(this HttpContext http) => http.User.ToActor(http.Connection.RemoteIpAddress?.ToString());
}
