using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CommandCenter.Web.Tests.Integration;

/// <summary>
/// The whole app on a TestServer, with its own SQLite file seeded with the demo street, and the simulator
/// off so that every change the tests see is their own. One instance is shared by the tests of a collection.
/// Its log events also go to <see cref="TestLog"/> for the final log scan; its secrets are in <see cref="TestSecrets"/>.
/// </summary>
public class CommandCenterFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "integration-test-key-0123456789";

    static CommandCenterFactory()
    {
        TestSecrets.Register("bootstrap API key", ApiKey);
        TestSecrets.Register("demo API key", DemoAccounts.ApiKey);
        foreach (var u in DemoAccounts.Users)
        {
            TestSecrets.Register($"demo password of {u.UserName}", u.Password);
        }
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("cc-web-tests").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(Folder, "cc.db")}");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Simulator:Enabled", "false");
        // Tests of this shared app post alerts of one camera seconds apart and check each row: no folding here (AlarmTests cover it).
        builder.UseSetting("Alarms:FoldWindowSeconds", "0");
        builder.UseSetting("CommandCenter:LogDirectory", Path.Combine(Folder, "logs"));
        builder.UseSetting("Reports:Folder", Path.Combine(Folder, "reports"));
        builder.UseSetting("Security:BootstrapApiKeys:0:Name", "tests");
        builder.UseSetting("Security:BootstrapApiKeys:0:Key", ApiKey);
        foreach (var (key, value) in TestLog.Settings)
        {
            builder.UseSetting(key, value);
        }

        Configure(builder);
    }

    /// <summary>More settings for a variant of the app (applied after the defaults above).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    public HttpClient CreateApiClient(string? key = ApiKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Log files may still be flushing; the temp folder is the OS's to clean.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<CommandCenterFactory>
{
    public const string Name = "app";
}
