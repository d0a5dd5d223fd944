using CommandCenter.Data.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.History;

/// <summary>
/// Rolls raw readings up per minute and per hour. Each bucket is recomputed from its source rows (delete the range,
/// insert the aggregate) in one transaction with the watermark, so a run repeated, or interrupted and re-run, gives
/// the same rows. A run starts <see cref="HistoryOptions.RollupLateWindow"/> before the watermark (late readings) and
/// goes on, in chunks of <see cref="Chunk"/>, until a settled minute before now: after downtime it catches up.
/// </summary>
public sealed class ReadingRollup(DbConnectionFactory db, TimeProvider time, HistoryOptions options, ILogger<ReadingRollup> logger)
{
    public const string WatermarkName = "readings";
    public static readonly TimeSpan Chunk = TimeSpan.FromHours(6);
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Rolls up to the last settled minute; returns the new watermark (null: nothing to roll up yet).</summary>
    public async Task<DateTimeOffset?> RunAsync(CancellationToken ct = default)
    {
        var target = FloorMinute(time.GetUtcNow() - options.RollupSettle);
        DateTimeOffset? done;
        DateTimeOffset? oldest;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            done = await c.ExecuteScalarAsync<DateTimeOffset?>(Cmd(HistorySql.Watermark, new { Name = WatermarkName }, null, ct)).ConfigureAwait(false);
            oldest = done is null ? await c.ExecuteScalarAsync<DateTimeOffset?>(Cmd(HistorySql.OldestReading, null, null, ct)).ConfigureAwait(false) : null;
        }

        var from = done is { } d ? FloorMinute(d - options.RollupLateWindow) : oldest is { } o ? FloorMinute(o) : (DateTimeOffset?)null;
        if (from is null) return null;
        var chunks = 0;
        while (from < target)
        {
            ct.ThrowIfCancellationRequested();
            var start = from.Value;
            var end = start + Chunk < target ? start + Chunk : target;
            // The aggregates are read outside the writer's transaction (a read does not block SQLite's writer, so
            // ingestion goes on while millions of readings are grouped); the writer only replaces the buckets.
            // Readings committed meanwhile are picked up by a later run (the late window goes back over them).
            var hourFrom = FloorHour(start);
            var minutes = await ReadAsync(db.Pick(HistorySql.MinuteAggregates_Sqlite, HistorySql.MinuteAggregates_SqlServer), start, end, ct).ConfigureAwait(false);
            await db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync(Cmd(HistorySql.DeleteMinutes, new { From = start, To = end }, tx, ct)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(HistorySql.InsertMinute, minutes, tx, ct)).ConfigureAwait(false);
                return 0;
            }, ct).ConfigureAwait(false);
            var hours = await ReadAsync(db.Pick(HistorySql.HourAggregates_Sqlite, HistorySql.HourAggregates_SqlServer), hourFrom, end, ct).ConfigureAwait(false);
            await db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync(Cmd(HistorySql.DeleteHours, new { From = hourFrom, To = end }, tx, ct)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(HistorySql.InsertHour, hours, tx, ct)).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd(db.Pick(HistorySql.SetWatermark_Sqlite, HistorySql.SetWatermark_SqlServer), new { Name = WatermarkName, DoneUntil = end }, tx, ct)).ConfigureAwait(false);
                return 0;
            }, ct).ConfigureAwait(false);
            from = end;
            chunks++;
        }

        if (chunks > 1) logger.LogInformation("Reading roll-up caught up to {DoneUntil} in {Chunks} chunks", target, chunks);
        return from;
    }

    private async Task<List<Bucket>> ReadAsync(string sql, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<Bucket>(Cmd(sql, new { From = from, To = to, Epoch }, null, ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>One roll-up row: a point's readings in a minute or an hour.</summary>
    private sealed class Bucket
    {
        public int WaterPointId { get; init; }
        public DateTimeOffset BucketStart { get; init; }
        public double MinCm { get; init; }
        public double MaxCm { get; init; }
        public double AvgCm { get; init; }
        public double LastCm { get; init; }
        public long ReadingCount { get; init; }
    }

    public static DateTimeOffset FloorMinute(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return new DateTimeOffset(u.Ticks - (u.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    public static DateTimeOffset FloorHour(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return new DateTimeOffset(u.Ticks - (u.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }
}
