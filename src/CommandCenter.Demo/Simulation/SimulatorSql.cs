using CommandCenter.Data.Common;

namespace CommandCenter.Demo.Simulation;

/// <summary>The reads of the demo simulator (it writes only through the ingestion service). Runs on both engines.</summary>
public static class SimulatorSql
{
    public const string CountStreets = "SELECT COUNT(*) FROM Street";

    public const string Grids = "SELECT Id, NameZh, CenterLon, CenterLat FROM Grid ORDER BY Id";

    /// <summary>Grid leaders and members: they patrol, visit and process.</summary>
    public const string FieldStaff =
        "SELECT a.StaffId, a.GridId, s.Name FROM StaffAssignment a JOIN Staff s ON s.Id = a.StaffId " +
        "WHERE s.Active = 1 AND a.Role IN (" + SqlEnums.RoleGridLeader + ", " + SqlEnums.RoleGridMember + ") ORDER BY a.GridId, a.StaffId";

    public const string Households = "SELECT Id, GridId, KeyFlags FROM Household ORDER BY Id";

    public const string Cameras = "SELECT Code, GridId, IsOnline FROM Camera ORDER BY Id";

    public const string WaterPoints =
        "SELECT Code, NameZh, GridId, Lon, Lat, WarningDepthCm, AlarmDepthCm FROM WaterPoint ORDER BY Id";

    public const string OpenIncidents = "SELECT Id, GridId, Step, Cycle, RowVersion FROM Incident WHERE Step < " + SqlEnums.StepClosed + " ORDER BY UpdatedAt, Id";

    /// <summary>How many New alerts and open alarms the duty desk reads in one pass.</summary>
    public const int DeskRowsMax = 500;

    /// <summary>The duty desk's account: an active, unscoped Operator or Admin.</summary>
    public const string DutyOperator =
        "SELECT Id, DisplayName FROM AppUser WHERE UserName = @UserName AND IsActive = 1 AND CommunityId IS NULL AND Role IN ('Operator', 'Admin')";

    private const string NewAlertsBody =
        "Id, Kind, Confidence, OccurredAt FROM CameraAlert WHERE Status = @New AND OccurredAt >= @Since ORDER BY Id";

    /// <summary>Camera alerts nobody has handled yet (status alerts are stored Acknowledged, so detections only).</summary>
    public const string NewAlerts_Sqlite = "SELECT " + NewAlertsBody + " LIMIT @Top";

    public const string NewAlerts_SqlServer = "SELECT TOP (@Top) " + NewAlertsBody;

    private const string OpenWaterAlarmsBody =
        "Id, Kind, RaisedAt FROM WaterAlarm WHERE AcknowledgedAt IS NULL AND RaisedAt >= @Since ORDER BY Id";

    /// <summary>Waterlogging alarms not yet acknowledged (index IX_WaterAlarm_RaisedAt).</summary>
    public const string OpenWaterAlarms_Sqlite = "SELECT " + OpenWaterAlarmsBody + " LIMIT @Top";

    public const string OpenWaterAlarms_SqlServer = "SELECT TOP (@Top) " + OpenWaterAlarmsBody;
}
