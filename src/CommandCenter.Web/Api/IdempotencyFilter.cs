using System.Text;
using System.Text.Json;
using CommandCenter.Data.Field;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Web.Security;

namespace CommandCenter.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> on writes (issue 9): a retried request (same key, same caller, same method, path, If-Match
/// and body) answers the original status and body and does nothing again; the same key with a different request is
/// refused with 422. The record is written in the transaction of the action (<see cref="WriteEnlistment"/>), so it
/// exists exactly when the action happened; the answer is added right after. A request without the header is
/// handled as usual. Answers that wrote nothing (refusals, unknown ids) are not stored: a retry is checked again.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private static readonly string[] KeptHeaders = ["ETag", "Location"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (key.Length is 0 or > IdempotencyStore.MaxKeyLength || key.Any(ch => ch is < '!' or > '~'))
        {
            return Problem(400, "The Idempotency-Key header is not valid.", $"Send 1–{IdempotencyStore.MaxKeyLength} visible ASCII characters (a UUID is fine).");
        }

        var actor = http.Actor();
        var caller = actor.Kind + ":" + actor.Id;
        var hash = IdempotencyStore.Hash(http.Request.Method, http.Request.Path.Value ?? "", http.Request.Headers.IfMatch.ToString(), await ReadBodyAsync(http));
        var ct = http.RequestAborted;

        if (await store.FindAsync(caller, key, ct) is { } stored)
        {
            return Replay(stored, hash);
        }

        object? result;
        WriteEnlistment enlistment;
        using (store.Enlist(caller, key, hash, out enlistment))
        {
            try
            {
                result = await next(context);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // A concurrent twin of this request may have committed first (this one was refused, or its record insert collided).
                if (await FindQuietlyAsync(caller, key) is { } twin)
                {
                    return Replay(twin, hash);
                }

                throw;
            }
        }

        if (!enlistment.Ran || result is not IResult answer)
        {
            return result;
        }

        // The action committed with its record: keep the answer beside it, then send it.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await answer.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var headers = KeptHeaders.Where(h => http.Response.Headers.ContainsKey(h))
            .ToDictionary(h => h, h => http.Response.Headers[h].ToString(), StringComparer.Ordinal);
        if (http.Response.ContentType is { } type) headers["Content-Type"] = type;
        try
        {
            await store.CompleteAsync(caller, key, http.Response.StatusCode, Encoding.UTF8.GetString(buffer.ToArray()), JsonSerializer.Serialize(headers), CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            // The action is done; a retry then answers 409 "answer lost, read the resource" instead of doing it twice.
            logger.LogWarning(ex, "The answer to idempotency key {Key} of {Caller} could not be stored", key, caller);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
        return Results.Empty;
    }

    private async Task<StoredAnswer?> FindQuietlyAsync(string caller, string key)
    {
        try
        {
            return await store.FindAsync(caller, key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
            logger.LogWarning(ex, "Idempotency lookup failed after an error");
            return null;
        }
    }

    private static IResult Replay(StoredAnswer stored, string hash)
    {
        if (!string.Equals(stored.RequestHash, hash, StringComparison.Ordinal))
        {
            return Problem(422, "The Idempotency-Key was used for a different request.",
                "A retry must repeat the first request exactly (method, path, If-Match and body); use a new key for a new request.");
        }

        if (stored.StatusCode is not { } status || stored.Body is null)
        {
            return Problem(409, "The first request with this Idempotency-Key was done, but its answer is not stored yet.",
                "It may still be running, or its answer was lost: read the resource to see its state.");
        }

        return new StoredResult(status, stored.Body,
            stored.Headers is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Headers) ?? []);
    }

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [Header] = [title] } });

    /// <summary>The request body, read from a buffered stream and rewound for the endpoint (which may read it after this filter).</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        var body = http.Request.Body;
        body.Position = 0;
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, http.RequestAborted);
        body.Position = 0;
        return copy.ToArray();
    }

    private sealed class StoredResult(int status, string body, Dictionary<string, string> headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                if (name == "Content-Type") httpContext.Response.ContentType = value;
                else httpContext.Response.Headers[name] = value;
            }

            httpContext.Response.Headers[ReplayedHeader] = "true";
            await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}

public static class IdempotencyFilterExtensions
{
    /// <summary>Honours <c>Idempotency-Key</c> on this endpoint (see <see cref="IdempotencyFilter"/>).</summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) => builder.AddEndpointFilter<IdempotencyFilter>();
}
