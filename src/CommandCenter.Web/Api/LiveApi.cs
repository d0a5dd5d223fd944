using CommandCenter.Domain.Live;
using CommandCenter.Web.Live;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

public static class LiveApi
{
    public static RouteGroupBuilder MapLiveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/snapshot", GetSnapshot)
            .RequireAuthorization(Policies.LiveRead)
            .WithTags("Live").WithName("GetSnapshot")
            .WithSummary("The whole live state (within the caller's community scope) with its monotonically increasing version.")
            .Produces<LiveSnapshot>();
        api.MapGet("/diagnostics", GetDiagnostics)
            .RequireAuthorization(Policies.LiveRead)
            .WithTags("Operations").WithName("GetDiagnostics")
            .WithSummary("Board version, open wall-screen circuits and memory; gc=true (Admin only) forces a full collection first.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>JSON serialised once per board version and scope (<see cref="SnapshotJson"/>).</summary>
    public static FileContentHttpResult GetSnapshot(SnapshotJson snapshots, HttpContext http) =>
        TypedResults.Bytes(snapshots.Get(http.User.CommunityId()), "application/json");

    /// <summary>
    /// Plain diagnostics for every caller of <see cref="Policies.LiveRead"/>; <c>gc=true</c> (a full blocking collection, for
    /// benchmarks) only for an Admin, since any caller could otherwise stall the node at will.
    /// </summary>
    public static async Task<Results<Ok<Diagnostics>, ProblemHttpResult>> GetDiagnostics(
        bool? gc, ILiveBoard board, CircuitCounter circuits, HttpContext http, IAuthorizationService authorization, ILoggerFactory loggers)
    {
        if (gc == true && !(await authorization.AuthorizeAsync(http.User, Policies.Administer)).Succeeded)
        {
            loggers.CreateLogger("CommandCenter.Security").LogWarning("Forbidden: {Principal} may not force a garbage collection", http.User.Identity?.Name);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only an Admin may force a garbage collection (gc=true); leave it out for the plain diagnostics.");
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return TypedResults.Ok(new Diagnostics(
            board.Version, circuits.Open, circuits.Connected,
            GC.GetTotalMemory(forceFullCollection: gc == true), process.WorkingSet64,
            (long)(DateTime.Now - process.StartTime).TotalSeconds));
    }

    public sealed record Diagnostics(
        long BoardVersion, int CircuitsOpen, int CircuitsConnected, long ManagedBytes, long WorkingSetBytes, long UptimeSeconds);
}
