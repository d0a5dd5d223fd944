using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;

namespace CommandCenter.Domain.Live.Sections;

/// <summary>
/// Waterlogging points: the latest reading, the level and a 24-hour trend of 15-minute maxima. A point is silent by the
/// silent-device job's rule (<see cref="DeviceRules.IsSilent"/> with the same margin) and while the job holds it offline
/// with no newer reading. Not thread-safe.
/// </summary>
internal sealed class WaterSection(SilenceMargin silentAfter)
{
    public const int TrendBuckets = 96;
    public static readonly TimeSpan TrendBucket = TimeSpan.FromMinutes(15);
    private readonly SortedDictionary<int, WaterRuntime> _points = [];

    public IEnumerable<WaterRuntime> Points => _points.Values;

    public WaterPointSeed? Seed(int pointId) => _points.TryGetValue(pointId, out var w) ? w.Seed : null;

    public void Load(BoardSeed seed, DateTimeOffset now)
    {
        _points.Clear();
        foreach (var w in seed.WaterPoints)
        {
            if (_points.ContainsKey(w.Id)) continue;
            var rt = new WaterRuntime(w, now);
            foreach (var r in w.RecentReadings) rt.Add(r);
            rt.Level = rt.Classify(now, silentAfter);
            _points[w.Id] = rt;
        }
    }

    /// <summary>
    /// Applies readings (idempotent: the same reading twice changes nothing); returns the points touched. (The alarms the
    /// trends count are the event's <see cref="ReadingsEvent.Alarms"/>, not a threshold of the readings.)
    /// </summary>
    public List<WaterPointState> Apply(ReadingsEvent e, DateTimeOffset now)
    {
        var touched = new SortedSet<int>();
        foreach (var r in e.Readings)
        {
            if (_points.TryGetValue(r.WaterPointId, out var w))
            {
                w.Add(r);
                w.Level = w.Classify(now, silentAfter);
                touched.Add(r.WaterPointId);
            }
        }

        return [.. touched.Select(id => _points[id].ToState(now))];
    }

    /// <summary>Applies the job's on/offline mark (an older one than held changes nothing); returns the point's state when its level changed.</summary>
    public WaterPointState? Status(WaterPointStatusEvent e, DateTimeOffset now)
    {
        if (!_points.TryGetValue(e.WaterPointId, out var w)) return null;
        if (w.StatusAt is { } held && e.At < held) return null;
        w.Online = e.Online;
        w.StatusAt = e.At;
        var level = w.Classify(now, silentAfter);
        if (level == w.Level) return null;
        w.Level = level;
        return w.ToState(now);
    }

    /// <summary>Re-classifies every point (a sensor may have fallen silent); returns those whose level changed.</summary>
    public List<WaterPointState> AdvanceTime(DateTimeOffset now)
    {
        var changed = new List<WaterPointState>();
        foreach (var w in _points.Values)
        {
            var level = w.Classify(now, silentAfter);
            if (level != w.Level)
            {
                w.Level = level;
                changed.Add(w.ToState(now));
            }
        }

        return changed;
    }

    internal sealed class WaterRuntime(WaterPointSeed seed, DateTimeOffset loadedAt)
    {
        private readonly long[] _bucketNo = Enumerable.Repeat(long.MinValue, TrendBuckets).ToArray();
        private readonly double[] _bucketMax = new double[TrendBuckets];

        /// <summary>The level as the state machine says (pending time, hysteresis), restored from the open alarms and the last reading.</summary>
        private readonly LevelMachine _machine = Restore(seed);

        public WaterPointSeed Seed { get; } = seed;
        public double? Depth { get; private set; }
        public DateTimeOffset? At { get; private set; }
        public WaterLevel Level { get; set; } = WaterLevel.Silent;

        /// <summary>The job's mark: false holds the point silent until a reading newer than <see cref="StatusAt"/> arrives.</summary>
        public bool Online { get; set; } = seed.IsOnline;

        public DateTimeOffset? StatusAt { get; set; } = seed.StatusAt;

        /// <summary>Adds a reading: the level machine, the latest value (when it is the newest) and the trend's bucket.</summary>
        public void Add(Reading r)
        {
            if (double.IsNaN(r.DepthCm) || double.IsInfinity(r.DepthCm)) return;
            _machine.Apply(r.DepthCm, r.MeasuredAt, _transitions); // a late or repeated reading changes nothing
            _transitions.Clear();
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

        /// <summary>
        /// Silent when the sensor never reported, missed its interval by the margin (the job's rule), or the job marked it
        /// offline and nothing newer came; otherwise the level the state machine holds (not the bare lines).
        /// </summary>
        public WaterLevel Classify(DateTimeOffset now, SilenceMargin margin) => IsSilent(now, margin) ? WaterLevel.Silent : _machine.Level;

        public bool IsSilent(DateTimeOffset now, SilenceMargin margin)
        {
            if (Depth is null || At is null) return true;
            if (!Online && (StatusAt is null || At <= StatusAt)) return true;
            return DeviceRules.IsSilent(At, StatusAt ?? loadedAt, Seed.ExpectedIntervalSeconds, now, margin.Factor, margin.Grace);
        }

        private readonly List<AlarmTransition> _transitions = [];

        private static LevelMachine Restore(WaterPointSeed seed)
        {
            var settings = seed.Settings ?? new LevelSettings(seed.WarningCm, seed.AlarmCm, 0, TimeSpan.Zero, null);
            var last = seed.RecentReadings.Where(r => double.IsFinite(r.DepthCm)).MaxBy(r => r.MeasuredAt);
            var peaks = seed.OpenAlarmPeaks;
            if (seed.Settings is null && last is not null)
            {
                // No alarm settings or rows (an older seed): the level the last reading's depth has by the lines.
                var d = last.DepthCm;
                peaks = new Dictionary<WaterAlarmKind, double>();
                if (d >= seed.WarningCm) ((Dictionary<WaterAlarmKind, double>)peaks)[WaterAlarmKind.Warning] = d;
                if (d >= seed.AlarmCm) ((Dictionary<WaterAlarmKind, double>)peaks)[WaterAlarmKind.Alarm] = d;
            }

            return LevelMachine.Restore(settings, last?.DepthCm, last?.MeasuredAt,
                peaks.TryGetValue(WaterAlarmKind.Warning, out var w) ? w : null,
                peaks.TryGetValue(WaterAlarmKind.Alarm, out var a) ? a : null,
                peaks.TryGetValue(WaterAlarmKind.RateOfRise, out var r) ? r : null);
        }

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
