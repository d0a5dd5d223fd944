using System.Text.Json.Serialization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

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
    IReadOnlyList<double[]> Polygon, int OpenIncidents, bool Staffed, bool PatrolledToday, int OverdueIncidents = 0);

public sealed record CameraMark(int Id, string Code, string Name, int GridId, double Lon, double Lat, bool Online);

public sealed record GridHeat(int GridId, int OpenIncidents, bool PatrolledToday);

public sealed record IncidentItem(long Id, string Number, string Category, int GridId, string Title, IncidentStep Step, DateTimeOffset At);

// ---- Change: what the board tells its subscribers, and what the hub sends. ----

/// <summary>What kind of change raised the board's version.</summary>
public enum ChangeKind
{
    /// <summary>The board was (re)loaded from the database: refetch the snapshot.</summary>
    Resync = 0,
    /// <summary>Time passed: a new day, incidents overdue, sensors silent.</summary>
    Tick = 1,
    Incident = 2,
    Alert = 3,
    Camera = 4,
    Readings = 5,
    Patrol = 6,
    Visit = 7,
}

/// <summary>Which sections of the snapshot a change touched.</summary>
[Flags]
public enum LiveSections
{
    None = 0,
    Incidents = 1,
    Coverage = 2,
    Cameras = 4,
    Alerts = 8,
    Water = 16,
    Grids = 32,
    All = Incidents | Coverage | Cameras | Alerts | Water | Grids,
}

/// <summary>
/// One change of the live board, as subscribers in this process see it. <see cref="Version"/> rises by one per
/// change. It names the items that moved and the sections it touched; the sections themselves are read from the
/// board when needed (built once per version), so a change costs the same however much the board holds.
/// </summary>
public sealed record LiveChange(long Version, DateTimeOffset At, ChangeKind Kind)
{
    public LiveSections Sections { get; init; }
    public IncidentItem? Incident { get; init; }
    public GridHeat? Grid { get; init; }
    public AlertItem? Alert { get; init; }
    public CameraMark? Camera { get; init; }
    public IReadOnlyList<WaterPointState>? WaterPoints { get; init; }
}

/// <summary>
/// What a hub client receives: every change in versions <see cref="FromVersion"/>..<see cref="ToVersion"/> merged
/// into one message (at most one per <c>LiveHub</c> interval). Lists hold every item that moved in the window, in its
/// latest state (alerts newest first); a section (<see cref="IncidentStats"/>, <see cref="Coverage"/>,
/// <see cref="CameraStats"/>) is present when it changed, and is at least as new as <see cref="ToVersion"/>.
/// <see cref="Resync"/> (or a <see cref="FromVersion"/> past the client's version + 1) means: refetch the snapshot.
/// </summary>
public sealed record LiveBatch(long FromVersion, long ToVersion, DateTimeOffset At, bool Resync)
{
    public IReadOnlyList<IncidentItem> Incidents { get; init; } = [];
    public IReadOnlyList<GridHeat> Grids { get; init; } = [];
    public IReadOnlyList<AlertItem> Alerts { get; init; } = [];
    public IReadOnlyList<CameraMark> Cameras { get; init; } = [];
    public IReadOnlyList<WaterPointState> WaterPoints { get; init; } = [];
    public IncidentStats? IncidentStats { get; init; }
    public CoverageStats? Coverage { get; init; }
    public CameraStats? CameraStats { get; init; }
}

/// <summary>The live board as components, the hub and the API see it.</summary>
public interface ILiveBoard
{
    long Version { get; }

    LiveSnapshot GetSnapshot();

    /// <summary>The snapshot of one community only (for callers scoped to it); null gives the whole street.</summary>
    LiveSnapshot GetSnapshot(int? communityId);

    /// <summary>
    /// Calls <paramref name="onChange"/> after every change, in version order, outside the board's lock, on a
    /// publishing thread: keep it short (note the change, schedule work).
    /// </summary>
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
    public IReadOnlyList<int> GridsPatrolledToday { get; init; } = [];
    public IReadOnlyList<long> HouseholdsVisitedThisMonth { get; init; } = [];
    public IReadOnlyList<long> KeyHouseholdsVisitedThisWeek { get; init; } = [];
    /// <summary>Newest first.</summary>
    public IReadOnlyList<AlertItem> RecentAlerts { get; init; } = [];
    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>The highest row id of each event stream when this seed was read (in one read transaction).</summary>
    public IReadOnlyDictionary<EventStream, long> HighWater { get; init; } = new Dictionary<EventStream, long>();

    /// <summary>Rows the loader skipped, each with why: the board loads without them.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    // Per-grid figures, so that a community's own snapshot can be cut from the board.
    public IReadOnlyDictionary<int, int> ReportedTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> ClosedTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> AlertsTodayByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> HouseholdsByGrid { get; init; } = new Dictionary<int, int>();
    public IReadOnlyDictionary<int, int> KeyHouseholdsByGrid { get; init; } = new Dictionary<int, int>();
    /// <summary>The grid of each household in <see cref="HouseholdsVisitedThisMonth"/> (and the key ones of this week).</summary>
    public IReadOnlyDictionary<long, int> VisitedHouseholdGrids { get; init; } = new Dictionary<long, int>();
}
