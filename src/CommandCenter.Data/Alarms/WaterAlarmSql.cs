namespace CommandCenter.Data.Alarms;

/// <summary>The SQL of waterlogging alarms (<c>WaterAlarm</c>, migration 0007); <c>_Sqlite</c> / <c>_SqlServer</c> are the engines' variants.</summary>
public static class WaterAlarmSql
{
    public const string PointSettings =
        "SELECT Id, WarningDepthCm, AlarmDepthCm, HysteresisCm, PendingSeconds, RiseLimitCmPerMin FROM WaterPoint";

    public const string OpenAlarms = "SELECT Id, WaterPointId, Kind, PeakDepthCm FROM WaterAlarm WHERE ClearedAt IS NULL";

    public const string LatestReadings =
        "SELECT r.WaterPointId, MAX(r.DepthCm) AS DepthCm, r.MeasuredAt FROM SensorReading r " +
        "JOIN (SELECT WaterPointId, MAX(MeasuredAt) AS MeasuredAt FROM SensorReading GROUP BY WaterPointId) m " +
        "ON m.WaterPointId = r.WaterPointId AND m.MeasuredAt = r.MeasuredAt GROUP BY r.WaterPointId, r.MeasuredAt";

    public const string Insert_Sqlite =
        "INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm) VALUES (@WaterPointId, @Kind, @RaisedAt, @DepthCm, @DepthCm) RETURNING Id";

    public const string Insert_SqlServer =
        "INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm) OUTPUT INSERTED.Id VALUES (@WaterPointId, @Kind, @RaisedAt, @DepthCm, @DepthCm)";

    public const string Peak = "UPDATE WaterAlarm SET PeakDepthCm = @PeakDepthCm WHERE Id = @Id AND PeakDepthCm < @PeakDepthCm";

    public const string Clear = "UPDATE WaterAlarm SET ClearedAt = @ClearedAt WHERE Id = @Id AND ClearedAt IS NULL";

    private const string ListColumns =
        "a.Id, a.WaterPointId, p.Code AS PointCode, p.Name AS PointName, p.NameZh AS PointNameZh, g.CommunityId, p.GridId, a.Kind, a.RaisedAt, a.DepthCm, " +
        "a.PeakDepthCm, a.ClearedAt, a.AcknowledgedAt, a.AcknowledgedByUserId, a.IncidentId " +
        "FROM WaterAlarm a JOIN WaterPoint p ON p.Id = a.WaterPointId JOIN Grid g ON g.Id = p.GridId ";

    public const string ById = "SELECT " + ListColumns + "WHERE a.Id = @Id";

    /// <summary>Newest first; <c>@Open</c> 1 keeps the uncleared or unacknowledged ones; <c>@CommunityId</c> NULL for the street.</summary>
    private const string ListWhere =
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@Open = 0 OR a.ClearedAt IS NULL OR a.AcknowledgedAt IS NULL) " +
        "AND (@PointCode IS NULL OR p.Code = @PointCode) ORDER BY a.RaisedAt DESC, a.Id DESC";

    public const string List_Sqlite = "SELECT " + ListColumns + ListWhere + " LIMIT @Limit";

    public const string List_SqlServer = "SELECT TOP (@Limit) " + ListColumns + ListWhere;

    public const string Acknowledge =
        "UPDATE WaterAlarm SET AcknowledgedAt = @At, AcknowledgedByUserId = @UserId WHERE Id = @Id AND AcknowledgedAt IS NULL";
}
