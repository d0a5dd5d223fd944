using System.Globalization;
using System.Text.Encodings.Web;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Security;

public static class Schemes
{
    /// <summary>Picks one of the schemes below per request.</summary>
    public const string Smart = "cc";
    public const string Cookie = "cc-user";
    public const string Device = "cc-device";
    public const string ApiKey = "cc-apikey";

    public const string UserCookieName = "cc.auth";
    public const string DeviceCookieName = "cc.device";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>API and hub requests answer 401/403 with ProblemDetails instead of redirecting to the sign-in page.</summary>
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");

    public static string Select(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ApiKeyHeader)) return ApiKey;
        if (context.Request.Cookies.ContainsKey(UserCookieName)) return Cookie;
        if (context.Request.Cookies.ContainsKey(DeviceCookieName)) return Device;
        return IsApi(context.Request) ? ApiKey : Cookie;
    }

    public static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}

/// <summary>Systems: the <c>X-Api-Key</c> header (never a query string), checked against the hashed keys in the database.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys, LogSampler sampler)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Schemes.ApiKeyHeader, out var values) || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.ValidateAsync(values[0], Context.RequestAborted);
        if (key is null)
        {
            if (sampler.ShouldLog("rejected API keys", Context.Connection.RemoteIpAddress?.ToString()))
            {
                Logger.LogWarning("Rejected an unknown or revoked API key from {RemoteIp} for {Path}", Context.Connection.RemoteIpAddress, Request.Path);
            }

            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var principal = Principals.Create(Schemes.ApiKey, Principals.KeyKind, key.Id.ToString(CultureInfo.InvariantCulture),
            "key:" + key.Name, "ApiKey", key.CommunityId, key.Scopes);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Schemes.ApiKey));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Schemes.WriteProblemAsync(Context, 401, "Authentication required", $"Send a valid API key in the {Schemes.ApiKeyHeader} header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Logger.LogWarning("Forbidden: {Principal} may not call {Method} {Path}", Context.User.Identity?.Name, Request.Method, Request.Path);
        return Schemes.WriteProblemAsync(Context, 403, "Forbidden", "This key does not have the scope this endpoint needs.");
    }
}

/// <summary>Wall-screen devices: a long-lived HttpOnly cookie holding the device token, checked against its hash.</summary>
public sealed class DeviceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DeviceService devices, TimeProvider time, LogSampler sampler)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(400);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Cookies[Schemes.DeviceCookieName];
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();
        var device = await devices.ValidateAsync(token, Context.RequestAborted);
        if (device is null)
        {
            if (sampler.ShouldLog("rejected device tokens", Context.Connection.RemoteIpAddress?.ToString()))
            {
                Logger.LogWarning("Rejected a revoked or unknown device token from {RemoteIp}", Context.Connection.RemoteIpAddress);
            }

            Response.Cookies.Delete(Schemes.DeviceCookieName);
            return AuthenticateResult.Fail("The device is not (or no longer) registered.");
        }

        // Sliding: the credential never expires while the screen is in use.
        Response.Cookies.Append(Schemes.DeviceCookieName, token, CookieOptionsFor(Request, time));
        // The token's hash is the device's stamp: open pages and hub connections end when the device no longer holds it.
        var principal = Principals.Create(Schemes.Device, Principals.DeviceKind, device.Id.ToString(CultureInfo.InvariantCulture),
            "device:" + device.Name, Roles.Device, device.CommunityId, stamp: Secrets.Hash(token));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Schemes.Device));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Schemes.IsApi(Request))
        {
            return Schemes.WriteProblemAsync(Context, 401, "Authentication required", "This device is not registered.");
        }

        Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Logger.LogWarning("Forbidden: device {Principal} may not open {Path}", Context.User.Identity?.Name, Request.Path);
        if (Schemes.IsApi(Request))
        {
            return Schemes.WriteProblemAsync(Context, 403, "Forbidden", "A wall-screen device is read-only.");
        }

        Response.Redirect("/denied");
        return Task.CompletedTask;
    }

    public static CookieOptions CookieOptionsFor(HttpRequest request, TimeProvider time) => new()
    {
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = SameSiteMode.Lax,
        IsEssential = true,
        Expires = time.GetUtcNow() + CookieLifetime,
    };
}
