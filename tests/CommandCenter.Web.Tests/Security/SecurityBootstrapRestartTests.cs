using System.Net;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Demo;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// Start-up security provisioning on a database that admins changed since the last start: every start must succeed
/// and keep what the admins decided (a revoked provisioned key stays revoked, a demoted bootstrap Admin stays demoted,
/// a demo account that cannot be created is skipped), with a warning where configuration disagrees.
/// </summary>
public sealed class SecurityBootstrapRestartTests : IAsyncLifetime
{
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin", null, "10.0.0.1");
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-bootstrap-restart").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
    private DbConnectionFactory _db = null!;

    public async Task InitializeAsync()
    {
        _db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "cc.db")}" });
        await new MigrationRunner(_db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private AccountService Accounts => new(_db, _time, NullLogger<AccountService>.Instance);

    private ApiKeyService Keys => new(_db, _time, NullLogger<ApiKeyService>.Instance);

    /// <summary>One start: new services over the same database, as a restarted process has.</summary>
    private Task StartAsync(bool demo, SecurityOptions options, ILogger<SecurityBootstrap>? log = null) =>
        new SecurityBootstrap(Accounts, Keys, Microsoft.Extensions.Options.Options.Create(options),
                Microsoft.Extensions.Options.Options.Create(new DemoOptions { Enabled = demo }), log ?? NullLogger<SecurityBootstrap>.Instance)
            .RunAsync(CancellationToken.None);

    [Fact]
    public async Task Restart_ProvisionedKeyRevokedOnTheAdminPage_StartsAndTheKeyStaysRevoked()
    {
        var key = TestSecrets.Register("provisioned key revoked later", "provisioned-then-revoked-0123456789");
        var options = new SecurityOptions { BootstrapApiKeys = [new BootstrapApiKey { Name = "camera-platform", Key = key, Scopes = [Scopes.AlertsWrite] }] };
        await StartAsync(demo: false, options);
        var stored = (await Keys.ListAsync()).Single();
        Assert.True(await Keys.RevokeAsync(Admin, stored.Id));
        var log = new RecordingLogger<SecurityBootstrap>();

        await StartAsync(demo: false, options, log);
        await StartAsync(demo: false, options);

        var after = Assert.Single(await Keys.ListAsync());
        Assert.True(after.IsRevoked);
        Assert.Null(await Keys.ValidateAsync(key));
        var warning = Assert.Single(log.Messages, m => m.Level == LogLevel.Warning && m.Text.StartsWith("Configuration still lists", StringComparison.Ordinal));
        Assert.Contains("camera-platform", warning.Text, StringComparison.Ordinal);
        Assert.Contains("revoked", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Security:BootstrapApiKeys:0", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_BootstrapAdminDemotedAndNoAdminLeft_StartsAndChangesNobody()
    {
        var options = new SecurityOptions { BootstrapAdmin = new BootstrapAdmin { UserName = "first.admin", Password = TestSecrets.Register("bootstrap admin password", "First-Admin-Strong-77") } };
        await StartAsync(demo: false, options);
        var admin = (await Accounts.ListAsync()).Single();
        await Accounts.UpdateAsync(Admin, admin.Id, admin.DisplayName, Roles.Viewer, null, isActive: true);
        var log = new RecordingLogger<SecurityBootstrap>();

        await StartAsync(demo: false, options, log);

        var user = Assert.Single(await Accounts.ListAsync());
        Assert.Equal(Roles.Viewer, user.Role);
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("first.admin", StringComparison.Ordinal) && m.Text.Contains("Viewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_DemoOnWithoutTheDemoCommunity_CreatesTheOtherDemoAccountsAndRestartsCleanly()
    {
        // The database holds no street (e.g. it ran with the demo off before): the community-scoped demo operator cannot exist.
        var log = new RecordingLogger<SecurityBootstrap>();

        await StartAsync(demo: true, new SecurityOptions(), log);
        await StartAsync(demo: true, new SecurityOptions());

        var users = (await Accounts.ListAsync()).Select(u => u.UserName).Order().ToList();
        Assert.Equal(DemoAccounts.Users.Where(u => u.CommunityId is null).Select(u => u.UserName).Order(), users);
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("guangming.operator", StringComparison.Ordinal));
        Assert.NotNull(await Keys.ValidateAsync(DemoAccounts.ApiKey));
    }

    [Fact]
    public async Task Restart_DemoKeyRevokedAndDemoAdminDisabled_StartsAndKeepsBoth()
    {
        await using (var c = await _db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO Street (Id, Code, Name, NameZh) VALUES (1, '370402003', 'S', 'S'); INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (1, 1, 'C1', 'Guangming', '光明')");
        }

        await StartAsync(demo: true, new SecurityOptions());
        var demoKey = (await Keys.ListAsync()).Single();
        Assert.True(await Keys.RevokeAsync(Admin, demoKey.Id));
        var admin = (await Accounts.ListAsync()).Single(u => u.UserName == "admin");
        await Accounts.UpdateAsync(Admin, admin.Id, admin.DisplayName, Roles.Admin, null, isActive: false);

        await StartAsync(demo: true, new SecurityOptions());

        Assert.True(Assert.Single(await Keys.ListAsync()).IsRevoked);
        Assert.Equal(DemoAccounts.Users.Count, (await Accounts.ListAsync()).Count);
        Assert.False((await Accounts.ListAsync()).Single(u => u.UserName == "admin").IsActive);
    }

    [Fact]
    public async Task Start_ProvisionedKeyWithAnUnknownScope_StopsNamingTheSetting()
    {
        var options = new SecurityOptions
        {
            BootstrapApiKeys =
            [
                new BootstrapApiKey { Name = "ok", Key = TestSecrets.Register("first provisioned key", "first-provisioned-key-0123456789") },
                new BootstrapApiKey { Name = "typo", Key = TestSecrets.Register("second provisioned key", "second-provisioned-key-0123456789"), Scopes = ["incidents:wirte"] },
            ],
        };

        var ex = await Assert.ThrowsAsync<SettingException>(() => StartAsync(demo: false, options));

        Assert.Contains("Security:BootstrapApiKeys:1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("incidents:wirte", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The reported failure, end to end: the app started twice on one database, a provisioned key revoked on the admin page in between.</summary>
public sealed class ProvisionedKeyRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-restart-key").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Log files may still be flushing; the temp folder is the OS's to clean.
        }
    }

    [Fact]
    public async Task App_RestartedAfterItsProvisionedKeyWasRevoked_StartsAndRefusesTheKey()
    {
        await using (var first = new SameDatabaseApp(_folder))
        {
            using var client = first.CreateApiClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/snapshot")).StatusCode);
            var keys = first.Services.GetRequiredService<ApiKeyService>();
            var id = (await keys.ListAsync()).Single(k => k.Name == "tests").Id;
            Assert.True(await keys.RevokeAsync(Callers.TestActor, id));
        }

        await using var second = new SameDatabaseApp(_folder);
        using var again = second.CreateApiClient();

        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/v1/snapshot")).StatusCode);
        Assert.True(Assert.Single(await second.Services.GetRequiredService<ApiKeyService>().ListAsync(), k => k.Name == "tests").IsRevoked);
    }

    /// <summary>The test app (bootstrap key "tests" in configuration, no demo street) on a database folder that outlives it.</summary>
    private sealed class SameDatabaseApp(string folder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(folder, "cc.db")}");
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("CommandCenter:LogDirectory", Path.Combine(folder, "logs"));
            builder.UseSetting("Security:BootstrapApiKeys:0:Name", "tests");
            builder.UseSetting("Security:BootstrapApiKeys:0:Key", CommandCenterFactory.ApiKey);
            foreach (var (key, value) in TestLog.Settings)
            {
                builder.UseSetting(key, value);
            }
        }

        public HttpClient CreateApiClient()
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Add(Schemes.ApiKeyHeader, CommandCenterFactory.ApiKey);
            return client;
        }
    }
}
