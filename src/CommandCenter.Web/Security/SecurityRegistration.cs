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
        if (options.ForwardedHeaders.Enabled)
        {
            _ = ForwardedHeadersFor(options.ForwardedHeaders); // a wrong address stops start-up here, naming the setting
        }

        services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<TimeProvider>(), options.SignInThrottle));
        services.AddSingleton<LogSampler>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<DeviceService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SecurityBootstrap>();

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
                };
            })
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(Schemes.Device, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Schemes.ApiKey, null);
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthorization(Policies.Add);
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

    /// <summary>A disabled user, or one whose role, scope or password changed, is signed out at their next request.</summary>
    private static async Task ValidateUserAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.Id();
        var stamp = context.Principal?.FindFirst(Principals.StampClaim)?.Value;
        var user = id is null ? null : await context.HttpContext.RequestServices.GetRequiredService<AccountService>().FindAsync(id.Value, context.HttpContext.RequestAborted);
        if (user is null || !user.IsActive || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Schemes.Cookie);
        }
    }
}

/// <summary>Open pages re-check their person or device every <see cref="SecurityOptions.RevalidationInterval"/>; a revoked device or a disabled user loses the page.</summary>
public sealed class RevalidatingAuthStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<SecurityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        var id = user.Id();
        if (id is null) return false;
        await using var scope = scopes.CreateAsyncScope();
        return user.Kind() switch
        {
            Principals.DeviceKind => await scope.ServiceProvider.GetRequiredService<DeviceService>().IsActiveAsync(id.Value, cancellationToken),
            Principals.UserKind => await scope.ServiceProvider.GetRequiredService<AccountService>().FindAsync(id.Value, cancellationToken) is { IsActive: true } u
                                   && u.SecurityStamp == user.FindFirst(Principals.StampClaim)?.Value,
            _ => false,
        };
    }
}
