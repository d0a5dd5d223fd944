using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

/// <summary>
/// The live state of one node, in memory. Loaded once from a <see cref="BoardSeed"/>, then kept current
/// by <see cref="Publish"/> (events after commit) and <see cref="Tick"/> (the passing of time: overdue
/// incidents, silent sensors, a new day). Every change raises the version by one and is handed to
/// subscribers as a <see cref="LiveChange"/>. Nothing here touches the database.
/// </summary>
public sealed class LiveBoard : ILiveBoard, ILiveEventSink
{
    public const int TrendBuckets = 96;
    public static readonly TimeSpan TrendBucket = TimeSpan.FromMinutes(15);
    public const int RecentAlertCapacity = 30;

    private readonly Lock _lock = new();
    private readonly BoardClock _clock;
    private readonly TimeSpan _silentAfter;
    private readonly List<Action<LiveChange>> _subscribers = [];

    private BoardSeed _seed = new();
    private readonly Dictionary<int, GridSeed> _grids = [];
    private readonly Dictionary<int, int> _gridCommunity = [];
    private readonly Dictionary<long, OpenIncidentSeed> _open = [];
    private readonly Dictionary<int, int> _openByGrid = [];
    private readonly Dictionary<int, CameraMark> _cameras = [];
    private readonly Dictionary<int, WaterRuntime> _water = [];
    private readonly HashSet<int> _patrolledToday = [];
    private readonly HashSet<long> _visitedThisMonth = [];
    private readonly HashSet<long> _keyVisitedThisWeek = [];
    private readonly List<AlertItem> _recentAlerts = [];
    private int _reportedToday, _closedToday, _alertsToday, _overdue;
    private readonly Dictionary<int, int> _reportedTodayByGrid = [];
    private readonly Dictionary<int, int> _closedTodayByGrid = [];
    private readonly Dictionary<int, int> _alertsTodayByGrid = [];
    private readonly Dictionary<long, int> _householdGrid = [];
    private readonly Dictionary<int, LiveSnapshot> _scopedCache = [];
    private DateOnly _day, _weekStart;
    private (int Year, int Month) _month;
    private long _version;
    private DateTimeOffset? _lastEventAt;
    private LiveSnapshot? _cached;

    public LiveBoard(BoardClock clock, TimeSpan? silentAfter = null)
    {
        _clock = clock;
        _silentAfter = silentAfter ?? TimeSpan.FromMinutes(10);
        SetPeriods();
    }

    public long Version
    {
        get { lock (_lock) { return _version; } }
    }

    public BoardClock Clock => _clock;

    /// <summary>The communities of the street, without building a snapshot.</summary>
    public IReadOnlyList<CommunitySummary> Communities
    {
        get { lock (_lock) { return _seed.Communities; } }
    }

    /// <summary>Replaces the whole state (first load or re-sync) and tells subscribers to refetch.</summary>
    public void Load(BoardSeed seed)
    {
        lock (_lock)
        {
            _seed = seed;
            _grids.Clear(); _gridCommunity.Clear(); _open.Clear(); _openByGrid.Clear();
            _cameras.Clear(); _water.Clear(); _patrolledToday.Clear(); _visitedThisMonth.Clear();
            _keyVisitedThisWeek.Clear(); _recentAlerts.Clear();
            SetPeriods();
            foreach (var g in seed.Grids)
            {
                _grids[g.Id] = g;
                _gridCommunity[g.Id] = g.CommunityId;
            }

            foreach (var i in seed.OpenIncidents.Where(i => IncidentSteps.IsOpen(i.Step)))
            {
                _open[i.Id] = i;
                Bump(_openByGrid, i.GridId, +1);
            }

            foreach (var c in seed.Cameras) _cameras[c.Id] = c;
            foreach (var w in seed.WaterPoints)
            {
                var rt = new WaterRuntime(w);
                foreach (var r in w.RecentReadings.OrderBy(r => r.MeasuredAt)) rt.Add(r);
                _water[w.Id] = rt;
            }

            _patrolledToday.UnionWith(seed.GridsPatrolledToday);
            _visitedThisMonth.UnionWith(seed.HouseholdsVisitedThisMonth);
            _keyVisitedThisWeek.UnionWith(seed.KeyHouseholdsVisitedThisWeek);
            _recentAlerts.AddRange(seed.RecentAlerts.Take(RecentAlertCapacity));
            _reportedTodayByGrid.Clear(); _closedTodayByGrid.Clear(); _alertsTodayByGrid.Clear(); _householdGrid.Clear();
            foreach (var (k, n) in seed.ReportedTodayByGrid) _reportedTodayByGrid[k] = n;
            foreach (var (k, n) in seed.ClosedTodayByGrid) _closedTodayByGrid[k] = n;
            foreach (var (k, n) in seed.AlertsTodayByGrid) _alertsTodayByGrid[k] = n;
            foreach (var (h, g) in seed.VisitedHouseholdGrids) _householdGrid[h] = g;
            _reportedToday = seed.ReportedToday;
            _closedToday = seed.ClosedToday;
            _alertsToday = seed.AlertsToday;
            _lastEventAt = seed.LastEventAt;
            _overdue = CountOverdue();
            foreach (var w in _water.Values) w.Level = w.Classify(_clock.Now, _silentAfter);
            Emit(new LiveChange(_version + 1, _clock.Now, "resync"));
        }
    }

    public void Publish(LiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        lock (_lock)
        {
            RollPeriods();
            var now = _clock.Now;
            _lastEventAt = now;
            var change = liveEvent switch
            {
                IncidentEvent e => ApplyIncident(e, now),
                CameraAlertEvent e => ApplyAlert(e, now),
                CameraStatusEvent e => ApplyCameraStatus(e, now),
                ReadingsEvent e => ApplyReadings(e, now),
                PatrolEvent e => ApplyPatrol(e, now),
                VisitEvent e => ApplyVisit(e, now),
                _ => throw new ArgumentOutOfRangeException(nameof(liveEvent), liveEvent.GetType().Name, "Unknown event."),
            };
            Emit(change);
        }
    }

    /// <summary>
    /// Applies the passing of time: a new day, week or month; incidents that became overdue; sensors
    /// that fell silent. Emits a change only when something visible changed.
    /// </summary>
    public bool Tick()
    {
        lock (_lock)
        {
            var now = _clock.Now;
            var rolled = RollPeriods();
            var overdue = CountOverdue();
            var waterChanged = new List<WaterPointState>();
            foreach (var w in _water.Values)
            {
                var level = w.Classify(now, _silentAfter);
                if (level != w.Level)
                {
                    w.Level = level;
                    waterChanged.Add(w.ToState(now));
                }
            }

            if (!rolled && overdue == _overdue && waterChanged.Count == 0)
            {
                return false;
            }

            _overdue = overdue;
            Emit(new LiveChange(_version + 1, now, "tick")
            {
                Incidents = IncidentStatsLocked(),
                Coverage = rolled ? CoverageLocked() : null,
                Cameras = rolled ? CameraStatsLocked() : null,
                WaterPoints = waterChanged.Count > 0 ? waterChanged : null,
            });
            return true;
        }
    }

    public IDisposable Subscribe(Action<LiveChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_lock)
        {
            _subscribers.Add(onChange);
        }

        return new Subscription(this, onChange);
    }

    public LiveSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            if (_cached is { } c && c.Version == _version)
            {
                return c;
            }

            var now = _clock.Now;
            var grids = _grids.Values.OrderBy(g => g.Id).Select(GridStateLocked).ToList();
            var cameras = _cameras.Values.OrderBy(c => c.Id).ToList();
            var water = _water.Values.OrderBy(w => w.Seed.Id).Select(w => w.ToState(now)).ToList();
            _cached = new LiveSnapshot(
                _version, now, _lastEventAt,
                new StreetSummary(_seed.StreetName, _seed.StreetNameZh, _seed.Communities, Bounds()),
                IncidentStatsLocked(), CoverageLocked(), CameraStatsLocked(),
                [.. _recentAlerts], water, grids, cameras);
            return _cached;
        }
    }

    public LiveSnapshot GetSnapshot(int? communityId)
    {
        if (communityId is null)
        {
            return GetSnapshot();
        }

        var full = GetSnapshot();
        lock (_lock)
        {
            if (_scopedCache.TryGetValue(communityId.Value, out var hit) && hit.Version == full.Version)
            {
                return hit;
            }

            var cid = communityId.Value;
            var grids = full.Grids.Where(g => g.CommunityId == cid).ToList();
            var ids = grids.Select(g => g.Id).ToHashSet();
            var open = _open.Values.Where(i => ids.Contains(i.GridId)).ToList();
            var now = _clock.Now;
            int Sum(Dictionary<int, int> byGrid) => byGrid.Where(kv => ids.Contains(kv.Key)).Sum(kv => kv.Value);
            int SumSeed(IReadOnlyDictionary<int, int> byGrid) => byGrid.Where(kv => ids.Contains(kv.Key)).Sum(kv => kv.Value);
            var incidents = new IncidentStats(
                Sum(_reportedTodayByGrid), Sum(_closedTodayByGrid), open.Count, open.Count(i => i.DueAt < now),
                IncidentSteps.Open.Select(st => new StepCount(st, open.Count(i => i.Step == st))).ToList(),
                open.GroupBy(i => i.Category).Select(g => new KeyCount(g.Key, g.Count()))
                    .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal).ToList(),
                [new KeyCount(cid.ToString(System.Globalization.CultureInfo.InvariantCulture), open.Count)]);
            var cameras = full.CameraMarks.Where(c => ids.Contains(c.GridId)).ToList();
            var online = cameras.Count(c => c.Online);
            var keyVisited = _keyVisitedThisWeek.Count(h => _householdGrid.TryGetValue(h, out var g) && ids.Contains(g));
            var coverage = new CoverageStats(
                grids.Count, grids.Count(g => g.Staffed), grids.Count(g => g.PatrolledToday),
                SumSeed(_seed.HouseholdsByGrid), _visitedThisMonth.Count(h => _householdGrid.TryGetValue(h, out var g) && ids.Contains(g)),
                SumSeed(_seed.KeyHouseholdsByGrid), keyVisited,
                cameras.Where(c => c.Online).Select(c => c.GridId).Distinct().Count());
            var points = grids.SelectMany(g => g.Polygon).ToList();
            var bounds = points.Count == 0 ? full.Street.Bounds
                : new MapBounds(points.Min(p => p[0]), points.Min(p => p[1]), points.Max(p => p[0]), points.Max(p => p[1]));
            var scoped = full with
            {
                Street = full.Street with { Communities = full.Street.Communities.Where(c => c.Id == cid).ToList(), Bounds = bounds },
                Incidents = incidents,
                Coverage = coverage,
                Cameras = new CameraStats(cameras.Count, online, cameras.Count - online, Sum(_alertsTodayByGrid)),
                RecentAlerts = full.RecentAlerts.Where(a => ids.Contains(a.GridId)).ToList(),
                WaterPoints = full.WaterPoints.Where(w => ids.Contains(w.GridId)).ToList(),
                Grids = grids,
                CameraMarks = cameras,
            };
            _scopedCache[cid] = scoped;
            return scoped;
        }
    }

    // ---- appliers (called under the lock) ----

    private LiveChange ApplyIncident(IncidentEvent e, DateTimeOffset now)
    {
        var wasOpen = _open.TryGetValue(e.Id, out var before);
        if (e.PreviousStep is null && !wasOpen && _clock.LocalDate(e.ReportedAt) == _day)
        {
            _reportedToday++;
            Bump(_reportedTodayByGrid, e.GridId, +1);
        }

        if (IncidentSteps.IsOpen(e.Step))
        {
            _open[e.Id] = new OpenIncidentSeed(e.Id, e.Number, e.Category, e.GridId, e.Title, e.Step, e.ReportedAt, e.DueAt);
            if (!wasOpen)
            {
                Bump(_openByGrid, e.GridId, +1);
            }
            else if (before!.GridId != e.GridId)
            {
                Bump(_openByGrid, before.GridId, -1);
                Bump(_openByGrid, e.GridId, +1);
            }
        }
        else if (wasOpen)
        {
            _open.Remove(e.Id);
            Bump(_openByGrid, before!.GridId, -1);
            if (_clock.LocalDate(e.At) == _day)
            {
                _closedToday++;
                Bump(_closedTodayByGrid, e.GridId, +1);
            }
        }

        _overdue = CountOverdue();
        return new LiveChange(_version + 1, now, "incident")
        {
            Incidents = IncidentStatsLocked(),
            Incident = new IncidentItem(e.Id, e.Number, e.Category, e.GridId, e.Title, e.Step, e.At),
            Grid = HeatLocked(e.GridId),
        };
    }

    private LiveChange ApplyAlert(CameraAlertEvent e, DateTimeOffset now)
    {
        _cameras.TryGetValue(e.CameraId, out var cam);
        var item = new AlertItem(e.Id, e.CameraId, cam?.Name ?? e.CameraId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cam?.GridId ?? 0, e.Kind, e.Confidence, e.OccurredAt, AlertStatus.New);
        _recentAlerts.Insert(0, item);
        if (_recentAlerts.Count > RecentAlertCapacity)
        {
            _recentAlerts.RemoveAt(_recentAlerts.Count - 1);
        }

        if (_clock.LocalDate(e.OccurredAt) == _day)
        {
            _alertsToday++;
            Bump(_alertsTodayByGrid, item.GridId, +1);
        }

        return new LiveChange(_version + 1, now, "alert") { Alert = item, Cameras = CameraStatsLocked() };
    }

    private LiveChange ApplyCameraStatus(CameraStatusEvent e, DateTimeOffset now)
    {
        if (_cameras.TryGetValue(e.CameraId, out var cam))
        {
            cam = cam with { Online = e.Online };
            _cameras[e.CameraId] = cam;
        }

        return new LiveChange(_version + 1, now, "camera")
        {
            Camera = cam,
            Cameras = CameraStatsLocked(),
            Coverage = CoverageLocked(),
        };
    }

    private LiveChange ApplyReadings(ReadingsEvent e, DateTimeOffset now)
    {
        var touched = new HashSet<int>();
        foreach (var r in e.Readings)
        {
            if (_water.TryGetValue(r.WaterPointId, out var w))
            {
                w.Add(r);
                w.Level = w.Classify(now, _silentAfter);
                touched.Add(r.WaterPointId);
            }
        }

        return new LiveChange(_version + 1, now, "readings")
        {
            WaterPoints = [.. touched.Order().Select(id => _water[id].ToState(now))],
        };
    }

    private LiveChange ApplyPatrol(PatrolEvent e, DateTimeOffset now)
    {
        if (_clock.LocalDate(e.At) == _day)
        {
            _patrolledToday.Add(e.GridId);
        }

        return new LiveChange(_version + 1, now, "patrol") { Coverage = CoverageLocked(), Grid = HeatLocked(e.GridId) };
    }

    private LiveChange ApplyVisit(VisitEvent e, DateTimeOffset now)
    {
        _householdGrid[e.HouseholdId] = e.GridId;
        if (e.At >= _clock.StartOf(new DateOnly(_month.Year, _month.Month, 1)))
        {
            _visitedThisMonth.Add(e.HouseholdId);
        }

        if (e.IsKeyHousehold && e.At >= _clock.StartOf(_weekStart))
        {
            _keyVisitedThisWeek.Add(e.HouseholdId);
        }

        return new LiveChange(_version + 1, now, "visit") { Coverage = CoverageLocked() };
    }

    // ---- helpers (under the lock) ----

    private void Emit(LiveChange change)
    {
        _version = change.Version;
        _scopedCache.Clear();
        foreach (var s in _subscribers.ToArray())
        {
            s(change);
        }
    }

    private void SetPeriods()
    {
        _day = _clock.Today;
        _weekStart = _clock.WeekStartDate;
        _month = (_day.Year, _day.Month);
    }

    private bool RollPeriods()
    {
        var today = _clock.Today;
        if (today == _day)
        {
            return false;
        }

        _day = today;
        _reportedToday = 0;
        _closedToday = 0;
        _alertsToday = 0;
        _reportedTodayByGrid.Clear();
        _closedTodayByGrid.Clear();
        _alertsTodayByGrid.Clear();
        _patrolledToday.Clear();
        if (_clock.WeekStartDate != _weekStart)
        {
            _weekStart = _clock.WeekStartDate;
            _keyVisitedThisWeek.Clear();
        }

        if ((today.Year, today.Month) != _month)
        {
            _month = (today.Year, today.Month);
            _visitedThisMonth.Clear();
        }

        return true;
    }

    private int CountOverdue()
    {
        var now = _clock.Now;
        return _open.Values.Count(i => i.DueAt < now);
    }

    private IncidentStats IncidentStatsLocked()
    {
        var byStep = IncidentSteps.Open
            .Select(s => new StepCount(s, _open.Values.Count(i => i.Step == s)))
            .ToList();
        var byCategory = _open.Values.GroupBy(i => i.Category)
            .Select(g => new KeyCount(g.Key, g.Count()))
            .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal)
            .ToList();
        var byCommunity = _seed.Communities
            .Select(c => new KeyCount(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _open.Values.Count(i => _gridCommunity.TryGetValue(i.GridId, out var cid) && cid == c.Id)))
            .ToList();
        return new IncidentStats(_reportedToday, _closedToday, _open.Count, _overdue, byStep, byCategory, byCommunity);
    }

    private CoverageStats CoverageLocked()
    {
        var gridsWithCamera = _cameras.Values.Where(c => c.Online).Select(c => c.GridId).Distinct().Count(_grids.ContainsKey);
        return new CoverageStats(
            _grids.Count, _grids.Values.Count(g => g.Staffed), _patrolledToday.Count(_grids.ContainsKey),
            _seed.Households, _visitedThisMonth.Count, _seed.KeyHouseholds, _keyVisitedThisWeek.Count,
            gridsWithCamera);
    }

    private CameraStats CameraStatsLocked()
    {
        var online = _cameras.Values.Count(c => c.Online);
        return new CameraStats(_cameras.Count, online, _cameras.Count - online, _alertsToday);
    }

    private GridHeat HeatLocked(int gridId) =>
        new(gridId, _openByGrid.GetValueOrDefault(gridId), _patrolledToday.Contains(gridId));

    private GridState GridStateLocked(GridSeed g) =>
        new(g.Id, g.CommunityId, g.Code, g.Name, g.NameZh, g.Kind, g.Polygon,
            _openByGrid.GetValueOrDefault(g.Id), g.Staffed, _patrolledToday.Contains(g.Id));

    private MapBounds Bounds()
    {
        var points = _grids.Values.SelectMany(g => g.Polygon).ToList();
        return points.Count == 0
            ? new MapBounds(0, 0, 1, 1)
            : new MapBounds(points.Min(p => p[0]), points.Min(p => p[1]), points.Max(p => p[0]), points.Max(p => p[1]));
    }

    private static void Bump(Dictionary<int, int> counts, int key, int delta) =>
        counts[key] = Math.Max(0, counts.GetValueOrDefault(key) + delta);

    private void Unsubscribe(Action<LiveChange> onChange)
    {
        lock (_lock)
        {
            _subscribers.Remove(onChange);
        }
    }

    private sealed class Subscription(LiveBoard board, Action<LiveChange> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                board.Unsubscribe(onChange);
            }
        }
    }

    /// <summary>A waterlogging point's latest reading and its 24-hour trend in 15-minute maxima.</summary>
    private sealed class WaterRuntime(WaterPointSeed seed)
    {
        private readonly long[] _bucketNo = Enumerable.Repeat(long.MinValue, TrendBuckets).ToArray();
        private readonly double[] _bucketMax = new double[TrendBuckets];

        public WaterPointSeed Seed { get; } = seed;
        public double? Depth { get; private set; }
        public DateTimeOffset? At { get; private set; }
        public WaterLevel Level { get; set; } = WaterLevel.Silent;

        public void Add(Reading r)
        {
            if (At is null || r.MeasuredAt >= At)
            {
                Depth = r.DepthCm;
                At = r.MeasuredAt;
            }

            var no = r.MeasuredAt.ToUnixTimeSeconds() / (long)TrendBucket.TotalSeconds;
            var slot = (int)(((no % TrendBuckets) + TrendBuckets) % TrendBuckets);
            if (_bucketNo[slot] != no)
            {
                if (_bucketNo[slot] > no) return; // older than the window
                _bucketNo[slot] = no;
                _bucketMax[slot] = r.DepthCm;
            }
            else
            {
                _bucketMax[slot] = Math.Max(_bucketMax[slot], r.DepthCm);
            }
        }

        public WaterLevel Classify(DateTimeOffset now, TimeSpan silentAfter) =>
            WaterLevels.Classify(Depth, Seed.WarningCm, Seed.AlarmCm, At, now, silentAfter);

        public WaterPointState ToState(DateTimeOffset now)
        {
            var current = now.ToUnixTimeSeconds() / (long)TrendBucket.TotalSeconds;
            var first = current - TrendBuckets + 1;
            var trend = new double?[TrendBuckets];
            for (var i = 0; i < TrendBuckets; i++)
            {
                var no = first + i;
                var slot = (int)(((no % TrendBuckets) + TrendBuckets) % TrendBuckets);
                trend[i] = _bucketNo[slot] == no ? Math.Round(_bucketMax[slot], 1) : null;
            }

            return new WaterPointState(Seed.Id, Seed.Code, Seed.Name, Seed.NameZh, Seed.GridId, Seed.Lon, Seed.Lat,
                Seed.WarningCm, Seed.AlarmCm, Depth is null ? null : Math.Round(Depth.Value, 1), At, Level,
                DateTimeOffset.FromUnixTimeSeconds(first * (long)TrendBucket.TotalSeconds), trend);
        }
    }
}
