using CommandCenter.Data.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.History;

/// <summary>
/// Deletes raw readings older than <see cref="HistoryOptions.RawRetentionDays"/> and minute roll-ups older than
/// <see cref="HistoryOptions.MinuteRetentionDays"/>, in small batches (each its own short write). Raw rows the roll-up
/// has not reached yet are kept, whatever their age.
/// </summary>
public sealed class ReadingRetention(DbConnectionFactory db, TimeProvider time, HistoryOptions options, ILogger<ReadingRetention> logger)
{
    public sealed record Result(int RawDeleted, int MinutesDeleted);

    public async Task<Result> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? rolled;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            rolled = await c.ExecuteScalarAsync<DateTimeOffset?>(Cmd(HistorySql.Watermark, new { Name = ReadingRollup.WatermarkName }, null, ct)).ConfigureAwait(false);
        }

        var rawBefore = now.AddDays(-options.RawRetentionDays);
        if (rolled is null) rawBefore = DateTimeOffset.MinValue; // nothing rolled up yet: keep everything
        else if (rolled.Value - options.RollupLateWindow < rawBefore) rawBefore = rolled.Value - options.RollupLateWindow;
        var raw = rawBefore == DateTimeOffset.MinValue ? 0
            : await DeleteAsync(db.Pick(HistorySql.DeleteRawBatch_Sqlite, HistorySql.DeleteRawBatch_SqlServer), rawBefore, ct).ConfigureAwait(false);
        var minutes = await DeleteAsync(db.Pick(HistorySql.DeleteMinuteBatch_Sqlite, HistorySql.DeleteMinuteBatch_SqlServer),
            now.AddDays(-options.MinuteRetentionDays), ct).ConfigureAwait(false);
        if (raw + minutes > 0) logger.LogInformation("Reading retention deleted {Raw} raw readings and {Minutes} minute roll-ups", raw, minutes);
        return new Result(raw, minutes);
    }

    private async Task<int> DeleteAsync(string sql, DateTimeOffset before, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < options.RetentionMaxBatchesPerRun; i++)
        {
            ct.ThrowIfCancellationRequested();
            var n = await db.WriteAsync((c, tx) => c.ExecuteAsync(Cmd(sql, new { Before = before, Batch = options.RetentionBatchSize }, tx, ct)), ct).ConfigureAwait(false);
            total += n;
            if (n < options.RetentionBatchSize) break;
        }

        return total;
    }
}
