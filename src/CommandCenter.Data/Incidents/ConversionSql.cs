namespace CommandCenter.Data.Incidents;

/// <summary>The SQL of turning a camera alert or a waterlogging alarm into an incident (issue 9).</summary>
public static class ConversionSql
{
    private const string AlertColumns =
        "SELECT a.Id, a.Kind, a.Confidence, a.OccurredAt, a.RepeatCount, a.IncidentId, c.Code, c.Name, c.NameZh, c.GridId, c.Lon, c.Lat, g.CommunityId " +
        "FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId";

    public const string Alert_Sqlite = AlertColumns + " WHERE a.Id = @Id";

    /// <summary>Locks the alert's row: two concurrent conversions make one incident.</summary>
    public const string Alert_SqlServer =
        "SELECT a.Id, a.Kind, a.Confidence, a.OccurredAt, a.RepeatCount, a.IncidentId, c.Code, c.Name, c.NameZh, c.GridId, c.Lon, c.Lat, g.CommunityId " +
        "FROM CameraAlert a WITH (UPDLOCK, HOLDLOCK) JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId WHERE a.Id = @Id";

    private const string AlarmColumns =
        "SELECT a.Id, a.Kind, a.RaisedAt, a.DepthCm, a.PeakDepthCm, a.IncidentId, p.Code, p.Name, p.NameZh, p.GridId, p.Lon, p.Lat, g.CommunityId " +
        "FROM WaterAlarm a JOIN WaterPoint p ON p.Id = a.WaterPointId JOIN Grid g ON g.Id = p.GridId";

    public const string Alarm_Sqlite = AlarmColumns + " WHERE a.Id = @Id";

    public const string Alarm_SqlServer =
        "SELECT a.Id, a.Kind, a.RaisedAt, a.DepthCm, a.PeakDepthCm, a.IncidentId, p.Code, p.Name, p.NameZh, p.GridId, p.Lon, p.Lat, g.CommunityId " +
        "FROM WaterAlarm a WITH (UPDLOCK, HOLDLOCK) JOIN WaterPoint p ON p.Id = a.WaterPointId JOIN Grid g ON g.Id = p.GridId WHERE a.Id = @Id";

    public const string IncidentSummary = "SELECT Id, Number, Step, ReportedAt, DueAt FROM Incident WHERE Id = @Id";

    public const string IncidentOfAlert = "SELECT Id FROM Incident WHERE SourceAlertId = @Id";

    public const string IncidentOfAlarm = "SELECT Id FROM Incident WHERE SourceAlarmId = @Id";

    public const string SetIncidentAlert = "UPDATE Incident SET SourceAlertId = @SourceId WHERE Id = @Id";

    public const string SetIncidentAlarm = "UPDATE Incident SET SourceAlarmId = @SourceId WHERE Id = @Id";

    /// <summary>The alert becomes Converted (status 4) and points to its incident.</summary>
    public const string LinkAlert = "UPDATE CameraAlert SET IncidentId = @IncidentId, Status = 4 WHERE Id = @Id AND IncidentId IS NULL";

    /// <summary>
    /// The alarm points to its incident and counts as acknowledged by whoever converted it (when nobody had), so its notice
    /// stays down after a restart (the board's loader brings back unacknowledged alarms only).
    /// </summary>
    public const string LinkAlarm =
        "UPDATE WaterAlarm SET IncidentId = @IncidentId, " +
        "AcknowledgedByUserId = CASE WHEN AcknowledgedAt IS NULL THEN @UserId ELSE AcknowledgedByUserId END, " +
        "AcknowledgedAt = COALESCE(AcknowledgedAt, @At) " +
        "WHERE Id = @Id AND IncidentId IS NULL";
}
