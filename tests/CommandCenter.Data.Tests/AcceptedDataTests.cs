using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Live;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Readings;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>Readings that repeat are answered as duplicates and stored once; the loader survives what earlier builds stored.</summary>
public sealed class AcceptedDataTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private SqliteDatabase _db = null!;
    private BoardClock _clock = null!;
    private LiveBoard _board = null!;
    private TestHandlers _handlers = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        _board = new LiveBoard(_clock);
        _board.Load(await new BoardLoader(_db.Factory, _clock).LoadAsync());
        _handlers = new TestHandlers(_db.Factory, _board, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> ReadingRows()
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading");
    }

    [Fact]
    public async Task RecordReadings_TwoOfOnePointAtOneInstant_AnswersTheSecondAsDuplicateAndStoresOne()
    {
        var result = await _handlers.RecordReadingsAsync(new RecordReadings
        {
            Readings = [new() { SensorId = "WL-01", DepthCm = 1 }, new() { SensorId = "WL-01", DepthCm = 2 }],
        });

        Assert.Equal(1, result.Accepted);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal([ReadingOutcome.Accepted, ReadingOutcome.Duplicate], result.Results);
        Assert.Equal(1, await ReadingRows());
    }

    [Fact]
    public async Task RecordReadings_RepeatOfStoredBesideNewOnes_KeepsTheNewOnes()
    {
        var first = new ReadingInput { SensorId = "WL-01", DepthCm = 5, MeasuredAt = Now.AddMinutes(-2) };
        await _handlers.RecordReadingsAsync(new RecordReadings { Readings = [first] });

        // The same instant written in another offset is the same instant.
        var result = await _handlers.RecordReadingsAsync(new RecordReadings
        {
            Readings = [first with { MeasuredAt = Now.AddMinutes(-2).ToOffset(TimeSpan.FromHours(8)), DepthCm = 9 },
                        new() { SensorId = "WL-01", DepthCm = 6, MeasuredAt = Now.AddMinutes(-1) }],
        });

        Assert.Equal([ReadingOutcome.Duplicate, ReadingOutcome.Accepted], result.Results);
        Assert.Equal(2, await ReadingRows());
        Assert.Equal(6, _board.GetSnapshot().WaterPoints.Single().DepthCm);
    }

    [Fact]
    public async Task Migration0003_DuplicatesStoredByAnEarlierBuild_KeepsTheFirstAndAddsTheUniqueIndex()
    {
        await using (var c = await _db.Factory.OpenAsync())
        {
            // As an earlier build left it: no unique index, two readings of one point at one instant.
            await c.ExecuteAsync("DROP INDEX UX_SensorReading_Point_MeasuredAt; DELETE FROM SchemaMigrations WHERE Name LIKE '0003%';");
            await c.ExecuteAsync("INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (1, 1, @At, @At), (1, 2, @At, @At)", new { At = Now });
        }

        var loader = new BoardLoader(_db.Factory, _clock);
        _board.Load(await loader.LoadAsync()); // the loader takes them as they are
        Assert.Contains(_board.GetSnapshot().WaterPoints.Single().DepthCm, new double?[] { 1, 2 });

        await new MigrationRunner(_db.Factory, NullLogger<MigrationRunner>.Instance).MigrateAsync();

        await using var check = await _db.Factory.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading"));
        Assert.Equal(1.0, await check.ExecuteScalarAsync<double>("SELECT DepthCm FROM SensorReading"));
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'UX_SensorReading_Point_MeasuredAt'"));
    }

    [Fact]
    public async Task LoadAsync_UnreadableBoundary_DrawsTheGridWithoutItAndSaysSo()
    {
        await using (var c = await _db.Factory.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE Grid SET BoundaryGeoJson = '{\"type\":\"Polygon\",\"coordinates\":[[[\"x\"]]]}' WHERE Id = 1");
        }

        var skipped = _board.Load(await new BoardLoader(_db.Factory, _clock).LoadAsync());

        Assert.Contains(skipped, s => s.StartsWith("grid 1:", StringComparison.Ordinal));
        Assert.Empty(_board.GetSnapshot().Grids.Single(g => g.Id == 1).Polygon);
    }

    [Fact]
    public async Task SyncAsync_EventsPublishedWhileLoading_AreReplayedNotLost()
    {
        var sync = new BoardSync(_board, new BoardLoader(_db.Factory, _clock), NullLogger<BoardSync>.Instance);
        await sync.SyncAsync("test");
        _board.BeginResync();
        // Written and published after the read began but before Load: the seed below does not hold it.
        var seed = await new BoardLoader(_db.Factory, _clock).LoadAsync();
        await _handlers.ReportIncidentAsync(new Domain.Incidents.ReportIncident { Category = "fire", GridId = 1, Source = "Hotline", ReporterName = "r", Title = "t" });

        _board.Load(seed);

        Assert.Equal(1, _board.GetSnapshot().Incidents.Open);
        Assert.Equal(1, _board.GetSnapshot().Incidents.ReportedToday);
        await sync.SyncAsync("test"); // and a fresh load agrees
        Assert.Equal(1, _board.GetSnapshot().Incidents.Open);
        Assert.Equal(1, _board.GetSnapshot().Incidents.ReportedToday);
    }
}
