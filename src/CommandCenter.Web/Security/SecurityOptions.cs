using CommandCenter.Data.Security;

namespace CommandCenter.Web.Security;

/// <summary>Configuration section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>How often an open page re-checks its user or device (disabled, role changed, revoked).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a person stays signed in without activity.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Requests per minute one API key may make.</summary>
    public int PerKeyPerMinute { get; set; } = 1200;

    /// <summary>Requests per minute from one client address to the API, the account endpoints and (without a valid credential) the hub.</summary>
    public int PerAddressPerMinute { get; set; } = 2400;

    /// <summary>Largest request body accepted, in bytes (the GeoJSON import allows 10 times this).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;

    /// <summary>Origins other than the app's own that browsers may open /hubs/live from.</summary>
    public List<string> AllowedHubOrigins { get; set; } = [];

    /// <summary>How password guessing (sign-in, change of password) is slowed down per client.</summary>
    public SignInThrottleOptions SignInThrottle { get; set; } = new();

    /// <summary>Reverse proxies whose X-Forwarded-For / -Proto / -Host headers are believed; none by default.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>An Admin created at start-up when none exists (outside the demo, the way to the first sign-in).</summary>
    public BootstrapAdmin? BootstrapAdmin { get; set; }

    /// <summary>API keys provisioned at start-up (hashed into the database if not there yet), e.g. from a secret store.</summary>
    public List<BootstrapApiKey> BootstrapApiKeys { get; set; } = [];
}

public sealed class BootstrapAdmin
{
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
}

public sealed class BootstrapApiKey
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public List<string> Scopes { get; set; } = [];
    public int? CommunityId { get; set; }
}

/// <summary>
/// <c>Security:ForwardedHeaders</c>: behind a reverse proxy that terminates HTTPS, the addresses the proxy connects from.
/// Only requests from these have their X-Forwarded-* headers applied (client address, https, host); with none set, the
/// headers are ignored.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped (each must be known).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
