using CommandCenter.Data.Demo;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Ingestion;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Hosting;

/// <summary>
/// Runs before anything else starts: migrates the database, seeds the demo street into an empty database
/// (when the demo is on), and loads the live board. Until it has finished the node is not ready.
/// </summary>
public sealed class StartupInitializer(
    MigrationRunner migrations,
    DemoStreetSeeder seeder,
    BoardLoader loader,
    LiveBoard board,
    IngestionService ingestion,
    IOptions<DemoOptions> demo,
    Security.SecurityBootstrap security,
    ILogger<StartupInitializer> logger) : IHostedService
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await migrations.MigrateAsync(cancellationToken);
        if (demo.Value.Enabled && await seeder.SeedIfEmptyAsync(demo.Value.Seed, cancellationToken))
        {
            ingestion.InvalidateReferenceData();
        }

        await security.RunAsync(cancellationToken);
        board.Load(await loader.LoadAsync(ct: cancellationToken));
        _ready = true;
        logger.LogInformation("Command center ready in {Elapsed} ms (live board version {Version})",
            started.ElapsedMilliseconds, board.Version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
