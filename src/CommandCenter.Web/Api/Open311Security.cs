using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>
/// How Open311 clients get in: reads as the rest of the API (a person, or a key with <c>incidents:read</c> in the
/// <c>X-Api-Key</c> header); <c>POST requests</c> with a key that has <c>incidents:write</c>, in the header or in the
/// spec's <c>api_key</c> form field — never in the URL. Refusals and rate limits answer in the spec's error format.
/// </summary>
public static class Open311Security
{
    /// <summary>The authentication scheme that reads the spec's <c>api_key</c> form field of a POST.</summary>
    public const string FormKeyScheme = "cc-open311-form-key";

    /// <summary>Reporting through Open311: a key with incidents:write, from the X-Api-Key header or the api_key form field.</summary>
    public const string ReportPolicy = "open311-report";

    /// <summary>The rate limits of the rest of the API (per key, else per client address), counted for Open311 on their own.</summary>
    public const string RateLimitPolicy = "open311";

    public const string FormKeyField = "api_key";

    /// <summary>Registers the form-key scheme, the report policy, the Open311 answers to refusals, and the rate-limit policy.</summary>
    public static IServiceCollection AddOpen311(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, Open311FormKeyHandler>(FormKeyScheme, null);
        services.Configure<AuthorizationOptions>(o => o.AddPolicy(ReportPolicy, p => p
            .AddAuthenticationSchemes(Schemes.Smart, FormKeyScheme)
            .RequireAssertion(c => c.User.HasScope(Scopes.IncidentsWrite))));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, Open311AuthorizationResultHandler>();
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(RateLimitPolicy, new Open311RateLimitPolicy()));
        return services;
    }

    /// <summary>Whether the URL carries a key (<c>api_key</c>, <c>apikey</c> or <c>x-api-key</c>, any case): such a request is refused whoever sends it.</summary>
    public static bool HasKeyInUrl(HttpRequest request) =>
        request.Query.Keys.Any(k => k.Replace("-", "_", StringComparison.Ordinal).ToUpperInvariant() is "API_KEY" or "APIKEY" or "X_API_KEY");
}

/// <summary>The spec's <c>api_key</c> field of a form-encoded POST, checked like the X-Api-Key header (hashed keys, scopes, community).</summary>
public sealed class Open311FormKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys, LogSampler sampler)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HttpMethods.IsPost(Request.Method) || !Request.HasFormContentType)
        {
            return AuthenticateResult.NoResult();
        }

        string? presented;
        try
        {
            var form = await Request.ReadFormAsync(Context.RequestAborted);
            presented = form[Open311Security.FormKeyField] is { Count: 1 } v ? v[0] : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException or FormatException)
        {
            return AuthenticateResult.NoResult(); // the endpoint reads the form again and says what is wrong with it
        }

        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.ValidateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            if (sampler.ShouldLog("rejected API keys", Context.Connection.RemoteIpAddress?.ToString()))
            {
                Logger.LogWarning("Rejected an unknown or revoked API key (Open311 form) from {RemoteIp} for {Path}", Context.Connection.RemoteIpAddress, Request.Path);
            }

            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var principal = Principals.Create(Schemes.ApiKey, Principals.KeyKind, key.Id.ToString(CultureInfo.InvariantCulture),
            "key:" + key.Name, "ApiKey", key.CommunityId, key.Scopes);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Open311Security.FormKeyScheme));
    }
}

/// <summary>
/// Under <c>/open311</c>: a key in the URL is refused (400) before anything else, and refusals are answered in the
/// spec's error format (401, 403) instead of a sign-in redirect or ProblemDetails. Elsewhere the framework's default.
/// </summary>
public sealed class Open311AuthorizationResultHandler(ILogger<Open311AuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (!context.Request.Path.StartsWithSegments(Open311Api.Root))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (Open311Security.HasKeyInUrl(context.Request))
        {
            logger.LogWarning("Refused {Method} {Path} from {RemoteIp}: an API key in the URL", context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress);
            await Open311Api.WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                "api_key: a key in the URL is refused (URLs are logged and cached); send it in the X-Api-Key header or the api_key field of the form body.");
            return;
        }

        if (authorizeResult.Challenged)
        {
            await Open311Api.WriteErrorAsync(context, StatusCodes.Status401Unauthorized,
                "api_key: authentication required; send a valid API key in the X-Api-Key header (or, to POST a request, the api_key form field).");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            logger.LogWarning("Forbidden: {Principal} may not call {Method} {Path}", context.User.Identity?.Name, context.Request.Method, context.Request.Path);
            await Open311Api.WriteErrorAsync(context, StatusCodes.Status403Forbidden,
                HttpMethods.IsPost(context.Request.Method)
                    ? "api_key: reporting needs a key with the incidents:write scope."
                    : "api_key: reading needs a signed-in person or a key with the incidents:read scope.");
            return;
        }

        await next(context);
    }
}

/// <summary>The API's limits (Security:PerKeyPerMinute per key, Security:PerAddressPerMinute per client address), answered in the spec's format.</summary>
internal sealed class Open311RateLimitPolicy : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (ctx, ct) =>
    {
        if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
        {
            ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await Open311Api.WriteErrorAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests,
            "Too many requests: the rate limit for this key or address is reached; see the Retry-After header.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var o = httpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        return httpContext.User.Kind() == Principals.KeyKind
            ? RateLimitPartition.GetFixedWindowLimiter("open311-key:" + httpContext.User.Id(), _ => Window(o.PerKeyPerMinute))
            : RateLimitPartition.GetFixedWindowLimiter("open311-ip:" + ClientAddress.Key(httpContext.Connection.RemoteIpAddress), _ => Window(o.PerAddressPerMinute));
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
