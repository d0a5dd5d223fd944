using System.Text.Json;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using Microsoft.AspNetCore.Diagnostics;

namespace CommandCenter.Web.Api;

/// <summary>Turns client mistakes into 4xx ProblemDetails that say what is wrong; everything else is a 500 without details.</summary>
public static class ProblemDetailsMapping
{
    public static int StatusFor(Exception ex) => ex switch
    {
        InputValidationException => StatusCodes.Status400BadRequest,
        ConflictException c => c.Status,
        BadHttpRequestException b => b.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static void Customize(ProblemDetailsContext ctx)
    {
        var ex = ctx.Exception ?? ctx.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        switch (ex)
        {
            case InputValidationException v:
                ctx.ProblemDetails.Status = StatusCodes.Status400BadRequest;
                ctx.ProblemDetails.Title = "One or more fields are not valid.";
                ctx.ProblemDetails.Detail = string.Join(" ", v.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                ctx.ProblemDetails.Extensions["errors"] = v.Errors;
                break;
            case ConflictException conflict:
                ctx.ProblemDetails.Status = conflict.Status;
                ctx.ProblemDetails.Title = conflict.Status == StatusCodes.Status412PreconditionFailed
                    ? "The resource changed since the version the request names."
                    : "The request conflicts with what is stored.";
                ctx.ProblemDetails.Detail = string.Join(" ", conflict.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                ctx.ProblemDetails.Extensions["errors"] = conflict.Errors;
                foreach (var (key, value) in conflict.Extensions) ctx.ProblemDetails.Extensions[key] = value;
                break;
            case BadHttpRequestException { InnerException: JsonException je } b:
                var path = string.IsNullOrEmpty(je.Path) ? "$" : je.Path;
                ctx.ProblemDetails.Status = b.StatusCode;
                ctx.ProblemDetails.Title = "The JSON body is malformed.";
                ctx.ProblemDetails.Detail = $"Invalid JSON at '{path}': {FirstSentence(je.Message)}";
                ctx.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [path] = [FirstSentence(je.Message)] };
                break;
            case BadHttpRequestException b:
                ctx.ProblemDetails.Status = b.StatusCode;
                ctx.ProblemDetails.Title = b.StatusCode == 413 ? "The request body is too large." : "The request is not valid.";
                ctx.ProblemDetails.Detail = b.Message;
                break;
        }

        ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i < 0 ? message : message[..(i + 1)];
    }
}

/// <summary>
/// Client mistakes (invalid fields, malformed JSON, an external id reused for different content) are answered as 4xx ProblemDetails and logged as a
/// warning naming the fields — not as server errors with a stack trace.
/// </summary>
public sealed class ClientErrorExceptionHandler(IProblemDetailsService problems, ILogger<ClientErrorExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var status = ProblemDetailsMapping.StatusFor(exception);
        if (status >= 500)
        {
            return false;
        }

        var fields = exception switch
        {
            InputValidationException v => string.Join(", ", v.Errors.Keys),
            ConflictException c => c.Field,
            _ => exception.GetType().Name,
        };
        logger.LogWarning("Rejected {Method} {Path} from {Principal}: {Status} ({Fields})",
            httpContext.Request.Method, httpContext.Request.Path, httpContext.User.Identity?.Name ?? "anonymous", status, fields);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception });
    }
}
