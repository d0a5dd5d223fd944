using CommandCenter.Data.Devices;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// The device registry for integrators (docs/api.md, "Device registry"): cameras and waterlogging points — list, read,
/// register, edit, retire, CSV import — and a point's reading history. Changing needs Admin or a key with devices:write;
/// reading, any signed-in person or such a key. An unknown code is 404.
/// </summary>
public static class DevicesApi
{
    public sealed record ReadingSeries(string Code, string Resolution, DateTimeOffset From, DateTimeOffset To, bool Truncated, IReadOnlyList<ReadingPoint> Points);

    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder api)
    {
        var cameras = api.MapGroup("/cameras").WithTags("Device registry");
        cameras.MapGet("", ListCamerasAsync).RequireAuthorization(Policies.DevicesRead).WithName("ListCameras")
            .WithSummary("Registered cameras (retired ones with includeRetired=true).");
        cameras.MapGet("/{code}", GetCameraAsync).RequireAuthorization(Policies.DevicesRead).WithName("GetCamera").ProducesProblem(404);
        cameras.MapPost("", RegisterCameraAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("RegisterCamera")
            .WithSummary("Register a camera.").ProducesValidationProblem().ProducesProblem(409);
        cameras.MapPut("/{code}", EditCameraAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("EditCamera")
            .WithSummary("Edit a camera (the code never changes).").ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        cameras.MapPost("/{code}/retire", RetireCameraAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("RetireCamera")
            .WithSummary("Retire a camera: off the wall, its events refused.").ProducesProblem(404).ProducesProblem(409);
        cameras.MapPost("/import", ImportCamerasAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("ImportCameras")
            .WithSummary("Register cameras from CSV (UTF-8); answers a per-row report.").ProducesValidationProblem();

        var points = api.MapGroup("/water-points").WithTags("Device registry");
        points.MapGet("", ListWaterPointsAsync).RequireAuthorization(Policies.DevicesRead).WithName("ListWaterPoints")
            .WithSummary("Registered waterlogging points (retired ones with includeRetired=true).");
        points.MapGet("/{code}", GetWaterPointAsync).RequireAuthorization(Policies.DevicesRead).WithName("GetWaterPoint").ProducesProblem(404);
        points.MapPost("", RegisterWaterPointAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("RegisterWaterPoint")
            .WithSummary("Register a waterlogging point with its level settings.").ProducesValidationProblem().ProducesProblem(409);
        points.MapPut("/{code}", EditWaterPointAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("EditWaterPoint")
            .WithSummary("Edit a waterlogging point (the code never changes).").ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        points.MapPost("/{code}/retire", RetireWaterPointAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("RetireWaterPoint")
            .WithSummary("Retire a waterlogging point: off the wall, its readings refused.").ProducesProblem(404).ProducesProblem(409);
        points.MapPost("/import", ImportWaterPointsAsync).RequireAuthorization(Policies.DevicesAdmin).WithName("ImportWaterPoints")
            .WithSummary("Register waterlogging points from CSV (UTF-8); answers a per-row report.").ProducesValidationProblem();
        points.MapGet("/{code}/readings", ReadingsAsync).RequireAuthorization(Policies.DevicesRead).WithName("WaterPointReadings")
            .WithSummary("A point's readings: raw, or rolled up per minute or hour (min/max/avg/last/count).").ProducesValidationProblem().ProducesProblem(404);
        points.MapGet("/{code}/alarms", AlarmsAsync).RequireAuthorization(Policies.DevicesRead).WithName("WaterPointAlarms")
            .WithSummary("A point's waterlogging alarms, newest first, with acknowledgements.").ProducesProblem(404);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<CameraDetails>>> ListCamerasAsync(DeviceQueries queries, HttpContext http, CancellationToken ct, bool includeRetired = false) =>
        TypedResults.Ok(await queries.CamerasAsync(http.Actor(), includeRetired, ct));

    public static Task<Results<Ok<CameraDetails>, ProblemHttpResult>> GetCameraAsync(string code, DeviceQueries queries, HttpContext http, CancellationToken ct) =>
        Found(() => queries.CameraAsync(code, http.Actor(), ct));

    public static async Task<Created<CameraDetails>> RegisterCameraAsync(CameraInput body, RegisterCameraHandler handler, HttpContext http, CancellationToken ct)
    {
        var created = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/cameras/{Uri.EscapeDataString(created.Code)}", created);
    }

    public static Task<Results<Ok<CameraDetails>, ProblemHttpResult>> EditCameraAsync(string code, CameraInput body, EditCameraHandler handler, HttpContext http, CancellationToken ct) =>
        Found(() => handler.HandleAsync(code, body, http.Actor(), ct));

    public static Task<Results<Ok<CameraDetails>, ProblemHttpResult>> RetireCameraAsync(string code, RetireCameraHandler handler, HttpContext http, CancellationToken ct) =>
        Found(() => handler.HandleAsync(code, http.Actor(), ct));

    public static async Task<Ok<DeviceImportReport>> ImportCamerasAsync(HttpRequest request, DeviceCsvImporter importer, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await importer.ImportCamerasAsync(await CsvBodyAsync(request, ct), http.Actor(), ct));

    public static async Task<Ok<IReadOnlyList<WaterPointDetails>>> ListWaterPointsAsync(DeviceQueries queries, HttpContext http, CancellationToken ct, bool includeRetired = false) =>
        TypedResults.Ok(await queries.WaterPointsAsync(http.Actor(), includeRetired, ct));

    public static Task<Results<Ok<WaterPointDetails>, ProblemHttpResult>> GetWaterPointAsync(string code, DeviceQueries queries, HttpContext http, CancellationToken ct) =>
        Found(() => queries.WaterPointAsync(code, http.Actor(), ct));

    public static async Task<Created<WaterPointDetails>> RegisterWaterPointAsync(WaterPointInput body, RegisterWaterPointHandler handler, HttpContext http, CancellationToken ct)
    {
        var created = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/water-points/{Uri.EscapeDataString(created.Code)}", created);
    }

    public static Task<Results<Ok<WaterPointDetails>, ProblemHttpResult>> EditWaterPointAsync(string code, WaterPointInput body, EditWaterPointHandler handler, HttpContext http, CancellationToken ct) =>
        Found(() => handler.HandleAsync(code, body, http.Actor(), ct));

    public static Task<Results<Ok<WaterPointDetails>, ProblemHttpResult>> RetireWaterPointAsync(string code, RetireWaterPointHandler handler, HttpContext http, CancellationToken ct) =>
        Found(() => handler.HandleAsync(code, http.Actor(), ct));

    public static async Task<Ok<DeviceImportReport>> ImportWaterPointsAsync(HttpRequest request, DeviceCsvImporter importer, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await importer.ImportWaterPointsAsync(await CsvBodyAsync(request, ct), http.Actor(), ct));

    public static Task<Results<Ok<ReadingSeries>, ProblemHttpResult>> ReadingsAsync(string code, DeviceQueries queries, BoardClock clock, HttpContext http,
        CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, string? resolution = null)
    {
        var range = ReadingHistoryRange.Validate(from, to, resolution, clock.Now);
        return Found(async () =>
        {
            var rows = await queries.ReadingsAsync(code, range, http.Actor(), ct);
            return new ReadingSeries(code, range.Resolution.ToString().ToLowerInvariant(), range.From, range.To, rows.Count >= ReadingHistoryRange.MaxRows, rows);
        });
    }

    public static Task<Results<Ok<IReadOnlyList<WaterAlarmRow>>, ProblemHttpResult>> AlarmsAsync(string code, DeviceQueries queries, HttpContext http, CancellationToken ct) =>
        Found(() => queries.AlarmsAsync(code, http.Actor(), ct));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Found<T>(Func<Task<T>> read)
    {
        try
        {
            return TypedResults.Ok(await read());
        }
        catch (DeviceNotFoundException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["code"] = [ex.Message] } });
        }
    }

    /// <summary>The CSV body as bytes (at most <see cref="DeviceCsvImporter.MaxBytes"/>); text/csv, text/plain or application/csv.</summary>
    private static async Task<byte[]> CsvBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("text/csv" or "text/plain" or "application/csv"))
        {
            throw new BadHttpRequestException("The body must be CSV: Content-Type text/csv (UTF-8).", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > DeviceCsvImporter.MaxBytes) throw InputValidationException.For("file", $"must be at most {DeviceCsvImporter.MaxBytes / (1024 * 1024)} MB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > DeviceCsvImporter.MaxBytes) throw InputValidationException.For("file", $"must be at most {DeviceCsvImporter.MaxBytes / (1024 * 1024)} MB.");
            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }
}
