using CommandCenter.Data.Readings;
using Dapper;

namespace CommandCenter.Data.Tests;

/// <summary>A migrated test street, and readings of one water point as the rows the write-queue tests write and count.</summary>
public abstract class ReadingWriteFixture : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    protected SqliteDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(Db.Factory);
    }

    public async Task DisposeAsync() => await Db.DisposeAsync();

    /// <summary>A reading of water point 1 measured <paramref name="minute"/> minutes before <see cref="Now"/>; its row id.</summary>
    protected static Task<long> InsertAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, int minute) =>
        c.ExecuteScalarAsync<long>(ReadingSql.Insert_Sqlite, new { WaterPointId = 1, DepthCm = 1.0, MeasuredAt = Now.AddMinutes(-minute), ReceivedAt = Now }, tx);

    /// <summary>Readings stored: all of them, or those of one <paramref name="minute"/>.</summary>
    protected async Task<long> CountAsync(int? minute = null)
    {
        await using var c = await Db.Factory.OpenAsync();
        return minute is { } m
            ? await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading WHERE MeasuredAt = @At", new { At = Now.AddMinutes(-m) })
            : await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading");
    }
}
