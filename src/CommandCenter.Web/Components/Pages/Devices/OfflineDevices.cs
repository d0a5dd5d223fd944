using CommandCenter.Data.Devices;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Components.Pages.Devices;

/// <summary>A column of the offline list a person can sort by.</summary>
public enum OfflineSort
{
    Kind,
    Code,
    Name,
    Grid,
    Since,
    LastSeen,
    Interval,
}

/// <summary>
/// An offline device as the console's /devices page lists it. <see cref="Since"/> is when it went offline (a camera: its
/// status change; a waterlogging point: the silent-device job's mark, else its last reading); null: never heard of.
/// </summary>
public sealed record OfflineDeviceRow(
    DeviceKind Kind, int Id, string Code, string Name, string Grid, DateTimeOffset? Since, DateTimeOffset? LastSeen, int ExpectedIntervalSeconds);

/// <summary>
/// The offline list (pure): the live board decides who is offline — a camera by its status (the silent-device job, Frigate
/// availability, <c>camera_offline</c>), a point while the board holds it silent (the job's rule, <see cref="DeviceRules.IsSilent"/>),
/// as on the wall — and the registry adds the code, the expected interval and the last report.
/// </summary>
public static class OfflineDevices
{
    public static IReadOnlyList<OfflineDeviceRow> Build(
        LiveSnapshot snapshot, IReadOnlyList<CameraDetails> cameras, IReadOnlyList<WaterPointDetails> points, bool chinese)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var grids = snapshot.Grids.ToDictionary(g => g.Id);
        string GridName(int id) => grids.TryGetValue(id, out var g) ? (chinese ? g.NameZh : g.Name) : "";
        var cameraById = cameras.Where(c => c.RetiredAt is null).ToDictionary(c => c.Id);
        var pointById = points.Where(p => p.RetiredAt is null).ToDictionary(p => p.Id);
        var rows = new List<OfflineDeviceRow>();
        foreach (var m in snapshot.CameraMarks)
        {
            if (m.Online) continue;
            cameraById.TryGetValue(m.Id, out var d);
            var name = chinese ? (d?.NameZh ?? m.Name) : (d?.Name ?? m.NameEn ?? m.Name);
            rows.Add(new OfflineDeviceRow(DeviceKind.Camera, m.Id, m.Code, name, GridName(m.GridId), m.StatusAt ?? d?.StatusAt, d?.LastSeenAt,
                d?.ExpectedIntervalSeconds ?? DeviceRules.DefaultCameraIntervalSeconds));
        }

        foreach (var w in snapshot.WaterPoints)
        {
            if (w.Level != WaterLevel.Silent) continue;
            pointById.TryGetValue(w.Id, out var d);
            var since = d is { IsOnline: false, StatusAt: { } marked } ? marked : w.ReadingAt;
            rows.Add(new OfflineDeviceRow(DeviceKind.Point, w.Id, w.Code, chinese ? w.NameZh : w.Name, GridName(w.GridId), since, Latest(w.ReadingAt, d?.LastSeenAt),
                d?.ExpectedIntervalSeconds ?? DeviceRules.DefaultPointIntervalSeconds));
        }

        return Sort(rows, OfflineSort.Since, descending: false);
    }

    /// <summary>
    /// Sorted by one column (text in ordinal order; instants with "never" first when ascending), then longest offline first,
    /// then by code, so the order is stable whatever the column.
    /// </summary>
    public static IReadOnlyList<OfflineDeviceRow> Sort(IEnumerable<OfflineDeviceRow> rows, OfflineSort by, bool descending)
    {
        var ordered = by switch
        {
            OfflineSort.Kind => Order(rows, r => r.Kind, descending),
            OfflineSort.Code => Order(rows, r => r.Code, descending, StringComparer.Ordinal),
            OfflineSort.Name => Order(rows, r => r.Name, descending, StringComparer.Ordinal),
            OfflineSort.Grid => Order(rows, r => r.Grid, descending, StringComparer.Ordinal),
            OfflineSort.LastSeen => Order(rows, r => r.LastSeen ?? DateTimeOffset.MinValue, descending),
            OfflineSort.Interval => Order(rows, r => r.ExpectedIntervalSeconds, descending),
            _ => Order(rows, r => r.Since ?? DateTimeOffset.MinValue, descending),
        };
        return [.. ordered.ThenBy(r => r.Since ?? DateTimeOffset.MinValue).ThenBy(r => r.Code, StringComparer.Ordinal)];
    }

    private static IOrderedEnumerable<OfflineDeviceRow> Order<TKey>(IEnumerable<OfflineDeviceRow> rows, Func<OfflineDeviceRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
