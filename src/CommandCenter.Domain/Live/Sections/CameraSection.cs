using System.Globalization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live.Sections;

/// <summary>Cameras, their status, the day's alerts per grid and the newest alerts. Not thread-safe: the <see cref="LiveBoard"/> owns the lock.</summary>
internal sealed class CameraSection
{
    public const int RecentCapacity = 30;
    private readonly Dictionary<int, CameraMark> _cameras = [];
    private readonly Dictionary<int, DateTimeOffset> _statusAt = [];
    private readonly Dictionary<int, int> _onlineByGrid = [];
    private readonly Dictionary<int, int> _alertsTodayByGrid = [];
    private readonly List<AlertItem> _recent = [];
    private int _online;

    public IEnumerable<CameraMark> Marks => _cameras.Values;

    public IReadOnlyList<AlertItem> Recent => _recent;

    public void Load(BoardSeed seed)
    {
        _cameras.Clear();
        _statusAt.Clear();
        _onlineByGrid.Clear();
        _alertsTodayByGrid.Clear();
        _recent.Clear();
        _online = 0;
        foreach (var c in seed.Cameras)
        {
            if (_cameras.TryAdd(c.Id, c) && c.Online) Online(c.GridId, +1);
        }

        foreach (var (grid, n) in seed.AlertsTodayByGrid) _alertsTodayByGrid[grid] = n;
        _recent.AddRange(seed.RecentAlerts.DistinctBy(a => a.Id).Take(RecentCapacity));
    }

    public AlertItem Alert(CameraAlertEvent e, bool today)
    {
        _cameras.TryGetValue(e.CameraId, out var cam);
        var item = new AlertItem(e.Id, e.CameraId, cam?.Name ?? e.CameraId.ToString(CultureInfo.InvariantCulture),
            cam?.GridId ?? 0, e.Kind, e.Confidence, e.OccurredAt, AlertStatus.New);
        // Newest first by when it happened: a late delivery takes its place in time, or none if older than all.
        var at = _recent.FindIndex(a => a.OccurredAt < item.OccurredAt || (a.OccurredAt == item.OccurredAt && a.Id < item.Id));
        if (at < 0) at = _recent.Count;
        if (at < RecentCapacity) _recent.Insert(at, item);
        if (_recent.Count > RecentCapacity) _recent.RemoveAt(_recent.Count - 1);
        if (today) _alertsTodayByGrid[item.GridId] = _alertsTodayByGrid.GetValueOrDefault(item.GridId) + 1;
        return item;
    }

    /// <summary>
    /// A repeat folded into alert <see cref="CameraAlertFoldedEvent.AlertId"/>: its item among the newest takes the count and last
    /// occurrence, never lower than held (a late delivery changes nothing); the item when it changed, null when it is not listed.
    /// </summary>
    public AlertItem? Fold(CameraAlertFoldedEvent e)
    {
        var i = _recent.FindIndex(a => a.Id == e.AlertId);
        if (i < 0) return null;
        var held = _recent[i];
        var count = Math.Max(held.RepeatCount, e.RepeatCount);
        var last = held.LastOccurredAt is { } l && l > e.LastOccurredAt ? l : e.LastOccurredAt;
        if (count == held.RepeatCount && last == held.LastOccurredAt) return null;
        _recent[i] = held with { RepeatCount = count, LastOccurredAt = last };
        return _recent[i];
    }

    /// <summary>An operator acknowledged or dismissed alert <paramref name="id"/>: its item among the newest shows the status; the item when it changed.</summary>
    public AlertItem? SetStatus(long id, AlertStatus status)
    {
        var i = _recent.FindIndex(a => a.Id == id);
        if (i < 0 || _recent[i].Status == status) return null;
        _recent[i] = _recent[i] with { Status = status };
        return _recent[i];
    }

    /// <summary>Sets a camera's status unless a newer one is held; returns the camera when it changed.</summary>
    public CameraMark? Status(CameraStatusEvent e)
    {
        if (!_cameras.TryGetValue(e.CameraId, out var cam)) return null;
        if (_statusAt.TryGetValue(e.CameraId, out var held) && held > e.At) return null;
        _statusAt[e.CameraId] = e.At;
        if (cam.Online == e.Online) return null;
        Online(cam.GridId, e.Online ? +1 : -1);
        cam = cam with { Online = e.Online, StatusAt = e.At };
        _cameras[e.CameraId] = cam;
        return cam;
    }

    public void NewDay() => _alertsTodayByGrid.Clear();

    public bool HasOnlineCamera(int gridId) => _onlineByGrid.GetValueOrDefault(gridId) > 0;

    public CameraStats Stats(Func<int, bool>? include)
    {
        if (include is null)
        {
            return new CameraStats(_cameras.Count, _online, _cameras.Count - _online, _alertsTodayByGrid.Values.Sum());
        }

        int total = 0, online = 0;
        foreach (var c in _cameras.Values)
        {
            if (!include(c.GridId)) continue;
            total++;
            if (c.Online) online++;
        }

        return new CameraStats(total, online, total - online, _alertsTodayByGrid.Where(kv => include(kv.Key)).Sum(kv => kv.Value));
    }

    private void Online(int gridId, int delta)
    {
        _online += delta;
        _onlineByGrid[gridId] = _onlineByGrid.GetValueOrDefault(gridId) + delta;
    }
}
