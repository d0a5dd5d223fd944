using System.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Alarms;

/// <summary>The board's alarm state at load: each point's settings and open alarms (the level machine restored), and the open notices.</summary>
public static class AlarmSeed
{
    /// <summary>Notices older than this are not restored to the wall (they stay in the lists of the API and the console).</summary>
    public static readonly TimeSpan NoticeHorizon = TimeSpan.FromDays(7);

    public static async Task<List<WaterPointSeed>> WithAlarmStateAsync(DbConnection c, DbTransaction tx, List<WaterPointSeed> points, CancellationToken ct)
    {
        var settings = (await c.QueryAsync<WaterAlarmTracker.SettingsRow>(Cmd(WaterAlarmSql.PointSettings, null, tx, ct)).ConfigureAwait(false))
            .GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First().ToSettings());
        var peaks = (await c.QueryAsync<(long Id, int WaterPointId, int Kind, double PeakDepthCm)>(Cmd(WaterAlarmSql.OpenAlarms, null, tx, ct)).ConfigureAwait(false))
            .Where(o => Enum.IsDefined((WaterAlarmKind)o.Kind))
            .GroupBy(o => o.WaterPointId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<WaterAlarmKind, double>)g.GroupBy(o => (WaterAlarmKind)o.Kind).ToDictionary(k => k.Key, k => k.MaxBy(o => o.Id).PeakDepthCm));
        return [.. points.Select(p => p with
        {
            Settings = settings.GetValueOrDefault(p.Id),
            OpenAlarmPeaks = peaks.GetValueOrDefault(p.Id) ?? new Dictionary<WaterAlarmKind, double>(),
        })];
    }

    /// <summary>Unacknowledged Alarm-level water alarms and New camera alerts of the horizon; the board keeps the alerts its notice rule picks.</summary>
    public static async Task<List<NoticeItem>> OpenNoticesAsync(DbConnection c, DbTransaction tx, DbConnectionFactory db, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { Since = now - NoticeHorizon, Alarm = (int)WaterAlarmKind.Alarm, New = (int)AlertStatus.New, Top = NoticeRowsMax };
        var water = await c.QueryAsync<NoticeRow>(Cmd(db.Pick(NoticeSql.Water_Sqlite, NoticeSql.Water_SqlServer), args, tx, ct)).ConfigureAwait(false);
        var alerts = await c.QueryAsync<NoticeRow>(Cmd(db.Pick(NoticeSql.Alerts_Sqlite, NoticeSql.Alerts_SqlServer), args, tx, ct)).ConfigureAwait(false);
        return
        [
            .. water.Select(w => new NoticeItem(AlarmSource.WaterAlarm, w.Id, w.GridId, w.Name, w.NameZh, nameof(WaterAlarmKind.Alarm), w.Value, w.At)),
            .. alerts.Select(a => new NoticeItem(AlarmSource.CameraAlert, a.Id, a.GridId, a.Name, a.NameZh, a.Kind, a.Value, a.At)),
        ];
    }

    private const int NoticeRowsMax = 2000;

    private sealed class NoticeRow
    {
        public long Id { get; init; }
        public int GridId { get; init; }
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
        public string Kind { get; init; } = "";
        public double Value { get; init; }
        public DateTimeOffset At { get; init; }
    }
}

public static class NoticeSql
{
    private const string WaterBody =
        "a.Id, p.GridId, p.Name, p.NameZh, a.PeakDepthCm AS Value, a.RaisedAt AS At FROM WaterAlarm a JOIN WaterPoint p ON p.Id = a.WaterPointId " +
        "WHERE a.Kind = @Alarm AND a.AcknowledgedAt IS NULL AND a.RaisedAt >= @Since ORDER BY a.RaisedAt DESC";

    public const string Water_Sqlite = "SELECT " + WaterBody + " LIMIT @Top";

    public const string Water_SqlServer = "SELECT TOP (@Top) " + WaterBody;

    private const string AlertBody =
        "a.Id, c.GridId, c.Name, c.Name AS NameZh, a.Kind, a.Confidence AS Value, a.OccurredAt AS At FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId " +
        "WHERE a.Status = @New AND a.OccurredAt >= @Since ORDER BY a.OccurredAt DESC";

    public const string Alerts_Sqlite = "SELECT " + AlertBody + " LIMIT @Top";

    public const string Alerts_SqlServer = "SELECT TOP (@Top) " + AlertBody;
}
