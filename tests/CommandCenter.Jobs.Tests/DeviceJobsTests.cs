using CommandCenter.Data;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Jobs.Devices;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Jobs.Tests;

/// <summary>The device jobs as the host registers them, run against a real SQLite database with a fake clock.</summary>
public sealed class DeviceJobsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-jobs-tests", Guid.NewGuid().ToString("N"));
    private readonly List<LiveEvent> _events = [];
    private ServiceProvider _services = null!;

    private sealed class Sink(List<LiveEvent> events) : ILiveEventSink
    {
        public void Publish(LiveEvent liveEvent)
        {
            lock (events) events.Add(liveEvent);
        }
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(new BoardClock(_time, TimeZoneInfo.Utc));
        services.AddSingleton<ILiveEventSink>(new Sink(_events));
        services.AddCommandCenterData(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "jobs.db")}" });
        services.AddCommandCenterJobs(Config(("Devices:SilentFactor", "1"), ("Devices:SilentGrace", "00:00:00")));
        _services = services.BuildServiceProvider();
        var db = _services.GetRequiredService<DbConnectionFactory>();
        await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO Street (Id, Code, Name, NameZh) VALUES (1, 'S', 'Street', '街道')", transaction: tx);
            await c.ExecuteAsync("INSERT INTO Community (Id, StreetId, Code, Name, NameZh) VALUES (1, 1, 'C', 'North', '北')", transaction: tx);
            await c.ExecuteAsync("INSERT INTO Grid (Id, CommunityId, Code, Name, NameZh, Kind) VALUES (1, 1, 'G', 'Grid', '网格', 1)", transaction: tx);
            await c.ExecuteAsync("INSERT INTO Camera (Id, Code, Name, GridId, Lon, Lat, ExpectedIntervalSeconds) VALUES (1, 'CAM-1', 'Gate', 1, 117.5, 34.8, 600)", transaction: tx);
            await c.ExecuteAsync("INSERT INTO WaterPoint (Id, Code, Name, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm, ExpectedIntervalSeconds) " +
                                 "VALUES (1, 'WL-1', 'Underpass', '下穿', 1, 117.5, 34.8, 15, 30, 300)", transaction: tx);
            return 0;
        });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // cleaned by the OS
        }
    }

    [Fact]
    public async Task SilentDevicesJob_MarksTheSilentCameraOffline_OnTheBoardAsAnEventWithItsRowId()
    {
        var job = _services.GetRequiredService<SilentDevicesJob>();
        await job.Execute(null!);

        _time.Advance(TimeSpan.FromSeconds(601));
        await job.Execute(null!);

        CameraStatusEvent offline;
        lock (_events) offline = Assert.Single(_events.OfType<CameraStatusEvent>());
        Assert.False(offline.Online);
        Assert.Equal(1, offline.CameraId);
        Assert.True(offline.Sequence > 0);
        await using var c = await _services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT IsOnline FROM WaterPoint WHERE Id = 1"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT IsOnline FROM Camera WHERE Id = 1"));
    }

    [Fact]
    public async Task ReadingRollupJob_ThenRetentionJob_RollsUpAndKeepsRawRowsUntilRolledUp()
    {
        var db = _services.GetRequiredService<DbConnectionFactory>();
        await db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (1, @Depth, @At, @At)",
            Enumerable.Range(0, 30).Select(i => new { Depth = (double)i, At = Start.AddMinutes(i) }), tx));
        _time.SetUtcNow(Start.AddDays(120));

        await _services.GetRequiredService<ReadingRetentionJob>().Execute(null!);
        await using (var c = await db.OpenAsync())
        {
            Assert.Equal(30, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading"));
        }

        await _services.GetRequiredService<ReadingRollupJob>().Execute(null!);
        await _services.GetRequiredService<ReadingRetentionJob>().Execute(null!);

        await using (var c = await db.OpenAsync())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading"));
            Assert.Equal(30, await c.ExecuteScalarAsync<long>("SELECT SUM(ReadingCount) FROM SensorReadingHour"));
        }
    }

    [Theory]
    [InlineData("Devices:SilentCheckInterval", "00:00:00")]
    [InlineData("Devices:RollupInterval", "-00:00:01")]
    [InlineData("Devices:RawRetentionDays", "7")]
    [InlineData("Devices:SilentFactor", "0.5")]
    [InlineData("Devices:RetentionBatchSize", "0")]
    public void AddCommandCenterJobs_InvalidDeviceSetting_ThrowsNamingIt(string key, string value)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config((key, value))));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
