using CommandCenter.Demo;
using CommandCenter.Demo.Street;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Data.Readings;
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
    BoardSync sync,
    LiveBoard board,
    RecordReadingsHandler readings,
    IOptions<DemoOptions> demo,
    IOptions<CommandCenter.Demo.Simulation.SimulatorOptions> simulator,
    BoardClock clock,
    Security.SecurityBootstrap security,
    ILogger<StartupInitializer> logger) : IHostedService
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await migrations.MigrateAsync(cancellationToken);
        var seeded = demo.Value.Enabled && await seeder.SeedIfEmptyAsync(demo.Value.Seed, cancellationToken);
        var seededAt = clock.Now;
        if (seeded)
        {
            readings.InvalidateReferenceData();
        }

        await security.RunAsync(cancellationToken);
        if (seeded && simulator.Value.OperatorUserName is { Length: > 0 } duty)
        {
            // The seeded history's acknowledgements get their author now that the demo accounts exist.
            var attributed = await seeder.AttributeAcknowledgementsAsync(duty, seededAt, cancellationToken);
            logger.LogInformation("Demo street: {Rows} seeded acknowledgement(s) attributed to {UserName}", attributed, duty);
        }
        await sync.SyncAsync("start", cancellationToken);
        _ready = true;
        logger.LogInformation("Command center ready in {Elapsed} ms (live board version {Version})",
            started.ElapsedMilliseconds, board.Version);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
