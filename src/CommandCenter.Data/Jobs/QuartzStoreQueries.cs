using CommandCenter.Data.Infrastructure;
using Dapper;

namespace CommandCenter.Data.Jobs;

/// <summary>A trigger as Quartz's store holds it before the scheduler starts: when it was due next and last fired.</summary>
public sealed record StoredTrigger(string Name, string Group, DateTimeOffset? NextFireAt, DateTimeOffset? PreviousFireAt);

/// <summary>Reads of Quartz's own tables (migration 0016) that the app needs before the scheduler is built.</summary>
public sealed class QuartzStoreQueries(DbConnectionFactory db)
{
    /// <summary>The triggers the store holds for <paramref name="schedulerName"/> (Quartz stores instants as UTC ticks).</summary>
    public async Task<IReadOnlyList<StoredTrigger>> TriggersAsync(string schedulerName, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Name, string Group, long? Next, long? Previous)>(new CommandDefinition(
            QuartzStoreSql.Triggers, new { SchedulerName = schedulerName }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new StoredTrigger(r.Name, r.Group, FromTicks(r.Next), FromTicks(r.Previous))).ToList();
    }

    private static DateTimeOffset? FromTicks(long? ticks) =>
        ticks is { } t && t > 0 && t <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset(t, TimeSpan.Zero) : null;
}

internal static class QuartzStoreSql
{
    public const string Triggers = """
        SELECT TRIGGER_NAME, TRIGGER_GROUP, NEXT_FIRE_TIME, PREV_FIRE_TIME
        FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @SchedulerName
        """;
}
