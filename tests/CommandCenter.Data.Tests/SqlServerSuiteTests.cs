using CommandCenter.Tests.Shared;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>Runs only when COMMANDCENTER_TEST_SQLSERVER holds a connection string; otherwise each test reports itself skipped.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "COMMANDCENTER_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"SQL Server suite: set {Variable} to a connection string to run it.";
        }
    }
}

/// <summary>The SQL Server path end to end, on a throw-away database created on the configured server.</summary>
public sealed class SqlServerSuiteTests : IAsyncLifetime
{
    private readonly string? _server = Environment.GetEnvironmentVariable(SqlServerFactAttribute.Variable);
    private readonly string _database = "cc_test_" + Guid.NewGuid().ToString("N")[..12];
    private DbConnectionFactory _factory = null!;

    public async Task InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(_server)) return;
        await using (var master = new SqlConnection(_server))
        {
            await master.OpenAsync();
            await master.ExecuteAsync($"CREATE DATABASE [{_database}]");
        }

        var cs = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database }.ConnectionString;
        _factory = new DbConnectionFactory(new DatabaseOptions { Provider = "SqlServer", ConnectionString = cs });
    }

    public async Task DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(_server)) return;
        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(_server);
        await master.OpenAsync();
        await master.ExecuteAsync($"ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]");
    }

    [SqlServerFact]
    public async Task Migrations_RunTwice_AreSafeAndJournaled()
    {
        var runner = new MigrationRunner(_factory, NullLogger<MigrationRunner>.Instance);
        var first = await runner.MigrateAsync();
        var second = await runner.MigrateAsync();

        Assert.NotEmpty(first);
        Assert.Empty(second);
    }

    [SqlServerFact]
    public async Task Ingestion_EveryKind_RoundTripsAndTheBoardLoads()
    {
        await new MigrationRunner(_factory, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        await TestStreet.InsertAsync(_factory);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var clock = new BoardClock(time, BoardClock.FindZone("Asia/Shanghai"));
        var sink = new RecordingSink();
        var service = new TestHandlers(_factory, sink, clock);

        var incident = await service.ReportIncidentAsync(new ReportIncident { Category = "noise", GridId = 1, Source = "Hotline", ReporterName = "x", Title = "Loud", ExternalId = "e-1" });
        var duplicate = await service.ReportIncidentAsync(new ReportIncident { Category = "noise", GridId = 1, Source = "Hotline", ReporterName = "x", Title = "Loud", ExternalId = "e-1" });
        await service.AdvanceIncidentAsync(incident.Id);
        await service.RecordReadingsAsync(new RecordReadings { Readings = [new() { SensorId = "WL-01", DepthCm = 20 }] });
        await service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd" });
        await service.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 1 });
        await service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 1 });
        var seed = await new BoardLoader(_factory, clock).LoadAsync();

        Assert.Equal(incident.Id, duplicate.Id);
        Assert.Equal(IncidentStepsVerified, Assert.Single(seed.OpenIncidents).Step);
        Assert.Single(seed.RecentAlerts);
        Assert.Equal([1], seed.GridsPatrolledToday);
        Assert.Equal([1L], seed.KeyHouseholdsVisitedThisWeek);
        Assert.Equal(20, seed.WaterPoints.Single().RecentReadings[^1].DepthCm);
    }

    private const CommandCenter.Domain.Model.IncidentStep IncidentStepsVerified = CommandCenter.Domain.Model.IncidentStep.Verified;
}
