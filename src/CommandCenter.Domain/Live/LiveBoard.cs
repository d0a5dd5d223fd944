using System.Collections.Concurrent;
using CommandCenter.Domain.Live.Sections;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

/// <summary>
/// The live state of one node, in memory: the owner of the lock and the version, over five sections
/// (incidents, coverage, cameras, water, trends). Loaded from a <see cref="BoardSeed"/>, then kept current by
/// <see cref="Publish"/> (events after commit) and <see cref="Tick"/> (the passing of time).
/// <list type="bullet">
/// <item>One event costs the same however much the board holds: sections keep counts by deltas, and the
/// snapshot's parts are built lazily, once per version, only where a change touched them.</item>
/// <item>Replays are harmless: an event at or below the loaded high-water mark, or applied already, is a no-op.</item>
/// <item>A re-sync loses nothing: <see cref="BeginResync"/> records what is published while the database is
/// read, and <see cref="Load"/> replays it on top of the seed.</item>
/// <item>Subscribers are called outside the lock, in version order.</item>
/// </list>
/// Nothing here touches the database.
/// </summary>
public sealed class LiveBoard : ILiveBoard, ILiveEventSink
{
    public const int TrendBuckets = WaterSection.TrendBuckets;
    public static readonly TimeSpan TrendBucket = WaterSection.TrendBucket;
    public const int RecentAlertCapacity = CameraSection.RecentCapacity;

    private readonly Lock _lock = new();
    private readonly BoardClock _clock;
    private readonly IncidentSection _incidents = new();
    private readonly CoverageSection _coverage = new();
    private readonly CameraSection _cameras = new();
    private readonly WaterSection _water;
    private readonly TrendSection _trends;
    private readonly NoticeSection _notices = new();
    private readonly AppliedEvents _applied = new();
    private readonly ConcurrentQueue<LiveChange> _outbox = new();
    private Action<LiveChange>[] _subscribers = [];
    private int _draining;

    private string _streetName = "", _streetNameZh = "";
    private IReadOnlyList<CommunitySummary> _communities = [];
    private readonly SortedDictionary<int, GridSeed> _grids = [];
    private readonly Dictionary<int, int> _gridCommunity = [];
    private MapBounds _bounds = new(0, 0, 1, 1);
    private List<LiveEvent>? _recording;
    private DateOnly _day, _weekStart;
    private (int Year, int Month) _month;
    private long _trendBucketNo;
    private long _version;
    private DateTimeOffset? _lastEventAt;

    // Parts of the street snapshot, each rebuilt only when a change touched it.
    private LiveSections _dirty = LiveSections.All;
    private IncidentStats? _incidentStats;
    private CoverageStats? _coverageStats;
    private CameraStats? _cameraStats;
    private IReadOnlyList<GridState>? _gridStates;
    private IReadOnlyList<CameraMark>? _cameraMarks;
    private IReadOnlyList<WaterPointState>? _waterStates;
    private IReadOnlyList<AlertItem>? _recentAlerts;
    private TrendStats? _trendStats;
    private LiveSnapshot? _cached;
    private readonly Dictionary<int, LiveSnapshot> _scopedCache = [];
    private readonly Dictionary<int, TrendStats> _scopedTrends = [];

    /// <param name="silence">When a waterlogging point is silent: the silent-device job's margin (default <see cref="Devices.SilenceMargin.Default"/>).</param>
    public LiveBoard(BoardClock clock, Devices.SilenceMargin? silence = null)
    {
        _clock = clock;
        _water = new WaterSection(silence ?? Devices.SilenceMargin.Default);
        _trends = new TrendSection(clock);
        SetPeriods();
    }

    public long Version
    {
        get { lock (_lock) { return _version; } }
    }

    public BoardClock Clock => _clock;

    /// <summary>
    /// Whether a camera alert of a kind at a confidence raises a notice (the host sets it from its <c>Alarms</c> settings);
    /// by default a fire/smoke alert at 0.8 or more.
    /// </summary>
    public Func<string, double, bool> RaisesNotice { get; set; } = (kind, confidence) => kind == "fire_smoke" && confidence >= 0.8;

    /// <summary>Called when a subscriber throws; the other subscribers still get the change. The host logs it.</summary>
    public Action<Exception>? SubscriberFailed { get; set; }

    /// <summary>The communities of the street, without building a snapshot.</summary>
    public IReadOnlyList<CommunitySummary> Communities
    {
        get { lock (_lock) { return _communities; } }
    }

    /// <summary>
    /// Starts recording what is published, for the <see cref="Load"/> that follows a read of the database.
    /// Call it before reading; call <see cref="CancelResync"/> if the read fails.
    /// </summary>
    public void BeginResync()
    {
        lock (_lock)
        {
            _recording ??= [];
        }
    }

    public void CancelResync()
    {
        lock (_lock)
        {
            _recording = null;
        }
    }

    /// <summary>
    /// Replaces the whole state with <paramref name="seed"/> (first load or re-sync), replays what was published since
    /// <see cref="BeginResync"/> (what the seed holds already is skipped by its high-water marks) and tells subscribers to refetch.
    /// Returns what the seed and the board skipped, each with why.
    /// </summary>
    public IReadOnlyList<string> Load(BoardSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var skipped = new List<string>(seed.Skipped);
        lock (_lock)
        {
            var now = _clock.Now;
            SetPeriods();
            _streetName = seed.StreetName;
            _streetNameZh = seed.StreetNameZh;
            _communities = seed.Communities;
            _grids.Clear();
            _gridCommunity.Clear();
            foreach (var g in seed.Grids)
            {
                if (!_grids.TryAdd(g.Id, g)) skipped.Add($"grid {g.Id}: listed twice");
                else _gridCommunity[g.Id] = g.CommunityId;
            }

            _bounds = BoundsOf(_grids.Values);
            _incidents.Load(seed, now, skipped, _clock.LocalDate, _day, _weekStart);
            _coverage.Load(seed);
            _cameras.Load(seed);
            _water.Load(seed, now);
            _notices.Load(seed.Notices.Where(n => n.Source != AlarmSource.CameraAlert || RaisesNotice(n.Kind, n.Value)));
            _trends.Load(seed, _gridCommunity);
            _trendBucketNo = BucketNo(now);
            _lastEventAt = seed.LastEventAt;
            _applied.Reset(seed.HighWater);
            var replay = _recording;
            _recording = null;
            if (replay is not null)
            {
                foreach (var e in replay)
                {
                    ApplyLocked(e, now);
                }
            }

            _incidents.AdvanceTime(now);
            Enqueue(new LiveChange(_version + 1, now, ChangeKind.Resync) { Sections = LiveSections.All });
        }

        Drain();
        return skipped;
    }

    public void Publish(LiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        lock (_lock)
        {
            _recording?.Add(liveEvent);
            var now = _clock.Now;
            var change = ApplyLocked(liveEvent, now);
            if (change is null)
            {
                return; // a replay: nothing changed
            }

            _lastEventAt = now;
            Enqueue(change);
        }

        Drain();
    }

    /// <summary>
    /// Applies the passing of time: a new day, week or month; incidents that became overdue; sensors that fell
    /// silent; the water trend moving on. Emits a change only when something visible changed.
    /// </summary>
    public bool Tick()
    {
        lock (_lock)
        {
            var now = _clock.Now;
            var sections = RollPeriods() ? LiveSections.All : LiveSections.None;
            if (_incidents.AdvanceTime(now)) sections |= LiveSections.Incidents;
            var water = _water.AdvanceTime(now);
            var bucket = BucketNo(now);
            if (water.Count > 0 || bucket != _trendBucketNo) sections |= LiveSections.Water;
            _trendBucketNo = bucket;
            if (sections == LiveSections.None)
            {
                return false;
            }

            Enqueue(new LiveChange(_version + 1, now, ChangeKind.Tick)
            {
                Sections = sections,
                WaterPoints = (sections & LiveSections.Water) != 0 ? [.. _water.Points.Select(w => w.ToState(now))] : null,
            });
        }

        Drain();
        return true;
    }

    public IDisposable Subscribe(Action<LiveChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Subscription(this, onChange);
    }

    public LiveSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            return StreetSnapshotLocked();
        }
    }

    public LiveSnapshot GetSnapshot(int? communityId)
    {
        if (communityId is not { } cid)
        {
            return GetSnapshot();
        }

        lock (_lock)
        {
            if (_scopedCache.TryGetValue(cid, out var hit) && hit.Version == _version)
            {
                return hit;
            }

            var full = StreetSnapshotLocked();
            bool In(int gridId) => _gridCommunity.TryGetValue(gridId, out var c) && c == cid;
            var grids = full.Grids.Where(g => g.CommunityId == cid).ToList();
            var cameras = full.CameraMarks.Where(c => In(c.GridId)).ToList();
            var scoped = full with
            {
                Street = full.Street with
                {
                    Communities = full.Street.Communities.Where(c => c.Id == cid).ToList(),
                    Bounds = grids.Count == 0 ? full.Street.Bounds : BoundsOf(_grids.Values.Where(g => g.CommunityId == cid)),
                },
                Incidents = _incidents.Stats(In, _communities.Where(c => c.Id == cid).ToList(), _gridCommunity, _clock.Now),
                Coverage = _coverage.Stats(_grids.Values, In, _cameras.HasOnlineCamera),
                Cameras = _cameras.Stats(In),
                RecentAlerts = full.RecentAlerts.Where(a => In(a.GridId)).ToList(),
                WaterPoints = full.WaterPoints.Where(w => In(w.GridId)).ToList(),
                Grids = grids,
                CameraMarks = cameras,
                Trends = ScopedTrends(cid),
                Notices = full.Notices.Where(n => In(n.GridId)).ToList(),
            };
            _scopedCache[cid] = scoped;
            return scoped;
        }
    }

    // ---- appliers (under the lock) ----

    private LiveChange? ApplyLocked(LiveEvent e, DateTimeOffset now)
    {
        RollPeriods();
        if (!_applied.TryMark(e))
        {
            return null;
        }

        var version = _version + 1;
        switch (e)
        {
            case IncidentEvent i:
            {
                var grids = _incidents.Apply(i, now, _day, _weekStart, _clock.LocalDate, out var counted);
                if (grids.Count == 0) return null;
                var trends = counted switch
                {
                    TrendKind.Reported => _trends.Add(TrendKind.Reported, i.GridId, i.Category, i.ReportedAt),
                    TrendKind.Closed => _trends.Add(TrendKind.Closed, i.GridId, i.Category, i.At),
                    _ => false,
                };
                return new LiveChange(version, now, ChangeKind.Incident)
                {
                    Sections = LiveSections.Incidents | LiveSections.Grids | (trends ? LiveSections.Trends : LiveSections.None),
                    Incident = new IncidentItem(i.Id, i.Number, i.Category, i.GridId, i.Title, i.Step, i.At),
                    Grid = Heat(grids[^1]),
                };
            }

            case CameraAlertEvent a:
            {
                var alert = _cameras.Alert(a, _clock.LocalDate(a.OccurredAt) == _day);
                var trends = _trends.Add(TrendKind.Alert, alert.GridId, null, a.OccurredAt);
                var noticed = RaisesNotice(a.Kind, a.Confidence) && _notices.Add(new NoticeItem(AlarmSource.CameraAlert, a.Id, alert.GridId,
                    alert.CameraName, alert.CameraName, a.Kind, a.Confidence, a.OccurredAt));
                return new LiveChange(version, now, ChangeKind.Alert)
                {
                    Sections = LiveSections.Alerts | LiveSections.Cameras | (trends ? LiveSections.Trends : LiveSections.None) | (noticed ? LiveSections.Notices : LiveSections.None),
                    Alert = alert,
                };
            }

            case CameraAlertFoldedEvent f:
            {
                // A folded repeat is not a new alert: the trends and today's count stay; the listed alert shows its count.
                var alert = _cameras.Fold(f);
                return alert is null ? null : new LiveChange(version, now, ChangeKind.Alert)
                {
                    Sections = LiveSections.Alerts,
                    Alert = alert,
                };
            }

            case CameraStatusEvent s:
            {
                var cam = _cameras.Status(s);
                return cam is null ? null : new LiveChange(version, now, ChangeKind.Camera)
                {
                    Sections = LiveSections.Cameras | LiveSections.Coverage,
                    Camera = cam,
                };
            }

            case WaterPointStatusEvent ps:
            {
                var point = _water.Status(ps, now);
                return point is null ? null : new LiveChange(version, now, ChangeKind.Readings)
                {
                    Sections = LiveSections.Water,
                    WaterPoints = [point],
                };
            }

            case ReadingsEvent r:
            {
                var points = _water.Apply(r, now);
                var trends = false;
                var noticed = false;
                foreach (var x in r.Alarms)
                {
                    // The trends count what the level machine raised (the WaterAlarm rows), by the one rule the loader uses too.
                    if (TrendSeedBuilder.CountsAsAlarm(x) && _water.Seed(x.WaterPointId) is { } point)
                    {
                        trends |= _trends.Add(TrendKind.Alarm, point.GridId, null, x.At);
                    }

                    if (x.Kind != Readings.WaterAlarmKind.Alarm || x.Type != Readings.AlarmTransitionType.Raised) continue;
                    if (_water.Seed(x.WaterPointId) is not { } p) continue;
                    noticed |= _notices.Add(new NoticeItem(AlarmSource.WaterAlarm, x.Id, p.GridId, p.Name, p.NameZh, nameof(Readings.WaterAlarmKind.Alarm), x.DepthCm, x.At));
                }

                return points.Count == 0 ? null : new LiveChange(version, now, ChangeKind.Readings)
                {
                    Sections = LiveSections.Water | (trends ? LiveSections.Trends : LiveSections.None) | (noticed ? LiveSections.Notices : LiveSections.None),
                    WaterPoints = points,
                };
            }

            case PatrolEvent p:
                if (_clock.LocalDate(p.At) == _day) _coverage.Patrol(p.GridId);
                return new LiveChange(version, now, ChangeKind.Patrol)
                {
                    Sections = LiveSections.Coverage | LiveSections.Grids,
                    Grid = Heat(p.GridId),
                };

            case VisitEvent v:
                _coverage.Visit(v,
                    thisMonth: v.At >= _clock.StartOf(new DateOnly(_month.Year, _month.Month, 1)),
                    thisWeek: v.At >= _clock.StartOf(_weekStart));
                return new LiveChange(version, now, ChangeKind.Visit) { Sections = LiveSections.Coverage };

            case AlarmHandledEvent h:
            {
                var removed = _notices.Remove(h.Source, h.Id);
                var item = h.Source == AlarmSource.CameraAlert ? _cameras.SetStatus(h.Id, h.Status) : null;
                return !removed && item is null ? null : new LiveChange(version, now, ChangeKind.Notice)
                {
                    Sections = (removed ? LiveSections.Notices : LiveSections.None) | (item is null ? LiveSections.None : LiveSections.Alerts),
                    Alert = item,
                };
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown event.");
        }
    }

    // ---- helpers (under the lock) ----

    private void Enqueue(LiveChange change)
    {
        _version = change.Version;
        _dirty |= change.Sections;
        _scopedCache.Clear();
        if ((change.Sections & LiveSections.Trends) != 0) _scopedTrends.Clear();
        _outbox.Enqueue(change);
    }

    /// <summary>Hands queued changes to subscribers, outside the lock; one thread at a time, so in version order.</summary>
    private void Drain()
    {
        while (!_outbox.IsEmpty)
        {
            if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return; // the thread that is draining will deliver this change too
            }

            try
            {
                while (_outbox.TryDequeue(out var change))
                {
                    foreach (var s in Volatile.Read(ref _subscribers))
                    {
                        try
                        {
                            s(change);
                        }
                        catch (Exception ex)
                        {
                            SubscriberFailed?.Invoke(ex);
                        }
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
    }

    private LiveSnapshot StreetSnapshotLocked()
    {
        if (_cached is { } c && c.Version == _version)
        {
            return c;
        }

        var now = _clock.Now;
        var dirty = _dirty;
        _dirty = LiveSections.None;
        bool D(LiveSections s) => (dirty & s) != 0;
        if (D(LiveSections.Incidents) || _incidentStats is null) _incidentStats = _incidents.Stats(null, _communities, _gridCommunity, now);
        if (D(LiveSections.Coverage | LiveSections.Cameras) || _coverageStats is null) _coverageStats = _coverage.Stats(_grids.Values, null, _cameras.HasOnlineCamera);
        if (D(LiveSections.Cameras) || _cameraStats is null) _cameraStats = _cameras.Stats(null);
        if (D(LiveSections.Cameras) || _cameraMarks is null) _cameraMarks = [.. _cameras.Marks.OrderBy(m => m.Id)];
        if (D(LiveSections.Alerts) || _recentAlerts is null) _recentAlerts = [.. _cameras.Recent];
        if (D(LiveSections.Trends) || _trendStats is null) _trendStats = _trends.Stats(null);
        if (D(LiveSections.Water) || _waterStates is null) _waterStates = [.. _water.Points.Select(w => w.ToState(now))];
        if (D(LiveSections.Grids | LiveSections.Incidents) || _gridStates is null)
        {
            _gridStates = [.. _grids.Values.Select(g => new GridState(g.Id, g.CommunityId, g.Code, g.Name, g.NameZh, g.Kind, g.Polygon,
                _incidents.OpenIn(g.Id), g.Staffed, _coverage.PatrolledToday(g.Id), _incidents.OverdueIn(g.Id))
            {
                EarliestStep = _incidents.EarliestStepIn(g.Id),
            })];
        }

        _cached = new LiveSnapshot(
            _version, now, _lastEventAt,
            new StreetSummary(_streetName, _streetNameZh, _communities, _bounds),
            _incidentStats, _coverageStats, _cameraStats, _recentAlerts, _waterStates, _gridStates, _cameraMarks)
        {
            Trends = _trendStats,
            Notices = _notices.Items,
        };
        return _cached;
    }

    /// <summary>A community's trends: kept while no change touches the trends (so its charts are drawn once per change of them).</summary>
    private TrendStats ScopedTrends(int communityId)
    {
        if (!_scopedTrends.TryGetValue(communityId, out var t))
        {
            _scopedTrends[communityId] = t = _trends.Stats(communityId);
        }

        return t;
    }

    private GridHeat Heat(int gridId) => new(gridId, _incidents.OpenIn(gridId), _coverage.PatrolledToday(gridId));

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
        _incidents.NewDay();
        _coverage.NewDay();
        _cameras.NewDay();
        _trends.RollTo(today);
        if (_clock.WeekStartDate != _weekStart)
        {
            _weekStart = _clock.WeekStartDate;
            _coverage.NewWeek();
            _incidents.NewWeek();
        }

        if ((today.Year, today.Month) != _month)
        {
            _month = (today.Year, today.Month);
            _coverage.NewMonth();
        }

        _dirty = LiveSections.All;
        _scopedTrends.Clear();
        return true;
    }

    private static long BucketNo(DateTimeOffset now) => now.ToUnixTimeSeconds() / (long)TrendBucket.TotalSeconds;

    private static MapBounds BoundsOf(IEnumerable<GridSeed> grids)
    {
        double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
        foreach (var p in grids.SelectMany(g => g.Polygon))
        {
            if (p.Length < 2) continue;
            minLon = Math.Min(minLon, p[0]);
            minLat = Math.Min(minLat, p[1]);
            maxLon = Math.Max(maxLon, p[0]);
            maxLat = Math.Max(maxLat, p[1]);
        }

        return minLon > maxLon ? new MapBounds(0, 0, 1, 1) : new MapBounds(minLon, minLat, maxLon, maxLat);
    }

    private void Unsubscribe(Action<LiveChange> onChange)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != onChange)];
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
}
