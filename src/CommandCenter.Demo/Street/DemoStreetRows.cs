using CommandCenter.Domain.Model;

namespace CommandCenter.Demo.Street;

// The rows the seeder writes, one type per table; property names are the column (parameter) names.

internal sealed record StreetRow(int Id, string Code, string Name, string NameZh);

internal sealed record CommunityRow(int Id, int StreetId, string Code, string Name, string NameZh);

internal sealed record GridRow(int Id, int CommunityId, string Code, string Name, string NameZh, int Kind, string BoundaryGeoJson, double CenterLon, double CenterLat);

internal sealed record BuildingRow(int Id, int GridId, string Number, string Name, int Floors, double Lon, double Lat);

internal sealed record UnitRow(int Id, int BuildingId, int Number);

internal sealed record HouseholdRow(long Id, int UnitId, int GridId, string Room, string HeadName, int Members, string? Phone, int KeyFlags);

internal sealed record MerchantRow(int Id, int GridId, string Name, string Category, string Address, string LicenseNo);

internal sealed record StaffRow(int Id, string Name, string Phone, bool IsPartyMember, bool Active);

internal sealed record AssignmentRow(int StaffId, int GridId, int Role);

internal sealed record CameraRow(int Id, string Code, string Name, int GridId, double Lon, double Lat, bool IsOnline, DateTimeOffset? StatusAt)
{
    public string? NameZh { get; init; }

    /// <summary>A demo camera's AI raises alerts now and then, not on a beat: the silent-device check waits a day for it.</summary>
    public int ExpectedIntervalSeconds { get; init; } = 86_400;
}

internal sealed record WaterPointRow(int Id, string Code, string Name, string NameZh, int GridId, double Lon, double Lat, double WarningDepthCm, double AlarmDepthCm);

internal sealed class IncidentRow
{
    public string Number { get; set; } = "";
    public string Category { get; init; } = "";
    public int GridId { get; init; }
    public int Source { get; init; }
    public string ReporterName { get; init; } = "";
    public string? ReporterPhone { get; init; }
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public int Step { get; init; }
    public int Cycle { get; init; }
    public DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int RowVersion { get; init; }
}

internal sealed record StepEntry(IncidentStep Step, DateTimeOffset At, string Actor, string? Note);

/// <summary>An incident with the steps it has passed by now, and the camera alert it was converted from, if any.</summary>
internal sealed class IncidentPlan(IncidentRow row, IReadOnlyList<StepEntry> steps, AlertRow? convertedFrom)
{
    public IncidentRow Row { get; } = row;
    public IReadOnlyList<StepEntry> Steps { get; } = steps;
    public AlertRow? ConvertedFrom { get; } = convertedFrom;
}

internal sealed record StepLogRow(long IncidentId, int Step, DateTimeOffset At, string Actor, string? Note);

internal sealed class AlertRow
{
    public int CameraId { get; init; }
    public string Kind { get; init; } = "";
    public double Confidence { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public int Status { get; init; }
    /// <summary>When the duty desk acknowledged it (dismissing acknowledges too); null while New or for a camera status alert.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>When it was dismissed as false.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>Set once the incident it was converted into has its id.</summary>
    public long? IncidentId { get; set; }
}

/// <summary>A level a rainstorm pushed a point past (<c>WaterAlarm</c>, migration 0007), with its acknowledgement.</summary>
internal sealed record WaterAlarmRow(int WaterPointId, int Kind, DateTimeOffset RaisedAt, double DepthCm, double PeakDepthCm, DateTimeOffset? ClearedAt,
    DateTimeOffset? AcknowledgedAt);

internal sealed record ReadingRow(int WaterPointId, double DepthCm, DateTimeOffset MeasuredAt, DateTimeOffset ReceivedAt);

internal sealed record PatrolRow(int StaffId, int GridId, DateTimeOffset CheckedInAt, double Lon, double Lat, string? Note);

internal sealed record VisitRow(int StaffId, long HouseholdId, DateTimeOffset VisitedAt, string? Note);

/// <summary>Everything the seeder writes, generated before the transaction opens.</summary>
internal sealed class DemoStreetData
{
    public required StreetRow Street { get; init; }
    public List<CommunityRow> Communities { get; } = [];
    public List<GridRow> Grids { get; } = [];
    public List<BuildingRow> Buildings { get; } = [];
    public List<UnitRow> Units { get; } = [];
    public List<HouseholdRow> Households { get; } = [];
    public List<MerchantRow> Merchants { get; } = [];
    public List<StaffRow> Staff { get; } = [];
    public List<AssignmentRow> Assignments { get; } = [];
    public List<CameraRow> Cameras { get; } = [];
    public List<WaterPointRow> WaterPoints { get; } = [];
    /// <summary>In report order, so that ids rise with time.</summary>
    public List<IncidentPlan> Incidents { get; } = [];
    /// <summary>All camera alerts, converted ones included, in the order they occurred.</summary>
    public List<AlertRow> Alerts { get; } = [];
    public List<ReadingRow> Readings { get; } = [];
    /// <summary>The warnings and alarms of the past rainstorms, in the order they were raised.</summary>
    public List<WaterAlarmRow> WaterAlarms { get; } = [];
    public List<PatrolRow> Patrols { get; } = [];
    public List<VisitRow> Visits { get; } = [];
}
