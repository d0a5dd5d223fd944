using CommandCenter.Data.Alarms;
using CommandCenter.Domain.Alarms;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// Camera alerts and waterlogging alarms as people handle them: lists (any signed-in person, cut to their community) and
/// the one-step actions (Operator or Admin, audited). Acting twice answers 200 with the same state; dismissing an alert
/// that was turned into an incident answers 409; an id the caller may not see answers 404.
/// </summary>
public static class AlarmsApi
{
    public static RouteGroupBuilder MapAlarmsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/camera-alerts", ListAlertsAsync)
            .RequireAuthorization(Policies.Person)
            .WithTags("Alarms").WithName("ListCameraAlerts")
            .WithSummary("Camera alerts, newest first: ?status=open|New|Acknowledged|Dismissed|Converted&kind=&camera=&limit=")
            .ProducesValidationProblem();
        api.MapPost("/camera-alerts/{id:long}/acknowledge", AcknowledgeAlertAsync)
            .RequireAuthorization(Policies.HandleAlarms)
            .WithTags("Alarms").WithName("AcknowledgeCameraAlert")
            .WithSummary("Acknowledge a camera alert (New → Acknowledged); records the time to acknowledge.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/camera-alerts/{id:long}/dismiss", DismissAlertAsync)
            .RequireAuthorization(Policies.HandleAlarms)
            .WithTags("Alarms").WithName("DismissCameraAlert")
            .WithSummary("Dismiss a camera alert as false (New or Acknowledged → Dismissed).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/water-alarms", ListWaterAlarmsAsync)
            .RequireAuthorization(Policies.Person)
            .WithTags("Alarms").WithName("ListWaterAlarms")
            .WithSummary("Waterlogging alarms, newest first: ?open=true (not cleared or not acknowledged)&point=&limit=")
            .ProducesValidationProblem();
        api.MapPost("/water-alarms/{id:long}/acknowledge", AcknowledgeWaterAlarmAsync)
            .RequireAuthorization(Policies.HandleAlarms)
            .WithTags("Alarms").WithName("AcknowledgeWaterAlarm")
            .WithSummary("Acknowledge a waterlogging alarm; records the time to acknowledge.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<CameraAlertView>>> ListAlertsAsync(
        string? status, string? kind, string? camera, int? limit, AlarmQueries queries, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await queries.CameraAlertsAsync(status, kind, camera, limit, http.User.CommunityId(), ct));

    public static async Task<Ok<IReadOnlyList<WaterAlarmView>>> ListWaterAlarmsAsync(
        bool? open, string? point, int? limit, AlarmQueries queries, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await queries.WaterAlarmsAsync(open ?? false, point, limit, http.User.CommunityId(), ct));

    public static Task<Results<Ok<CameraAlertView>, ProblemHttpResult>> AcknowledgeAlertAsync(
        long id, CameraAlertActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, AlertAction.Acknowledge, handler, http, ct);

    public static Task<Results<Ok<CameraAlertView>, ProblemHttpResult>> DismissAlertAsync(
        long id, CameraAlertActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, AlertAction.Dismiss, handler, http, ct);

    public static async Task<Results<Ok<WaterAlarmView>, ProblemHttpResult>> AcknowledgeWaterAlarmAsync(
        long id, AcknowledgeWaterAlarmHandler handler, HttpContext http, CancellationToken ct) =>
        await handler.HandleAsync(id, http.Actor(), ct) is { } alarm
            ? TypedResults.Ok(alarm)
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no waterlogging alarm {id} you may see.");

    private static async Task<Results<Ok<CameraAlertView>, ProblemHttpResult>> ActAsync(
        long id, AlertAction action, CameraAlertActionHandler handler, HttpContext http, CancellationToken ct) =>
        await handler.HandleAsync(id, action, http.Actor(), ct) is { } alert
            ? TypedResults.Ok(alert)
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no camera alert {id} you may see.");
}
