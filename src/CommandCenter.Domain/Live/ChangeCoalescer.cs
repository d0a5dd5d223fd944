namespace CommandCenter.Domain.Live;

/// <summary>
/// Merges the board's changes between two sends into one: every item that moved (latest state of each), which
/// sections changed, and the version range covered. What a hub client receives then costs clients × sends, not
/// clients × events. Thread-safe: changes arrive on publishing threads, <see cref="Take"/> runs on the sender's.
/// </summary>
public sealed class ChangeCoalescer
{
    private readonly Lock _lock = new();
    private Pending? _pending;

    /// <summary>Adds a change; true when it is the first since the last <see cref="Take"/> (time to schedule a send).</summary>
    public bool Add(LiveChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var first = _pending is null;
            _pending ??= new Pending(change.Version);
            _pending.Add(change);
            return first;
        }
    }

    /// <summary>Everything gathered since the last call, or null if nothing changed.</summary>
    public Pending? Take()
    {
        lock (_lock)
        {
            var p = _pending;
            _pending = null;
            return p;
        }
    }

    /// <summary>The changes of one window, merged.</summary>
    public sealed class Pending(long fromVersion)
    {
        private readonly Dictionary<long, IncidentItem> _incidents = [];
        private readonly Dictionary<int, GridHeat> _grids = [];
        private readonly Dictionary<long, AlertItem> _alerts = [];
        private readonly Dictionary<int, CameraMark> _cameras = [];
        private readonly Dictionary<int, WaterPointState> _water = [];

        public long FromVersion { get; } = fromVersion;
        public long ToVersion { get; private set; } = fromVersion;
        public DateTimeOffset At { get; private set; }
        public bool Resync { get; private set; }
        public LiveSections Sections { get; private set; }

        internal void Add(LiveChange c)
        {
            ToVersion = Math.Max(ToVersion, c.Version);
            At = c.At;
            Resync |= c.Kind == ChangeKind.Resync;
            Sections |= c.Sections;
            if (c.Incident is { } i) _incidents[i.Id] = i;
            if (c.Grid is { } g) _grids[g.GridId] = g;
            if (c.Alert is { } a) _alerts[a.Id] = a;
            if (c.Camera is { } cam) _cameras[cam.Id] = cam;
            foreach (var w in c.WaterPoints ?? []) _water[w.Id] = w;
        }

        /// <summary>
        /// The message for the whole street (<paramref name="communityId"/> null) or for callers scoped to one
        /// community: items outside it are left out, and the sections are that community's.
        /// </summary>
        public LiveBatch ToBatch(ILiveBoard board, int? communityId)
        {
            ArgumentNullException.ThrowIfNull(board);
            var snapshot = board.GetSnapshot(communityId);
            HashSet<int>? grids = communityId is null ? null : [.. snapshot.Grids.Select(x => x.Id)];
            bool In(int gridId) => grids is null || grids.Contains(gridId);
            bool Changed(LiveSections s) => Resync || (Sections & s) != 0;
            return new LiveBatch(FromVersion, ToVersion, At, Resync)
            {
                Incidents = [.. _incidents.Values.Where(x => In(x.GridId))],
                Grids = [.. _grids.Values.Where(x => In(x.GridId))],
                Alerts = [.. _alerts.Values.Where(x => In(x.GridId)).OrderByDescending(x => x.OccurredAt).ThenByDescending(x => x.Id)],
                Cameras = [.. _cameras.Values.Where(x => In(x.GridId))],
                WaterPoints = [.. _water.Values.Where(x => In(x.GridId))],
                IncidentStats = Changed(LiveSections.Incidents) ? snapshot.Incidents : null,
                Coverage = Changed(LiveSections.Coverage | LiveSections.Cameras) ? snapshot.Coverage : null,
                CameraStats = Changed(LiveSections.Cameras | LiveSections.Alerts) ? snapshot.Cameras : null,
                Trends = Changed(LiveSections.Trends) ? snapshot.Trends : null,
                Notices = Changed(LiveSections.Notices) ? snapshot.Notices : null,
            };
        }
    }
}
