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

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
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

    /// <summary>The demo duty operator's account, as the security bootstrap makes it (role Operator, unscoped).</summary>
    private async Task<long> AddOperatorAsync()
    {
        await using var c = await _db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO AppUser (UserName, DisplayName, PasswordHash, Role, SecurityStamp, CreatedAt, PasswordChangedAt) " +
            "VALUES ('operator', 'Demo duty operator', 'x', 'Operator', 's', @Now, @Now) RETURNING Id", new { Now });
    }

    [Fact]
    public async Task RunOnceAsync_UrgentCameraAlert_DutyDeskAcknowledgesThroughTheHandlerWithinMinutes()
    {
        await SeedAsync();
        var operatorId = await AddOperatorAsync();
        var board = new LiveBoard(_clock);
        board.Load(await new CommandCenter.Data.Live.BoardLoader(_db, _clock).LoadAsync());
        _sink.OnPublish = board.Publish;
        await using (var c0 = await _db.OpenAsync())
        {
            // The history's alerts are handled already, or are so recent that the desk will handle them too.
            Assert.Equal(0, await c0.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE Status = 1 AND OccurredAt < @Since", new { Since = Now.AddMinutes(-15) }));
        }

        // A confident fire/smoke detection from the camera platform: the wall raises its notice.
        var raised = await _ingestion.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.95 });
        Assert.Contains(board.GetSnapshot().Notices, n => n.Source == AlarmSource.CameraAlert && n.Id == raised.Id);

        using var simulator = Simulator();
        var ticks = 0;
        AlertState state;
        do
        {
            await simulator.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(15));
            await using var c = await _db.OpenAsync();
            state = await c.QuerySingleAsync<AlertState>("SELECT Status, AcknowledgedAt, AcknowledgedByUserId FROM CameraAlert WHERE Id = @Id", new { raised.Id });
        }
        while (state.AcknowledgedAt is null && ++ticks < 40);

        // Acknowledged (or, after acknowledging, turned into an incident or dismissed) by the operator within 1–5 minutes.
        Assert.NotNull(state.AcknowledgedAt);
        var minutes = (state.AcknowledgedAt!.Value - Now).TotalMinutes;
        Assert.InRange(minutes, 1, 5.5);
        Assert.Equal(operatorId, state.AcknowledgedByUserId);
        Assert.Contains(state.Status, new[] { (int)AlertStatus.Acknowledged, (int)AlertStatus.Converted, (int)AlertStatus.Dismissed });
        Assert.Contains(_sink.Events.OfType<AlarmHandledEvent>(), e => e.Source == AlarmSource.CameraAlert && e.Id == raised.Id);
        Assert.DoesNotContain(board.GetSnapshot().Notices, n => n.Source == AlarmSource.CameraAlert && n.Id == raised.Id);

        await using var audit = await _db.OpenAsync();
        Assert.True(await audit.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM AuditLog WHERE EntityType = 'camera-alert' AND EntityId = @Id AND ActorKind = 'User' AND ActorId = @User",
            new { Id = raised.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), User = operatorId.ToString(System.Globalization.CultureInfo.InvariantCulture) }) >= 1);
    }

    [Fact]
    public async Task RunOnceAsync_HalfAnHour_DutyDeskHandlesTheSimulatorsOwnAlertsInTheDesksProportions()
    {
        await SeedAsync();
        await AddOperatorAsync();
        using var simulator = Simulator();

        // Thirty minutes of ticks every 15 s, each raising an alert (forced): what occurred over 15 minutes ago is handled.
        for (var i = 0; i < 120; i++)
        {
            await simulator.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        await using var c = await _db.OpenAsync();
        var rows = (await c.QueryAsync<AlertState>(
            "SELECT Status, AcknowledgedAt, AcknowledgedByUserId, OccurredAt FROM CameraAlert WHERE OccurredAt >= @Now AND Kind NOT IN ('camera_offline', 'camera_online')",
            new { Now })).ToList();
        var old = rows.Where(r => r.OccurredAt <= _clock.Now.AddMinutes(-15.5)).ToList();
        Assert.True(old.Count >= 30, $"only {old.Count} alerts old enough");
        Assert.All(old, r => Assert.NotEqual((int)AlertStatus.New, r.Status));
        Assert.All(old, r => Assert.InRange((r.AcknowledgedAt!.Value - r.OccurredAt).TotalMinutes, 1, 15.5));
        Assert.True(old.Count(r => r.Status == (int)AlertStatus.Acknowledged) >= old.Count * 0.6, "most are acknowledged");
        Assert.Equal(
            rows.Count(r => r.Status == (int)AlertStatus.Converted),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Incident WHERE SourceAlertId IS NOT NULL AND ReportedAt >= @Now", new { Now }));
        // Whatever is still New (or an alarm not acknowledged) within the desk's horizon is planned, nothing else.
        var open = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE Status = 1 AND OccurredAt >= @Since", new { Since = _clock.Now.AddHours(-2) })
            + await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WaterAlarm WHERE AcknowledgedAt IS NULL AND RaisedAt >= @Since", new { Since = _clock.Now.AddHours(-2) });
        Assert.Equal(open, simulator.DeskPending);
    }

    [Fact]
    public async Task RunOnceAsync_Rainstorm_DutyDeskAcknowledgesTheWaterAlarmsAtSpeed()
    {
        await SeedAsync();
        var operatorId = await AddOperatorAsync();

        // Speed 6: a simulated minute per 10 s tick, so a storm holds a point above a level longer than its pending time
        // (60 s of the clock); the desk's 1–15 simulated minutes are 10–150 s.
        using var fast = Simulator(speed: 6);
        for (var i = 0; i < 100; i++)
        {
            await fast.RunOnceAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        await using var c = await _db.OpenAsync();
        var alarms = (await c.QueryAsync<(long Id, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt, long? AcknowledgedByUserId)>(
            "SELECT Id, RaisedAt, AcknowledgedAt, AcknowledgedByUserId FROM WaterAlarm WHERE RaisedAt >= @Now", new { Now })).ToList();
        var old = alarms.Where(a => a.RaisedAt <= _clock.Now.AddSeconds(-160)).ToList();
        Assert.NotEmpty(old);
        Assert.All(old, a =>
        {
            Assert.NotNull(a.AcknowledgedAt);
            Assert.InRange((a.AcknowledgedAt!.Value - a.RaisedAt).TotalSeconds, 10, 160);
            Assert.Equal(operatorId, a.AcknowledgedByUserId);
        });
        Assert.Equal(old.Count, _sink.Events.OfType<AlarmHandledEvent>().Count(e => e.Source == AlarmSource.WaterAlarm && old.Any(a => a.Id == e.Id)));
    }

    [Fact]
    public async Task AttributeAcknowledgementsAsync_AfterTheAccountsExist_GivesTheSeededAcknowledgementsTheirAuthor()
    {
        await SeedAsync();
        var seeder = new DemoStreetSeeder(_db, _clock, NullLogger<DemoStreetSeeder>.Instance);
        Assert.Equal(0, await seeder.AttributeAcknowledgementsAsync("operator", Now));
        var operatorId = await AddOperatorAsync();

        var attributed = await seeder.AttributeAcknowledgementsAsync("operator", Now);

        await using var c = await _db.OpenAsync();
        var acknowledged = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE AcknowledgedAt IS NOT NULL")
            + await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM WaterAlarm WHERE AcknowledgedAt IS NOT NULL");
        Assert.True(acknowledged > 1000);
        Assert.Equal(acknowledged, attributed);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE AcknowledgedAt IS NOT NULL AND (AcknowledgedByUserId IS NULL OR AcknowledgedByUserId <> @operatorId)", new { operatorId }));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE ClosedAt IS NOT NULL AND ClosedByUserId IS NULL"));
        Assert.Equal(0, await seeder.AttributeAcknowledgementsAsync("operator", Now));
    }

    private sealed class AlertState
    {
        public int Status { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }
        public long? AcknowledgedByUserId { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
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
