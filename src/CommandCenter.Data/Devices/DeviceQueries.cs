using CommandCenter.Data.History;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Devices;

/// <summary>A waterlogging alarm of a point (rows written by the alarm machine), with who acknowledged it.</summary>
public sealed class WaterAlarmRow
{
    public long Id { get; init; }

    /// <summary>1 Warning, 2 Alarm, 3 RateOfRise.</summary>
    public int Kind { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public double DepthCm { get; init; }
    public double PeakDepthCm { get; init; }
    public DateTimeOffset? ClearedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public long? IncidentId { get; init; }
}

/// <summary>Reads of the device registry and of a point's history; scoped callers see their community only.</summary>
public sealed class DeviceQueries(DbConnectionFactory db)
{
    public const int MaxAlarms = 200;

    public async Task<IReadOnlyList<CameraDetails>> CamerasAsync(Actor actor, bool includeRetired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<CameraDetails>(Cmd(DeviceSql.Cameras, new { actor.CommunityId, IncludeRetired = includeRetired ? 1 : 0 }, null, ct)).ConfigureAwait(false)).ToList();
    }

    public async Task<IReadOnlyList<WaterPointDetails>> WaterPointsAsync(Actor actor, bool includeRetired, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<WaterPointDetails>(Cmd(DeviceSql.WaterPoints, new { actor.CommunityId, IncludeRetired = includeRetired ? 1 : 0 }, null, ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>The camera, or <see cref="DeviceNotFoundException"/>.</summary>
    public async Task<CameraDetails> CameraAsync(string code, Actor actor, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await DeviceWrites.CameraAsync(c, null, code, actor, ct).ConfigureAwait(false);
    }

    /// <summary>The point, or <see cref="DeviceNotFoundException"/>.</summary>
    public async Task<WaterPointDetails> WaterPointAsync(string code, Actor actor, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await DeviceWrites.WaterPointAsync(c, null, code, actor, ct).ConfigureAwait(false);
    }

    /// <summary>A point's series in the range at the resolution (raw readings or roll-ups), oldest first, at most <see cref="ReadingHistoryRange.MaxRows"/>.</summary>
    public async Task<IReadOnlyList<ReadingPoint>> ReadingsAsync(string code, ReadingHistoryRange range, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var point = await DeviceWrites.WaterPointAsync(c, null, code, actor, ct).ConfigureAwait(false);
        var sql = range.Resolution switch
        {
            ReadingResolution.Raw => db.Pick(HistorySql.RawSeries_Sqlite, HistorySql.RawSeries_SqlServer),
            ReadingResolution.Minute => db.Pick(HistorySql.MinuteSeries_Sqlite, HistorySql.MinuteSeries_SqlServer),
            _ => db.Pick(HistorySql.HourSeries_Sqlite, HistorySql.HourSeries_SqlServer),
        };
        var rows = await c.QueryAsync<SeriesRow>(Cmd(sql, new { point.Id, range.From, range.To, Top = ReadingHistoryRange.MaxRows }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new ReadingPoint(r.At, r.MinCm, r.MaxCm, Math.Round(r.AvgCm, 2), r.LastCm, (int)r.ReadingCount)).ToList();
    }

    public async Task<IReadOnlyList<WaterAlarmRow>> AlarmsAsync(string code, Actor actor, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var point = await DeviceWrites.WaterPointAsync(c, null, code, actor, ct).ConfigureAwait(false);
        return (await c.QueryAsync<WaterAlarmRow>(Cmd(db.Pick(HistorySql.Alarms_Sqlite, HistorySql.Alarms_SqlServer), new { point.Id, Top = MaxAlarms }, null, ct)).ConfigureAwait(false)).ToList();
    }

    private sealed class SeriesRow
    {
        public DateTimeOffset At { get; init; }
        public double MinCm { get; init; }
        public double MaxCm { get; init; }
        public double AvgCm { get; init; }
        public double LastCm { get; init; }
        public long ReadingCount { get; init; }
    }
}
