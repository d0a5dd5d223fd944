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
    IReadOnlyList<CameraMark> CameraMarks)
{
    /// <summary>Trends over the day, the week and the month (the street's, or the community's in a scoped snapshot).</summary>
    public TrendStats Trends { get; init; } = TrendStats.Empty;

    /// <summary>Open notices, newest first: they hold a banner on the wall and a notification in the console until acknowledged.</summary>
    public IReadOnlyList<NoticeItem> Notices { get; init; } = [];
}

public sealed record StreetSummary(string Name, string NameZh, IReadOnlyList<CommunitySummary> Communities, MapBounds Bounds);

public sealed record CommunitySummary(int Id, string Name, string NameZh);

public sealed record MapBounds(double MinLon, double MinLat, double MaxLon, double MaxLat);

public sealed record IncidentStats(
    int ReportedToday, int ClosedToday, int Open, int Overdue,
    IReadOnlyList<StepCount> ByStep, IReadOnlyList<KeyCount> ByCategory, IReadOnlyList<KeyCount> ByCommunity)
{
    /// <summary>The closed loop's figures: open by cycle, the overdue list, escalations, on-time closure and handling time.</summary>
    public LoopStats Loop { get; init; } = LoopStats.Empty;
}

/// <summary>
/// The loop on the wall: open incidents by cycle (by step is <see cref="IncidentStats.ByStep"/>), the most overdue ones
/// with how late each is, escalations in the last hour, and closures (checked and closed; rejected ones aside) today
/// and this week with the share closed by their deadline and the mean time from report to close.
/// </summary>
public sealed record LoopStats(
    IReadOnlyList<CycleCount> ByCycle, IReadOnlyList<OverdueItem> Overdue, int EscalationsLastHour, ClosureStats Today, ClosureStats ThisWeek)
{
    /// <summary>How many overdue incidents the list holds at most (most late first).</summary>
    public const int OverdueListSize = 20;

    public static readonly LoopStats Empty = new(
        [new(IncidentCycle.Micro, 0), new(IncidentCycle.Small, 0), new(IncidentCycle.Large, 0)], [], 0, ClosureStats.Empty, ClosureStats.Empty);
}

public sealed record CycleCount(IncidentCycle Cycle, int Count);

/// <summary>An overdue open incident: <see cref="LateMinutes"/> is how late it was when the snapshot was taken.</summary>
public sealed record OverdueItem(long Id, string Number, string Category, int GridId, string Title, IncidentStep Step, IncidentCycle Cycle,
    DateTimeOffset DueAt, int LateMinutes);

/// <summary>Checked-and-closed incidents in a period: how many, how many by their deadline, the rate, the mean hours from report to close.</summary>
public sealed record ClosureStats(int Closed, int OnTime, double? OnTimeRate, double? MeanHandlingHours)
{
    public static readonly ClosureStats Empty = new(0, 0, null, null);
}

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
    DateTimeOffset OccurredAt, AlertStatus Status)
{
    /// <summary>Occurrences folded into this alert (repeats of its camera and kind within the fold window), itself included.</summary>
    public int RepeatCount { get; init; } = 1;

    /// <summary>When the latest folded repeat occurred; null: no repeat (<see cref="OccurredAt"/>).</summary>
    public DateTimeOffset? LastOccurredAt { get; init; }
}

public sealed record WaterPointState(
    int Id, string Code, string Name, string NameZh, int GridId, double Lon, double Lat,
    double WarningCm, double AlarmCm, double? DepthCm, DateTimeOffset? ReadingAt, WaterLevel Level,
    DateTimeOffset TrendStart, IReadOnlyList<double?> Trend);

public sealed record GridState(
    int Id, int CommunityId, string Code, string Name, string NameZh, GridKind Kind,
    IReadOnlyList<double[]> Polygon, int OpenIncidents, bool Staffed, bool PatrolledToday, int OverdueIncidents = 0)
{
    /// <summary>The least advanced step among the grid's open incidents (the map colours its mark by it); null when none is open.</summary>
    public IncidentStep? EarliestStep { get; init; }
}

public sealed record CameraMark(int Id, string Code, string Name, int GridId, double Lon, double Lat, bool Online)
{
    /// <summary>The English name (<see cref="Name"/> is the Chinese one where the registry has it); null: <see cref="Name"/>.</summary>
    public string? NameEn { get; init; }

    /// <summary>When the camera last went on- or offline (the wall's list of offline devices shows "since").</summary>
    public DateTimeOffset? StatusAt { get; init; }
}

public sealed record GridHeat(int GridId, int OpenIncidents, bool PatrolledToday);

/// <summary>
/// Trends, in the street's local days and clock hours. Hourly arrays hold 24 values (local hours 0–23 of today,
/// from <see cref="TodayStart"/>, and of the same weekday last week); daily arrays hold <see cref="Days"/> values,
/// oldest first, from <see cref="FirstDay"/> to today (the 7-day series is the last 7). <see cref="Categories"/>
/// are the incidents reported per day by category, categories with none in the window left out, most first.
/// <see cref="Alarms"/> counts the waterlogging alarms the level machine raised at the Alarm level (<see cref="TrendSeedBuilder.CountsAsAlarm(CommandCenter.Domain.Readings.WaterAlarmKind)"/>).
/// </summary>
public sealed record TrendStats(
    DateTimeOffset TodayStart, DateOnly FirstDay,
    IReadOnlyList<int> ReportedByHour, IReadOnlyList<int> ClosedByHour,
    IReadOnlyList<int> ReportedByHourLastWeek, IReadOnlyList<int> ClosedByHourLastWeek,
    IReadOnlyList<CategorySeries> Categories, IReadOnlyList<int> Alerts, IReadOnlyList<int> Alarms)
{
    public const int Days = 30;

    public static readonly TrendStats Empty = new(DateTimeOffset.UnixEpoch, DateOnly.FromDateTime(DateTime.UnixEpoch),
        new int[24], new int[24], new int[24], new int[24], [], new int[Days], new int[Days]);
}

/// <summary>Incidents of one category reported per day (<see cref="TrendStats.Days"/> values, oldest first).</summary>
public sealed record CategorySeries(string Key, IReadOnlyList<int> Days);

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
    /// <summary>A notice was raised or acknowledged (an alert's or alarm's status changed).</summary>
    Notice = 8,
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
    Trends = 64,
    /// <summary>The open notices (an Alarm level, a high-confidence fire/smoke alert) until acknowledged.</summary>
    Notices = 128,
    All = Incidents | Coverage | Cameras | Alerts | Water | Grids | Trends | Notices,
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
/// <see cref="CameraStats"/>, <see cref="Trends"/>) is present when it changed, and is at least as new as <see cref="ToVersion"/>.
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
    public TrendStats? Trends { get; init; }

    /// <summary>The open notices (the caller's community's) when they changed in this batch; null when they did not.</summary>
    public IReadOnlyList<NoticeItem>? Notices { get; init; }
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
    double WarningCm, double AlarmCm, IReadOnlyList<Reading> RecentReadings)
{
    /// <summary>The point's alarm settings (margin, pending time, rise limit); null: the lines alone, no margin or pending time.</summary>
    public CommandCenter.Domain.Readings.LevelSettings? Settings { get; init; }

    /// <summary>How often the sensor reports; with the board's silence margin it decides when the point is silent (<see cref="Devices.DeviceRules.IsSilent"/>).</summary>
    public int ExpectedIntervalSeconds { get; init; } = 300;

    /// <summary>The status the silent-device job stored (<c>WaterPoint.IsOnline</c>) and when (<c>StatusAt</c>).</summary>
    public bool IsOnline { get; init; } = true;

    public DateTimeOffset? StatusAt { get; init; }

    /// <summary>The peak depth of each open WaterAlarm row of the point, by kind (restores the level machine).</summary>
    public IReadOnlyDictionary<CommandCenter.Domain.Readings.WaterAlarmKind, double> OpenAlarmPeaks { get; init; } =
        new Dictionary<CommandCenter.Domain.Readings.WaterAlarmKind, double>();
}

public sealed record OpenIncidentSeed(
    long Id, string Number, string Category, int GridId, string Title, IncidentStep Step,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt)
{
    public IncidentCycle Cycle { get; init; } = IncidentCycle.Micro;
}

/// <summary>An incident checked and closed this week (for the on-time rate and handling time).</summary>
public sealed record ClosureSeed(int GridId, DateTimeOffset ReportedAt, DateTimeOffset ClosedAt, bool OnTime);

/// <summary>An escalation recorded on the timeline (for escalations in the last hour).</summary>
public sealed record EscalationSeed(long IncidentId, int GridId, DateTimeOffset At);

public sealed class BoardSeed
{
    public string StreetName { get; init; } = "";
    public string StreetNameZh { get; init; } = "";
    public IReadOnlyList<CommunitySummary> Communities { get; init; } = [];
    public IReadOnlyList<GridSeed> Grids { get; init; } = [];
    public IReadOnlyList<CameraMark> Cameras { get; init; } = [];
    public IReadOnlyList<WaterPointSeed> WaterPoints { get; init; } = [];
    public IReadOnlyList<OpenIncidentSeed> OpenIncidents { get; init; } = [];
    /// <summary>Incidents checked and closed since the start of this week (street time).</summary>
    public IReadOnlyList<ClosureSeed> ClosedThisWeek { get; init; } = [];
    /// <summary>Escalations of the last hour.</summary>
    public IReadOnlyList<EscalationSeed> RecentEscalations { get; init; } = [];
    public IReadOnlyList<int> GridsPatrolledToday { get; init; } = [];
    public IReadOnlyList<long> HouseholdsVisitedThisMonth { get; init; } = [];
    public IReadOnlyList<long> KeyHouseholdsVisitedThisWeek { get; init; } = [];
    /// <summary>Newest first.</summary>
    public IReadOnlyList<AlertItem> RecentAlerts { get; init; } = [];
    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>The highest row id of each event stream when this seed was read (in one read transaction).</summary>
    public IReadOnlyDictionary<EventStream, long> HighWater { get; init; } = new Dictionary<EventStream, long>();

    /// <summary>The notices not yet acknowledged (open Alarm-level water alarms, unacknowledged high-confidence fire/smoke alerts).</summary>
    public IReadOnlyList<NoticeItem> Notices { get; init; } = [];

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

    /// <summary>What the trends count, by local day and hour, over their window (built with <see cref="TrendSeedBuilder"/>).</summary>
    public IReadOnlyList<TrendCount> Trends { get; init; } = [];
}

/// <summary>What a trend counts: an incident reported or closed, a camera alert, a waterlogging alarm raised at the Alarm level.</summary>
public enum TrendKind
{
    Reported = 1,
    Closed = 2,
    Alert = 3,
    Alarm = 4,
}

/// <summary>How many of <see cref="Kind"/> in one grid, category (reports only), local day and local hour (reports and closes only; else 0).</summary>
public sealed record TrendCount(TrendKind Kind, int GridId, string? Category, DateOnly Day, int Hour, int Count);

/// <summary>
/// Gathers the trends' history as the database is read, row by row, into counts by grid, category, local day and
/// hour: the same bucketing the board applies to events, so a board loaded from the database equals one kept by events.
/// </summary>
public sealed class TrendSeedBuilder(BoardClock clock)
{
    /// <summary>Hourly figures are kept for today and the 7 days before (today's weekday last week, and the days that will become it).</summary>
    public const int HourlyDays = 8;

    private readonly Dictionary<(TrendKind, int, string?, DateOnly, int), int> _counts = [];

    public DateOnly Today { get; } = clock.Today;

    /// <summary>The first instant the daily series need: the start of the oldest day of the window.</summary>
    public DateTimeOffset DaysStart => clock.StartOf(Today.AddDays(-(TrendStats.Days - 1)));

    /// <summary>The first instant the hourly figures need.</summary>
    public DateTimeOffset HoursStart => clock.StartOf(Today.AddDays(-(HourlyDays - 1)));

    public void Add(TrendKind kind, int gridId, string? category, DateTimeOffset at)
    {
        var local = clock.ToLocal(at);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (day > Today || day.DayNumber <= Today.DayNumber - TrendStats.Days) return;
        var hour = kind is TrendKind.Reported or TrendKind.Closed ? local.Hour : 0;
        if (kind == TrendKind.Closed && day.DayNumber <= Today.DayNumber - HourlyDays) return;
        var key = (kind, gridId, kind == TrendKind.Reported ? category ?? "" : null, day, hour);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
    }

    /// <summary>
    /// The one rule of the trends' alarm counter: what the level machine raised at the Alarm level (a <c>WaterAlarm</c> row
    /// of kind Alarm — hysteresis and pending time applied; not a Warning, not a rate-of-rise alarm), counted on the day it
    /// was raised. The board counts the Raised transitions its readings events carry, the loader the rows.
    /// </summary>
    public static bool CountsAsAlarm(CommandCenter.Domain.Readings.WaterAlarmKind kind) => kind == CommandCenter.Domain.Readings.WaterAlarmKind.Alarm;

    /// <summary><see cref="CountsAsAlarm"/> for a transition of a readings event: an alarm raised (not peaked, not cleared).</summary>
    public static bool CountsAsAlarm(CommandCenter.Domain.Readings.WaterAlarmChange change) =>
        change.Type == CommandCenter.Domain.Readings.AlarmTransitionType.Raised && CountsAsAlarm(change.Kind);

    public IReadOnlyList<TrendCount> Build() =>
        [.. _counts.Select(kv => new TrendCount(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Key.Item4, kv.Key.Item5, kv.Value))];
}
