using System.Net;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// Sign-in throttling per client, forwarded headers from known proxies only, the hub under a flood of made-up keys, and
/// what reaches the log — through the real app behind a (simulated) reverse proxy, each test from addresses of its own.
/// </summary>
[Collection(ProxiedAppCollection.Name)]
public sealed class ProxiedSecurityTests(ProxiedAppFactory app)
{
    private const string Wrong = "Not-The-Password-2026";

    private async Task<string> CreateUserAsync(string userName, bool active = true)
    {
        var password = TestSecrets.Register("password of " + userName, "Pass-2026-" + Guid.NewGuid().ToString("N")[..12]);
        var accounts = app.Services.GetRequiredService<AccountService>();
        var id = await accounts.CreateAsync(Callers.TestActor, userName, userName, Roles.Viewer, null, password);
        if (!active)
        {
            await accounts.UpdateAsync(Callers.TestActor, id, userName, Roles.Viewer, null, isActive: false);
        }

        return password;
    }

    // ---- Finding 5: throttled per client, never a lock anyone can put on an account ----

    [Fact]
    public async Task SignIn_RepeatedFailuresFromOneClient_ThatClientGets429WithRetryAfter_TheOwnerSignsInFromAnother()
    {
        var password = await CreateUserAsync("throttle.victim");
        using var attacker = app.BehindProxy("203.0.113.10");
        using var owner = app.BehindProxy("203.0.113.11");
        var failures = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var (failed, _) = await Callers.SignInAsync(attacker, "throttle.victim", Wrong);
            failures.Add(failed.Headers.Location?.OriginalString);
        }

        var (refused, refusedCookie) = await Callers.SignInAsync(attacker, "throttle.victim", password, "/audit");
        var (signedIn, cookie) = await Callers.SignInAsync(owner, "throttle.victim", password, "/audit");

        Assert.All(failures, l => Assert.Equal("/login?error=failed&returnUrl=%2F", l));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture),
            ProxiedAppFactory.ThrottleFirstDelaySeconds - 1, ProxiedAppFactory.ThrottleFirstDelaySeconds);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-cc=\"login-throttled\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/login?returnUrl=%2Faudit\"", page, StringComparison.Ordinal);
        Assert.Null(refusedCookie);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/audit", signedIn.Headers.Location!.OriginalString);
        Assert.NotNull(cookie);
    }

    [Fact]
    public async Task SignIn_WrongPasswordUnknownNameDisabledUser_OneAnswer_AndUnknownNamesAreThrottledToo()
    {
        await CreateUserAsync("one.answer");
        var disabledPassword = await CreateUserAsync("gone.person", active: false);
        using var a = app.BehindProxy("203.0.113.12");
        using var b = app.BehindProxy("203.0.113.13");
        using var c = app.BehindProxy("203.0.113.14");

        var answers = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 4; i++)
        {
            foreach (var (client, name, typed) in new[] { (a, "one.answer", Wrong), (b, "no.such.person", Wrong), (c, "gone.person", disabledPassword) })
            {
                var (response, _) = await Callers.SignInAsync(client, name, typed);
                answers.Add((response.StatusCode, response.Headers.Location?.OriginalString));
            }
        }

        var failed = (HttpStatusCode.Redirect, (string?)"/login?error=failed&returnUrl=%2F");
        Assert.Equal(Enumerable.Repeat(failed, 9), answers.Take(9));
        Assert.Equal(Enumerable.Repeat((HttpStatusCode.TooManyRequests, (string?)null), 3), answers.Skip(9));
    }

    // ---- Finding 8: behind an HTTPS proxy ----

    [Theory]
    [InlineData(ProxiedAppFactory.Proxy, "203.0.113.20")]
    [InlineData("10.1.2.3", "203.0.113.21")]
    public async Task Https_ThroughAKnownProxy_SecureCookiesHstsAndTheClientsAddressInTheLog(string proxy, string clientAddress)
    {
        var password = await CreateUserAsync("proxied." + clientAddress.Replace('.', '-'));
        using var client = app.ClientFrom(proxy, clientAddress, "https", "cc.example.org");
        var before = TestLog.Snapshot().Count;

        var login = await client.GetAsync("/login");
        var (response, cookie) = await Callers.SignInAsync(client, "proxied." + clientAddress.Replace('.', '-'), password);

        Assert.NotNull(cookie);
        Assert.Contains("secure", SetCookie(response, Schemes.UserCookieName), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Contains(NewLines(before), l => l.Contains("Sign-in succeeded for proxied.", StringComparison.Ordinal) && l.Contains("from " + clientAddress, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedHeaders_FromAPeerThatIsNoKnownProxy_AreIgnored()
    {
        var password = await CreateUserAsync("not.proxied");
        using var client = app.ClientFrom("198.51.100.7", "203.0.113.22", "https", "cc.example.org");
        var before = TestLog.Snapshot().Count;

        var (response, cookie) = await Callers.SignInAsync(client, "not.proxied", password);

        Assert.NotNull(cookie);
        Assert.DoesNotContain("secure", SetCookie(response, Schemes.UserCookieName), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(NewLines(before), l => l.Contains("Sign-in succeeded for not.proxied", StringComparison.Ordinal) && l.Contains("from 198.51.100.7", StringComparison.Ordinal));
        Assert.DoesNotContain(NewLines(before), l => l.Contains("203.0.113.22", StringComparison.Ordinal));
    }

    // ---- Finding 9: a flood of made-up keys at the hub ----

    [Fact]
    public async Task Hub_NegotiateWithMadeUpKeys_IsLimitedPerAddress_CachesNothing_AndLogsOneWarningOfEachKind()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var cachedBefore = CachedKeys(keys);
        using var client = app.BehindProxy("203.0.113.30");
        using var other = app.BehindProxy("203.0.113.31");
        var before = TestLog.Snapshot().Count;
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;

        for (var i = 0; i < 2 * ProxiedAppFactory.PerAddress; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
            request.Headers.Add(Schemes.ApiKeyHeader, "cck_made-up-" + Guid.NewGuid().ToString("N"));
            var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        var cachedAfter = CachedKeys(keys);
        using var fromElsewhere = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        fromElsewhere.Headers.Add(Schemes.ApiKeyHeader, Integration.CommandCenterFactory.ApiKey);
        var elsewhere = await other.SendAsync(fromElsewhere);
        Assert.True(elsewhere.StatusCode == HttpStatusCode.OK, $"{(int)elsewhere.StatusCode}: {await elsewhere.Content.ReadAsStringAsync()}");

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(cachedBefore, cachedAfter);
        var lines = NewLines(before).Where(l => l.Contains("203.0.113.30", StringComparison.Ordinal)).ToList();
        Assert.Single(lines, l => l.Contains("Rejected an unknown or revoked API key", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("Rate limit hit", StringComparison.Ordinal));
        Assert.True(lines.Count <= 6, $"{lines.Count} log lines for {statuses.Count} refusals:\n{string.Join("\n", lines)}");
    }

    // ---- Finding 10: what reaches the log ----

    [Fact]
    public async Task SignIn_ForgedHugeOrSecretUserNames_NeverReachTheLogAsTyped()
    {
        var secret = TestSecrets.Register("a password typed into the user-name box", "Typed-Into-The-Wrong-Box-2026");
        var forged = "nobody\n2026-01-01T00:00:00.0000000+00:00 [INF] CommandCenter.Data.Security.AccountService: Sign-in succeeded for admin (Admin) from 10.9.8.7";
        var huge = new string('Q', 500_000);
        var before = TestLog.Snapshot().Count;

        var i = 40;
        foreach (var name in new[] { forged, huge, secret })
        {
            using var client = app.BehindProxy($"203.0.113.{i++}");
            var (response, _) = await Callers.SignInAsync(client, name, Wrong);
            Assert.Equal("/login?error=failed&returnUrl=%2F", response.Headers.Location?.OriginalString);
        }

        var lines = NewLines(before);
        Assert.Equal(3, lines.Count(l => l.Contains("Sign-in failed for unknown user #", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Sign-in succeeded for admin", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(new string('Q', 200), StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Log_TextWithControlCharactersOrOverlong_IsWrittenEscapedAndCut()
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CommandCenter.Tests.Probe");
        var before = TestLog.Snapshot().Count;

        logger.LogWarning("Probe {Value} and {Long}", "first line\n[INF] forged second line\u001b[31m", "probe-" + new string('L', 100_000));

        var line = Assert.Single(NewLines(before), l => l.Contains("Probe first line", StringComparison.Ordinal));
        Assert.Contains("first line\\n[INF] forged second line\\u001B[31m", line, StringComparison.Ordinal);
        Assert.DoesNotContain("first line\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', line);
        Assert.True(line.Length < 5_000, $"a line of {line.Length} characters");
    }

    // ---- helpers ----

    private static List<string> NewLines(int before) => TestLog.Snapshot().Skip(before).ToList();

    private static string SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    /// <summary>The entries of the key cache (read by reflection: what it holds, whatever its shape).</summary>
    private static int CachedKeys(ApiKeyService keys) =>
        ((System.Collections.ICollection)typeof(ApiKeyService).GetField("_cache", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(keys)!).Count;
}
