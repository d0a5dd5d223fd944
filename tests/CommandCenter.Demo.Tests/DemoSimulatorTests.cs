using CommandCenter.Tests.Shared;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Demo.Simulation;
using CommandCenter.Demo.Street;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Demo.Tests;

public sealed class DemoSimulatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 7, 15, 2, 0, 0, TimeSpan.Zero); // Wednesday 10:00 in Shanghai
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private readonly BoardClock _clock;
    private string _folder = null!;
    private DbConnectionFactory _db = null!;
    private TestHandlers _ingestion = null!;

    public DemoSimulatorTests() => _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));

    public async Task InitializeAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cc-demo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")}" });
        await new MigrationRunner(_db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        _ingestion = new TestHandlers(_db, _sink, _clock);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }

        return Task.CompletedTask;
    }

    private Task SeedAsync() => new DemoStreetSeeder(_db, _clock, NullLogger<DemoStreetSeeder>.Instance).SeedIfEmptyAsync();

    private DemoSimulator Simulator(bool enabled = true, double speed = 1) => new(
        _ingestion.Report, _ingestion.Actions, _ingestion.Readings, _ingestion.Alerts, _ingestion.Patrols, _ingestion.Visits,
        new CameraAlertActionHandler(_db, _sink, _clock), new AcknowledgeWaterAlarmHandler(_db, _sink, _clock),
        new ConvertToIncidentHandler(_db, _sink, _clock, new LoopSettingsProvider(_db, new IncidentLoopOptions(), _clock), NullLogger<ConvertToIncidentHandler>.Instance),
        _db, _clock, Options.Create(new SimulatorOptions { Enabled = enabled, SpeedFactor = speed, Seed = 7 }), NullLogger<DemoSimulator>.Instance);

    private async Task<long> Count(string table)
    {
        await using var c = await _db.OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    [Fact]
    public async Task RunOnceAsync_SeededStreet_WritesThroughIngestionAndPublishesEveryKind()
    {
        await SeedAsync();
        var readings = await Count("SensorReading");
        var incidents = await Count("Incident");
        using var simulator = Simulator();

        await simulator.RunOnceAsync(CancellationToken.None);

        Assert.Equal(readings + 12, await Count("SensorReading"));
        Assert.Equal(incidents + 1, await Count("Incident"));
        var events = _sink.Events;
        var batch = Assert.Single(events.OfType<ReadingsEvent>());
        Assert.Equal(12, batch.Readings.Count);
        Assert.All(batch.Readings, r => Assert.Equal(Now, r.MeasuredAt));
        Assert.Contains(events.OfType<IncidentEvent>(), e => e.PreviousStep is null && e.Step == IncidentStep.Reported);
        Assert.Contains(events.OfType<IncidentEvent>(), e => e.PreviousStep is not null);
        Assert.NotEmpty(events.OfType<CameraAlertEvent>());
        Assert.Single(events.OfType<PatrolEvent>());
        Assert.Single(events.OfType<VisitEvent>());
    }

    [Fact]
    public async Task RunOnceAsync_NoStreet_WritesNothingAndDoesNotThrow()
    {
        using var simulator = Simulator();

        await simulator.RunOnceAsync(CancellationToken.None);

        Assert.Empty(_sink.Events);
        Assert.Equal(0, await Count("SensorReading"));
    }

    [Fact]
    public async Task RunOnceAsync_TwoSimulatedHours_RainstormDrivesPointsPastAlarmAndRaisesSensorIncident()
    {
        await SeedAsync();
        var since = Now;
        var phases = new HashSet<DemoSimulator.StormPhase>();

        // Ten simulated seconds per tick at speed 60: ten minutes of storm time per tick; 12 ticks cover two hours.
        using var fast = Simulator(speed: 60);
        for (var i = 0; i < 12; i++)
        {
            await fast.RunOnceAsync(CancellationToken.None);
            phases.Add(fast.Phase);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Contains(DemoSimulator.StormPhase.Peak, phases);
        await using var c = await _db.OpenAsync();
        var overWarning = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint p ON p.Id = r.WaterPointId WHERE r.MeasuredAt >= @since AND r.DepthCm >= p.WarningDepthCm",
            new { since });
        Assert.True(overWarning > 0, "the storm pushed no point past its warning depth");
        var sensorIncidents = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM Incident WHERE Source = 5 AND Category = 'flooding' AND ReportedAt >= @since", new { since });
        Assert.True(sensorIncidents > 0, "no point passed its alarm depth");
    }

    [Fact]
    public async Task ExecuteAsync_StreetSeeded_TicksUntilStoppedWithoutFaulting()
    {
        await SeedAsync();
        var firstReadings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sink.OnPublish = e =>
        {
            if (e is ReadingsEvent) firstReadings.TrySetResult();
        };
        using var simulator = Simulator();

        await simulator.StartAsync(CancellationToken.None);
        await firstReadings.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await simulator.StopAsync(CancellationToken.None);

        Assert.NotNull(simulator.ExecuteTask);
        Assert.True(simulator.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ExecuteAsync_Disabled_ReturnsAtOnceWithoutTraffic()
    {
        await SeedAsync();
        using var simulator = Simulator(enabled: false);

        await simulator.StartAsync(CancellationToken.None);
        await simulator.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        await simulator.StopAsync(CancellationToken.None);

        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task ExecuteAsync_NoStreetYet_WaitsOnTheTimeProviderThenStopsCleanly()
    {
        using var simulator = Simulator();

        await simulator.StartAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await simulator.StopAsync(CancellationToken.None);

        Assert.Empty(_sink.Events);
        // Stopped this early the host may cancel the task before ExecuteAsync ran (Task.Run with the stopping token): never a fault.
        Assert.True(simulator.ExecuteTask!.IsCompleted);
        Assert.False(simulator.ExecuteTask.IsFaulted, simulator.ExecuteTask.Exception?.ToString());
    }

    private sealed class RecordingSink : ILiveEventSink
    {
        private readonly List<LiveEvent> _events = [];

        public Action<LiveEvent>? OnPublish { get; set; }

        public IReadOnlyList<LiveEvent> Events
        {
            get { lock (_events) { return [.. _events]; } }
        }

        public void Publish(LiveEvent liveEvent)
        {
            lock (_events) { _events.Add(liveEvent); }
            OnPublish?.Invoke(liveEvent);
        }
    }
}
