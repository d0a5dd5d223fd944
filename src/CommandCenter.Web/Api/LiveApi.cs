using CommandCenter.Domain.Live;
using CommandCenter.Web.Live;
using CommandCenter.Web.Security;
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
            .WithSummary("Board version, open wall-screen circuits and memory; gc=true forces a full collection first.");
        return api;
    }

    /// <summary>JSON serialised once per board version and scope (<see cref="SnapshotJson"/>).</summary>
    public static FileContentHttpResult GetSnapshot(SnapshotJson snapshots, HttpContext http) =>
        TypedResults.Bytes(snapshots.Get(http.User.CommunityId()), "application/json");

    public static Ok<Diagnostics> GetDiagnostics(bool? gc, ILiveBoard board, CircuitCounter circuits)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return TypedResults.Ok(new Diagnostics(
            board.Version, circuits.Open, circuits.Connected,
            GC.GetTotalMemory(forceFullCollection: gc == true), process.WorkingSet64,
            (long)(DateTime.Now - process.StartTime).TotalSeconds));
    }

    public sealed record Diagnostics(
        long BoardVersion, int CircuitsOpen, int CircuitsConnected, long ManagedBytes, long WorkingSetBytes, long UptimeSeconds);
}
