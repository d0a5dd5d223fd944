namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// The log scan: no password, API key, device token, enrollment code or sign-in cookie in any log line that the apps
/// of this test run wrote (every Serilog event, rendered with all its properties and exception, via <see cref="TestLog"/>).
/// It runs last (<see cref="LogScanLastOrderer"/>) and scans what all the other tests caused: run it with the whole
/// project — filtered down to this class alone it has nothing to scan and fails by design.
/// </summary>
[Collection(LogScanCollection.Name)]
public sealed class LogScanTests
{
    [Fact]
    public void LogOutput_OfTheWholeTestRun_HoldsNoSecret()
    {
        var lines = TestLog.Snapshot();
        var text = string.Join('\n', lines);
        var secrets = TestSecrets.All;

        // A scan of nothing proves nothing: the apps' events must have arrived, security events among them.
        Assert.True(lines.Count >= 100 && text.Length >= 20_000,
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
}
