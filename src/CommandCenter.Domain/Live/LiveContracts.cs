using System.Text.Json.Serialization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

// ---- Events: what ingestion publishes after a commit. ----

/// <summary>Something that changed in the street, published after its transaction committed.</summary>
[JsonDerivedType(typeof(IncidentEvent), "incident")]
[JsonDerivedType(typeof(CameraAlertEvent), "alert")]
[JsonDerivedType(typeof(CameraStatusEvent), "camera")]
[JsonDerivedType(typeof(ReadingsEvent), "readings")]
[JsonDerivedType(typeof(PatrolEvent), "patrol")]
[JsonDerivedType(typeof(VisitEvent), "visit")]
public abstract record LiveEvent;

/// <summary>An incident was reported or moved to <see cref="Step"/>.</summary>
public sealed record IncidentEvent(
    long Id, string Number, string Category, int GridId, string Title,
    IncidentStep Step, IncidentStep? PreviousStep,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt, DateTimeOffset At) : LiveEvent;

public sealed record CameraAlertEvent(
    long Id, int CameraId, string Kind, double Confidence, DateTimeOffset OccurredAt) : LiveEvent;

public sealed record CameraStatusEvent(int CameraId, bool Online, DateTimeOffset At) : LiveEvent;

public sealed record Reading(int WaterPointId, double DepthCm, DateTimeOffset MeasuredAt);

public sealed record ReadingsEvent(IReadOnlyList<Reading> Readings) : LiveEvent;

public sealed record PatrolEvent(int GridId, int StaffId, DateTimeOffset At) : LiveEvent;

public sealed record VisitEvent(long HouseholdId, int GridId, bool IsKeyHousehold, DateTimeOffset At) : LiveEvent;

/// <summary>Where committed changes go: the live board of this node (and, later, other nodes).</summary>
public interface ILiveEventSink
{
    void Publish(LiveEvent liveEvent);
}

// ---- Snapshot: the whole live state, as the first paint and GET /api/v1/snapshot see it. ----

public sealed record LiveSnapshot(
    long Version,
    DateTimeOffset GeneratedAt,
    DateTimeOffset? LastEventAt,
    StreetSummary Street,
    IncidentStats Incidents,
    CoverageStats Coverage,
    CameraStats Cameras,
    IReadOnlyList<AlertItem> RecentAlerts,
    IReadOnlyList<WaterPointState> WaterPoints,
    IReadOnlyList<GridState> Grids,
    IReadOnlyList<CameraMark> CameraMarks);

public sealed record StreetSummary(string Name, string NameZh, IReadOnlyList<CommunitySummary> Communities, MapBounds Bounds);

public sealed record CommunitySummary(int Id, string Name, string NameZh);

public sealed record MapBounds(double MinLon, double MinLat, double MaxLon, double MaxLat);

public sealed record IncidentStats(
    int ReportedToday, int ClosedToday, int Open, int Overdue,
    IReadOnlyList<StepCount> ByStep, IReadOnlyList<KeyCount> ByCategory, IReadOnlyList<KeyCount> ByCommunity);

public sealed record StepCount(IncidentStep Step, int Count);

/// <summary>A count under a key: a category code, or a community id written as text.</summary>
public sealed record KeyCount(string Key, int Count);

public sealed record CoverageStats(
    int Grids, int GridsStaffed, int GridsPatrolledToday,
    int Households, int HouseholdsVisitedThisMonth,
    int KeyHouseholds, int KeyHouseholdsVisitedThisWeek,
    int GridsWithOnlineCamera);

public sealed record CameraStats(int Total, int Online, int Offline, int AlertsToday);

public sealed record AlertItem(
    long Id, int CameraId, string CameraName, int GridId, string Kind, double Confidence,
    DateTimeOffset OccurredAt, AlertStatus Status);

public sealed record WaterPointState(
    int Id, string Code, string Name, string NameZh, int GridId, double Lon, double Lat,
    double WarningCm, double AlarmCm, double? DepthCm, DateTimeOffset? ReadingAt, WaterLevel Level,
    DateTimeOffset TrendStart, IReadOnlyList<double?> Trend);

public sealed record GridState(
    int Id, int CommunityId, string Code, string Name, string NameZh, GridKind Kind,
    IReadOnlyList<double[]> Polygon, int OpenIncidents, bool Staffed, bool PatrolledToday);

public sealed record CameraMark(int Id, string Code, string Name, int GridId, double Lon, double Lat, bool Online);

public sealed record GridHeat(int GridId, int OpenIncidents, bool PatrolledToday);

public sealed record IncidentItem(long Id, string Number, string Category, int GridId, string Title, IncidentStep Step, DateTimeOffset At);

// ---- Change: what travels after the first paint. ----

/// <summary>
/// One change of the live board. <see cref="Version"/> rises by one per change. Each non-null section
/// replaces the section of the same name in the snapshot (or, for <see cref="Alert"/>, is prepended to
/// the recent alerts; for <see cref="Grid"/>, <see cref="Camera"/> and <see cref="WaterPoints"/>, replaces
/// the entries with the same id). A client that sees a gap in versions, or the kind "resync", refetches the snapshot.
/// </summary>
public sealed record LiveChange(long Version, DateTimeOffset At, string Kind)
{
    public IncidentStats? Incidents { get; init; }
    public IncidentItem? Incident { get; init; }
    public GridHeat? Grid { get; init; }
    public CoverageStats? Coverage { get; init; }
    public CameraStats? Cameras { get; init; }
    public AlertItem? Alert { get; init; }
    public CameraMark? Camera { get; init; }
    public IReadOnlyList<WaterPointState>? WaterPoints { get; init; }
}

/// <summary>The live board as components, the hub and the API see it.</summary>
public interface ILiveBoard
{
    long Version { get; }

    LiveSnapshot GetSnapshot();

    /// <summary>The snapshot of one community only (for callers scoped to it); null gives the whole street.</summary>
    LiveSnapshot GetSnapshot(int? communityId);

    /// <summary>Calls <paramref name="onChange"/> after every change, in order, on the publishing thread: keep it short.</summary>
    IDisposable Subscribe(Action<LiveChange> onChange);
}

// ---- Seed: the state loaded from the database when the board starts or re-syncs. ----

public sealed record GridSeed(
    int Id, int CommunityId, string Code, string Name, string NameZh, GridKind Kind,
    IReadOnlyList<double[]> Polygon, bool Staffed);

public sealed record WaterPointSeed(
    int Id, string Code, string Name, string NameZh, int GridId, double Lon, double Lat,
    double WarningCm, double AlarmCm, IReadOnlyList<Reading> RecentReadings);

public sealed record OpenIncidentSeed(
    long Id, string Number, string Category, int GridId, string Title, IncidentStep Step,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt);

public sealed class BoardSeed
{
    public string StreetName { get; init; } = "";
    public string StreetNameZh { get; init; } = "";
    public IReadOnlyList<CommunitySummary> Communities { get; init; } = [];
    public IReadOnlyList<GridSeed> Grids { get; init; } = [];
    public IReadOnlyList<CameraMark> Cameras { get; init; } = [];
    public IReadOnlyList<WaterPointSeed> WaterPoints { get; init; } = [];
    public IReadOnlyList<OpenIncidentSeed> OpenIncidents { get; init; } = [];
    public int ReportedToday { get; init; }
    public int ClosedToday { get; init; }
    public IReadOnlyList<int> GridsPatrolledToday { get; init; } = [];
    public int Households { get; init; }
    public int KeyHouseholds { get; init; }
    public IReadOnlyList<long> HouseholdsVisitedThisMonth { get; init; } = [];
    public IReadOnlyList<long> KeyHouseholdsVisitedThisWeek { get; init; } = [];
    /// <summary>Newest first.</summary>
    public IReadOnlyList<AlertItem> RecentAlerts { get; init; } = [];
    public int AlertsToday { get; init; }
    public DateTimeOffset? LastEventAt { get; init; }

    // Per-grid figures, so that a community's own snapshot can be cut from the board.
    public IReadOnlyDictionary<int, int> ReportedTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> ClosedTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> AlertsTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> HouseholdsByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> KeyHouseholdsByGrid { get; init; } = new Dictionary<int, int>();
    /// <summary>The grid of each household in <see cref="HouseholdsVisitedThisMonth"/> (and the key ones of this week).</summary>
    public IReadOnlyDictionary<long, int> VisitedHouseholdGrids { get; init; } = new Dictionary<long, int>();
}
