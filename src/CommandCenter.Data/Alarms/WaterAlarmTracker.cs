using System.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Readings;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Alarms;

/// <summary>
/// The level state machine of every waterlogging point, for the write path: <see cref="ApplyAsync"/> runs inside the
/// transaction that stores the readings and writes the <c>WaterAlarm</c> rows the readings raise, peak or clear, so an
/// alarm is committed with the reading that caused it or not at all. The state is loaded in that transaction the first
/// time (settings, open alarms, each point's last reading) and dropped when a transaction fails or the registry changes,
/// so the next batch reloads it from what was committed. One batch at a time (a semaphore); O(1) per reading.
/// </summary>
public sealed class WaterAlarmTracker(DbConnectionFactory db)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<int, PointState>? _points;

    /// <summary>
    /// Stores readings and applies those stored (sorted by instant per point first, so a batch sent out of order is judged in time order;
    /// a reading older than the point's last applied one changes nothing) and writes the resulting rows. Call
    /// <see cref="Invalidate"/> when the transaction does not commit.
    /// </summary>
    /// <remarks>
    /// <paramref name="store"/> writes the readings and returns those stored (not duplicates); it runs after the state is
    /// loaded (so the load does not see them) and under the tracker's gate (so batches are judged in the order they write).
    /// </remarks>
    public async Task<(T Result, IReadOnlyList<WaterAlarmChange> Changes)> StoreAndApplyAsync<T>(DbConnection c, DbTransaction tx,
        Func<Task<(T Result, IReadOnlyList<Reading> Stored)>> store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var points = _points ??= await LoadAsync(c, tx, ct).ConfigureAwait(false);
            var (result, stored) = await store().ConfigureAwait(false);
            var changes = new List<WaterAlarmChange>();
            var transitions = new List<AlarmTransition>();
            foreach (var r in stored.OrderBy(r => r.WaterPointId).ThenBy(r => r.MeasuredAt))
            {
                if (!points.TryGetValue(r.WaterPointId, out var p)) continue;
                transitions.Clear();
                if (!p.Machine.Apply(r.DepthCm, r.MeasuredAt, transitions)) continue;
                foreach (var t in transitions)
                {
                    changes.Add(await WriteAsync(c, tx, r.WaterPointId, p, t, ct).ConfigureAwait(false));
                }
            }

            return (result, changes);
        }
        catch
        {
            _points = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the state (a failed transaction, a registry change); the next batch reloads it from the database.</summary>
    public void Invalidate() => _points = null;

    private async Task<WaterAlarmChange> WriteAsync(DbConnection c, DbTransaction tx, int pointId, PointState p, AlarmTransition t, CancellationToken ct)
    {
        var slot = (int)t.Kind;
        switch (t.Type)
        {
            case AlarmTransitionType.Raised:
                var id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(WaterAlarmSql.Insert_Sqlite, WaterAlarmSql.Insert_SqlServer),
                    new { WaterPointId = pointId, Kind = slot, RaisedAt = t.At, t.DepthCm }, tx, ct)).ConfigureAwait(false);
                p.OpenIds[slot] = id;
                return new WaterAlarmChange(id, pointId, t.Kind, t.Type, t.DepthCm, t.At);
            case AlarmTransitionType.Peak:
                await c.ExecuteAsync(Cmd(WaterAlarmSql.Peak, new { Id = p.OpenIds[slot], PeakDepthCm = t.DepthCm }, tx, ct)).ConfigureAwait(false);
                return new WaterAlarmChange(p.OpenIds[slot], pointId, t.Kind, t.Type, t.DepthCm, t.At);
            default:
                var cleared = p.OpenIds[slot];
                await c.ExecuteAsync(Cmd(WaterAlarmSql.Clear, new { Id = cleared, ClearedAt = t.At }, tx, ct)).ConfigureAwait(false);
                p.OpenIds[slot] = 0;
                return new WaterAlarmChange(cleared, pointId, t.Kind, t.Type, t.DepthCm, t.At);
        }
    }

    private static async Task<Dictionary<int, PointState>> LoadAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var open = (await c.QueryAsync<OpenRow>(Cmd(WaterAlarmSql.OpenAlarms, null, tx, ct)).ConfigureAwait(false))
            .Where(o => o.Kind is >= 1 and <= 3)
            .GroupBy(o => o.WaterPointId)
            .ToDictionary(g => g.Key, g => g.GroupBy(o => o.Kind).ToDictionary(k => k.Key, k => k.MaxBy(o => o.Id)!));
        var latest = (await c.QueryAsync<(int WaterPointId, double DepthCm, DateTimeOffset MeasuredAt)>(Cmd(WaterAlarmSql.LatestReadings, null, tx, ct)).ConfigureAwait(false))
            .GroupBy(r => r.WaterPointId)
            .ToDictionary(g => g.Key, g => g.First());
        var points = new Dictionary<int, PointState>();
        foreach (var s in await c.QueryAsync<SettingsRow>(Cmd(WaterAlarmSql.PointSettings, null, tx, ct)).ConfigureAwait(false))
        {
            var settings = s.ToSettings();
            var o = open.GetValueOrDefault(s.Id) ?? [];
            var hasLast = latest.TryGetValue(s.Id, out var last);
            var machine = LevelMachine.Restore(settings, hasLast ? last.DepthCm : null, hasLast ? last.MeasuredAt : null,
                o.GetValueOrDefault(1)?.PeakDepthCm, o.GetValueOrDefault(2)?.PeakDepthCm, o.GetValueOrDefault(3)?.PeakDepthCm);
            var state = new PointState(machine);
            foreach (var (kind, row) in o) state.OpenIds[kind] = row.Id;
            points[s.Id] = state;
        }

        return points;
    }

    private sealed class PointState(LevelMachine machine)
    {
        public LevelMachine Machine { get; } = machine;

        /// <summary>The open row per <see cref="WaterAlarmKind"/> (index 1..3); 0 when none.</summary>
        public long[] OpenIds { get; } = new long[4];
    }

    private sealed class OpenRow
    {
        public long Id { get; init; }
        public int WaterPointId { get; init; }
        public int Kind { get; init; }
        public double PeakDepthCm { get; init; }
    }

    /// <summary>A point's alarm settings as stored.</summary>
    public sealed class SettingsRow
    {
        public int Id { get; init; }
        public double WarningDepthCm { get; init; }
        public double AlarmDepthCm { get; init; }
        public double HysteresisCm { get; init; }
        public long PendingSeconds { get; init; }
        public double? RiseLimitCmPerMin { get; init; }

        public LevelSettings ToSettings() =>
            LevelSettings.From(WarningDepthCm, AlarmDepthCm, HysteresisCm, (int)Math.Clamp(PendingSeconds, 0, int.MaxValue), RiseLimitCmPerMin);
    }
}
