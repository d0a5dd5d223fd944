using CommandCenter.Domain.Model;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// The log scan: no password, API key, device token, enrollment code or sign-in cookie in any log line that the apps
/// of this test run wrote (every Serilog event, rendered with all its properties and exception, via <see cref="TestLog"/>).
/// It runs last (<see cref="LogScanLastOrderer"/>) and scans what all the other tests caused; so that it also proves
/// something when it runs alone, it first causes every kind of security event itself on an app of its own.
/// </summary>
[Collection(LogScanCollection.Name)]
public sealed class LogScanTests
{
    [Fact]
    public async Task LogOutput_OfTheWholeTestRun_HoldsNoSecret()
    {
        await ProduceSecurityEventsAsync();
        var lines = TestLog.Snapshot();
        var text = string.Join('\n', lines);
        var secrets = TestSecrets.All;

        // A scan of nothing proves nothing: the apps' events must have arrived, security events among them.
        Assert.True(lines.Count >= 25 && text.Length >= 4_000,
            $"only {lines.Count} log events ({text.Length} characters) were collected: is the collector wired into the test apps?");
        foreach (var expected in new[] { "Sign-in succeeded for", "Sign-in failed for", "Sign-in refused for", "Rejected an unknown or revoked API key", "Refused a hub connection from origin", "Rate limit hit", "Forbidden:" })
        {
            Assert.True(text.Contains(expected, StringComparison.Ordinal), $"no log event mentions \"{expected}\": the scan did not see the security events");
        }

        Assert.True(secrets.Count >= 20, $"only {secrets.Count} secrets were registered");
        var leaks = (
            from secret in secrets
            from form in new[] { secret.Key, Uri.EscapeDataString(secret.Key) }.Distinct(StringComparer.Ordinal)
            from line in lines
            where line.Contains(form, StringComparison.Ordinal)
            select $"{secret.Value}: {line.Replace(form, "«" + secret.Value + "»", StringComparison.Ordinal).Trim()}").Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log line(s) hold a secret (shown masked):\n" + string.Join("\n", leaks.Take(20)));
    }

    /// <summary>Sign-ins that succeed, fail and are refused, an unknown key, a foreign hub origin, a rate limit, a 403.</summary>
    private static async Task ProduceSecurityEventsAsync()
    {
        await using var app = new ScanApp();
        var callers = await Callers.ForAsync(app); // every demo person signs in; keys and a device are made (secrets registered)
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        for (var i = 0; i < 5; i++)
        {
            await Callers.SignInAsync(client, "leader", TestSecrets.Register("a wrong password", "Wrong-guess-" + i + "-x"));
        }

        using var unknown = app.CreateApiClient(TestSecrets.Register("a made-up key", "made-up-key-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await unknown.GetAsync("/api/v1/snapshot")).StatusCode);

        using var hub = app.CreateApiClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await hub.SendAsync(negotiate)).StatusCode);

        var readOnly = await Callers.CreateKeyAsync(app.Services.GetRequiredService<CommandCenter.Data.Security.ApiKeyService>(), "scan: read only", [Scopes.LiveRead]);
        using var reader = app.CreateApiClient(readOnly);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden,
            (await reader.PostAsync("/api/v1/patrols", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        var limited = false;
        for (var i = 0; i < ScanApp.PerKey + 2 && !limited; i++)
        {
            limited = (await reader.GetAsync("/api/v1/snapshot")).StatusCode == System.Net.HttpStatusCode.TooManyRequests;
        }

        Assert.True(limited, "the per-key rate limit was not hit");
        GC.KeepAlive(callers);
    }

    /// <summary>The app with a low per-key limit, so that a few requests hit it.</summary>
    private sealed class ScanApp : CommandCenter.Web.Tests.Integration.CommandCenterFactory
    {
        public const int PerKey = 5;

        protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
            builder.UseSetting("Security:PerKeyPerMinute", PerKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
