using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>Configuration section <c>ApiKeys</c>: the keys of the integrations (field app, camera platform, sensor gateway, hotline).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "ApiKeys";

    public List<ApiKeyEntry> Keys { get; set; } = [];
}

public sealed class ApiKeyEntry
{
    /// <summary>Who holds the key, e.g. "camera-platform"; it names the caller in logs.</summary>
    public string Name { get; set; } = "";

    /// <summary>The secret; at least 16 characters outside the demo. Never logged.</summary>
    public string Key { get; set; } = "";
}

/// <summary>Authenticates systems by the <c>X-Api-Key</c> header (never a query string).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        foreach (var entry in keys.CurrentValue.Keys)
        {
            if (entry.Key.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(entry.Key))))
            {
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, entry.Name), new Claim("kind", "api-key")], SchemeName);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
            }
        }

        Logger.LogWarning("Rejected an API key from {RemoteIp} for {Path}", Context.Connection.RemoteIpAddress, Request.Path);
        return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            statusCode: 401,
            title: "Authentication required",
            detail: $"Send a valid API key in the {HeaderName} header.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "This key may not call this endpoint.").ExecuteAsync(Context);
    }
}

public static class Policies
{
    /// <summary>Systems that post data: an authenticated API key.</summary>
    public const string Ingest = "ingest";

    /// <summary>Clients that read the live state (snapshot, hub): an authenticated API key.</summary>
    public const string LiveRead = "live-read";

    /// <summary>The wall-screen pages: anonymous in the demo (WallScreen:AllowAnonymous), else authenticated.</summary>
    public const string WallScreen = "wall-screen";
}
