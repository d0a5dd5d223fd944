using System.Text.Json;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// The documented way to run (<c>dotnet run --project src/CommandCenter.Web</c>, the first launch profile) is safe to
/// leave running: it listens on this machine only, at http://localhost:5080 (the README's address), and is not in
/// Development (no detailed errors to clients). Reads the source files of the app.
/// </summary>
public sealed class RunDefaultsTests
{
    private static readonly string WebProject = Path.Combine(RepositoryRoot(), "src", "CommandCenter.Web");

    [Fact]
    public void LaunchProfiles_ListenOnThisMachineOnly_AndTheDefaultOneIsNotDevelopment()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(WebProject, "Properties", "launchSettings.json")));
        var profiles = json.RootElement.GetProperty("profiles").EnumerateObject().ToList();

        Assert.NotEmpty(profiles);
        foreach (var profile in profiles)
        {
            foreach (var url in profile.Value.GetProperty("applicationUrl").GetString()!.Split(';'))
            {
                var host = new Uri(url.Replace("*", "wildcard", StringComparison.Ordinal).Replace("+", "wildcard", StringComparison.Ordinal)).Host;
                Assert.True(host is "localhost" or "127.0.0.1" or "[::1]", $"profile {profile.Name} listens on {url}: reachable from the network");
            }
        }

        var first = profiles[0].Value;
        Assert.Equal("http://localhost:5080", first.GetProperty("applicationUrl").GetString());
        var environment = first.TryGetProperty("environmentVariables", out var variables) && variables.TryGetProperty("ASPNETCORE_ENVIRONMENT", out var e) ? e.GetString() : null;
        Assert.True(environment is null or "Production", $"the default profile runs in {environment}: detailed errors reach clients");
    }

    [Fact]
    public void AppSettings_OutsideDevelopment_TurnNoDetailedErrorsOn()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(WebProject, "appsettings.json")));

        Assert.False(json.RootElement.TryGetProperty("DetailedErrors", out var detailed) && detailed.ValueKind == JsonValueKind.True);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommandCenter.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("CommandCenter.sln not found above " + AppContext.BaseDirectory);
    }
}
