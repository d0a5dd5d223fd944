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
}
