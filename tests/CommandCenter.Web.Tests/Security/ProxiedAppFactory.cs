using System.Net;
using CommandCenter.Web.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// The app behind a reverse proxy: <see cref="Proxy"/> and the network <see cref="ProxyNetwork"/> are its known proxies.
/// The test server has no TCP peer, so a request names the address it comes from in the <see cref="PeerHeader"/> header
/// (set before anything of the app runs); the client behind the proxy goes in X-Forwarded-For as usual. Every test
/// uses client addresses of its own, so the per-address throttles and limits of one test do not touch another.
/// An empty street (no demo) with a small per-address limit.
/// </summary>
public sealed class ProxiedAppFactory : CommandCenterFactory
{
    public const string PeerHeader = "X-Test-Peer";
    public const string Proxy = "10.0.0.1";
    public const string ProxyNetwork = "10.1.0.0/16";
    public const int PerAddress = 40;

    /// <summary>The sign-in throttle's first delay here: longer than any test run, so its 429s do not depend on machine speed.</summary>
    public const int ThrottleFirstDelaySeconds = 300;

    protected override void Configure(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Security:ForwardedHeaders:KnownProxies:0", Proxy);
        builder.UseSetting("Security:ForwardedHeaders:KnownNetworks:0", ProxyNetwork);
        builder.UseSetting("Security:PerAddressPerMinute", PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The throttle works on real time here: a first delay longer than any test run keeps its assertions independent of machine speed.
        builder.UseSetting("Security:SignInThrottle:FirstDelay", TimeSpan.FromSeconds(ThrottleFirstDelaySeconds).ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerAddressStartupFilter>());
    }

    /// <summary>A client that sends no cookies by itself and follows no redirects, connecting from <paramref name="peer"/>.</summary>
    public HttpClient ClientFrom(string peer, string? forwardedFor = null, string? forwardedProto = null, string? forwardedHost = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add(PeerHeader, peer);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        if (forwardedHost is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Host", forwardedHost);
        return client;
    }

    /// <summary>A browser behind the proxy at <paramref name="clientAddress"/> (plain HTTP unless told).</summary>
    public HttpClient BehindProxy(string clientAddress, string? proto = null, string? host = null) => ClientFrom(Proxy, clientAddress, proto, host);

    /// <summary>Gives each request the TCP peer address its <see cref="PeerHeader"/> names, as Kestrel would.</summary>
    private sealed class PeerAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer) && IPAddress.TryParse(peer.ToString(), out var ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(Name)]
public sealed class ProxiedAppCollection : ICollectionFixture<ProxiedAppFactory>
{
    public const string Name = "proxied app";
}
