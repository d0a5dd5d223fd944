using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Security;

public static class SecurityRegistration
{
    public static IServiceCollection AddCommandCenterSecurity(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SecurityOptions>(config.GetSection(SecurityOptions.SectionName));
        var options = config.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        if (options.RevalidationInterval <= TimeSpan.Zero)
        {
            throw new CommandCenter.Data.Infrastructure.SettingException(
                $"Setting 'Security:RevalidationInterval' is {options.RevalidationInterval}; use a positive interval such as 00:00:30.");
        }

        if (options.ForwardedHeaders.Enabled)
        {
            _ = ForwardedHeadersFor(options.ForwardedHeaders); // a wrong address stops start-up here, naming the setting
        }

        services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<TimeProvider>(), options.SignInThrottle));
        services.AddSingleton<LogSampler>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SecurityBootstrap>();
        services.AddSingleton<CredentialValidator>();
        services.AddSingleton<Live.LiveConnections>();
        services.AddSingleton<Live.LiveConnectionRevalidator>();
        services.AddHostedService(sp => sp.GetRequiredService<Live.LiveConnectionRevalidator>());

        services.AddAuthentication(Schemes.Smart)
            .AddPolicyScheme(Schemes.Smart, "CommandCenter", o => o.ForwardDefaultSelector = Schemes.Select)
            .AddCookie(Schemes.Cookie, o =>
            {
                o.Cookie.Name = Schemes.UserCookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = options.SignInLifetime;
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = c => Schemes.IsApi(c.Request)
                        ? Schemes.WriteProblemAsync(c.HttpContext, 401, "Authentication required", "Sign in, or send an API key in the X-Api-Key header.")
                        : Redirect(c),
                    OnRedirectToAccessDenied = c =>
                    {
                        c.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CommandCenter.Security")
                            .LogWarning("Forbidden: {User} may not open {Method} {Path}", c.HttpContext.User.Identity?.Name, c.Request.Method, c.Request.Path);
                        return Schemes.IsApi(c.Request)
                            ? Schemes.WriteProblemAsync(c.HttpContext, 403, "Forbidden", "Your role may not do this.")
                            : Redirect(c);
                    },
                    OnValidatePrincipal = ValidateUserAsync,
                    OnSigningIn = StartSessionAsync,
                    OnSigningOut = EndSessionAsync,
                };
            })
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(Schemes.Device, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Schemes.ApiKey, null);
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, FieldPageAuthorizationHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(c =>
                    c.Request.Path.StartsWithSegments("/api") && c.User.Kind() == Principals.KeyKind
                        ? RateLimitPartition.GetFixedWindowLimiter("key:" + c.User.Id(), _ => Window(options.PerKeyPerMinute))
                        : RateLimitPartition.GetNoLimiter("none")),
                PartitionedRateLimiter.Create<HttpContext, string>(c => IsLimitedPerAddress(c)
                    ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress.Key(c.Connection.RemoteIpAddress), _ => Window(options.PerAddressPerMinute))
                    : RateLimitPartition.GetNoLimiter("none")));
            o.OnRejected = async (ctx, ct) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                var remoteIp = ctx.HttpContext.Connection.RemoteIpAddress?.ToString();
                if (ctx.HttpContext.RequestServices.GetRequiredService<LogSampler>().ShouldLog("rate-limited requests", remoteIp))
                {
                    ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CommandCenter.Security")
                        .LogWarning("Rate limit hit by {Principal} from {RemoteIp} on {Path}", ctx.HttpContext.User.Identity?.Name, remoteIp, ctx.HttpContext.Request.Path);
                }

                await Schemes.WriteProblemAsync(ctx.HttpContext, 429, "Too many requests", "Slow down: the rate limit for this key or address is reached; see the Retry-After header.");
            };
        });
        return services;
    }

    /// <summary>
    /// The API, the account endpoints and the enrollment endpoint count every request per client address; the hub counts
    /// the requests that carry no valid credential (connected clients' own polls do not count).
    /// </summary>
    private static bool IsLimitedPerAddress(HttpContext c) =>
        c.Request.Path.StartsWithSegments("/api") || c.Request.Path.StartsWithSegments("/account") || c.Request.Path.StartsWithSegments("/device")
        || (c.Request.Path.StartsWithSegments("/hubs") && c.User.Identity?.IsAuthenticated != true);

    /// <summary>
    /// Behind a reverse proxy: the client address, scheme (https) and host from the X-Forwarded-* headers, believed only
    /// from the proxies and networks of <c>Security:ForwardedHeaders</c>; nothing when none is configured. Call first.
    /// </summary>
    public static WebApplication UseCommandCenterForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.ForwardedHeaders;
        if (settings.Enabled)
        {
            app.UseForwardedHeaders(ForwardedHeadersFor(settings));
        }

        return app;
    }

    /// <summary>The middleware's options for the settings; a setting that is not an address or a network stops start-up naming it.</summary>
    public static ForwardedHeadersOptions ForwardedHeadersFor(ForwardedHeadersSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var o = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = Math.Max(1, settings.ForwardLimit),
        };

        // Only what is configured: not even the loopback defaults.
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        for (var i = 0; i < settings.KnownProxies.Count; i++)
        {
            o.KnownProxies.Add(IPAddress.TryParse(settings.KnownProxies[i].Trim(), out var ip)
                ? ip
                : throw new SettingException($"Setting 'Security:ForwardedHeaders:KnownProxies:{i}' is '{settings.KnownProxies[i]}'; use an IP address such as 10.0.0.5."));
        }

        for (var i = 0; i < settings.KnownNetworks.Count; i++)
        {
            o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(settings.KnownNetworks[i].Trim(), out var network)
                ? network
                : throw new SettingException($"Setting 'Security:ForwardedHeaders:KnownNetworks:{i}' is '{settings.KnownNetworks[i]}'; use a network in CIDR notation such as 10.0.0.0/24."));
        }

        return o;
    }

    /// <summary>Security headers, body caps, the hub's Origin check; call after UseRouting-equivalents and before endpoints.</summary>
    public static WebApplication UseCommandCenterSecurity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var sampler = app.Services.GetRequiredService<LogSampler>();
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                                      "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";

            // Body cap: declared length checked here (also under the test server); Kestrel enforces it for chunked bodies.
            var limit = context.Request.Path.StartsWithSegments("/api/v1/grids/boundaries") ? options.MaxRequestBodyBytes * 10 : options.MaxRequestBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            if (context.Request.ContentLength > limit)
            {
                await Schemes.WriteProblemAsync(context, 413, "The request body is too large.", $"At most {limit} bytes are accepted here.");
                return;
            }

            if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Headers.Origin is { Count: > 0 } origin
                && !IsAllowedOrigin(context.Request, origin.ToString(), options.AllowedHubOrigins))
            {
                if (sampler.ShouldLog("refused hub origins", context.Connection.RemoteIpAddress?.ToString()))
                {
                    app.Logger.LogWarning("Refused a hub connection from origin {Origin} ({RemoteIp})", origin.ToString(), context.Connection.RemoteIpAddress);
                }

                await Schemes.WriteProblemAsync(context, 403, "Origin not allowed", "Browsers may open the live hub only from this site or a configured origin.");
                return;
            }

            await next(context);
        });
        return app;
    }

    public static bool IsAllowedOrigin(HttpRequest request, string origin, IEnumerable<string> allowed) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var o) &&
        (string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) ||
         allowed.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)));

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> c)
    {
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A disabled user, one whose role, scope or password changed, or one whose session ended (signed out) is signed
    /// out at their next request: one read of the session and its person per request.
    /// </summary>
    private static async Task ValidateUserAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal
            || !await context.HttpContext.RequestServices.GetRequiredService<CredentialValidator>().IsValidAsync(principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Schemes.Cookie);
        }
    }

    /// <summary>Every sign-in cookie of a person carries a new session id, recorded in the database (<see cref="SessionService"/>).</summary>
    private static async Task StartSessionAsync(CookieSigningInContext context)
    {
        if (context.Principal is { } principal && principal.Kind() == Principals.UserKind && principal.Id() is { } userId
            && principal.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            foreach (var old in identity.FindAll(Principals.SessionClaim).ToList())
            {
                identity.RemoveClaim(old);
            }

            var sessionId = await context.HttpContext.RequestServices.GetRequiredService<SessionService>().StartAsync(userId, context.HttpContext.RequestAborted);
            identity.AddClaim(new System.Security.Claims.Claim(Principals.SessionClaim, sessionId));
        }
    }

    /// <summary>Signing out ends the session of the cookie that came with the request, on the server: a copy of it is refused from now on.</summary>
    private static async Task EndSessionAsync(CookieSigningOutContext context)
    {
        var user = context.HttpContext.User;
        if (user.Kind() == Principals.UserKind && user.SessionId() is { } sessionId)
        {
            await context.HttpContext.RequestServices.GetRequiredService<SessionService>().EndAsync(sessionId, CancellationToken.None);
        }
    }
}

/// <summary>
/// Open pages (Blazor circuits) re-check their person or device every <see cref="SecurityOptions.RevalidationInterval"/>
/// on the injected clock with <see cref="CredentialValidator"/>: a revoked device (or one given a new enrollment code), a
/// disabled person, a changed role, scope or password, or a signed-out session turns the page's user anonymous, so the
/// page is left for the sign-in page (<c>RedirectToLogin</c>) and shows nothing more. A check that fails with an
/// error signs the page out as well.
/// </summary>
public sealed class RevalidatingAuthStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    private readonly CredentialValidator _credentials;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<RevalidatingAuthStateProvider> _logger;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _loop;
    private bool _disposed;

    public RevalidatingAuthStateProvider(CredentialValidator credentials, IOptions<SecurityOptions> options, TimeProvider time, ILogger<RevalidatingAuthStateProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _credentials = credentials;
        _interval = options.Value.RevalidationInterval;
        _time = time;
        _logger = logger;
        AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state)
    {
        CancellationTokenSource loop;
        lock (_gate)
        {
            if (_disposed) return;
            _loop?.Cancel(); // not disposed: the loop it belongs to may still be looking at its token
            _loop = loop = new CancellationTokenSource();
        }

        _ = RevalidateAsync(state, loop.Token);
    }

    private async Task RevalidateAsync(Task<AuthenticationState> state, CancellationToken ct)
    {
        try
        {
            var user = (await state).User;
            if (user.Identity?.IsAuthenticated != true) return;
            using var timer = new PeriodicTimer(_interval, _time);
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!await _credentials.IsValidAsync(user, ct))
                {
                    _logger.LogInformation("An open page of {Principal} was signed out: its credential is no longer valid", user.Identity?.Name);
                    SignOut();
                    return;
                }

                _logger.LogDebug("An open page of {Principal} was re-validated", user.Identity?.Name);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A new state replaced this one, or the circuit ended.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Re-validating an open page failed; signing it out");
            SignOut();
        }
    }

    private void SignOut() =>
        SetAuthenticationState(Task.FromResult(new AuthenticationState(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()))));

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _loop?.Cancel();
            _loop = null;
        }

        AuthenticationStateChanged -= OnAuthenticationStateChanged;
    }
}
