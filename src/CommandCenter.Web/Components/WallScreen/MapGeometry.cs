using System.Runtime.CompilerServices;
using System.Text;
using CommandCenter.Domain.Live;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>
/// SVG geometry of the map, cached per source object and shared by every circuit: grid polygons are the same
/// instances in every snapshot, and all circuits receive the same cached snapshot, so each path string is built
/// once per node rather than once per wall screen.
/// </summary>
internal static class MapGeometry
{
    private static readonly ConditionalWeakTable<IReadOnlyList<double[]>, PathEntry> Paths = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<CameraMark>, CameraDots> Dots = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<GridState>, GridLayers> Layers = new();

    /// <summary>
    /// The grids as at most 12 paths, one per kind and heat bin (basic first, so exclusive outlines lie on top):
    /// a dozen elements instead of one per grid keeps the render tree small.
    /// </summary>
    public static GridLayers GridLayersFor(MapProjection projection, IReadOnlyList<GridState> grids)
    {
        if (Layers.TryGetValue(grids, out var cached) && cached.Bounds == projection.Bounds)
        {
            return cached;
        }

        var layers = new List<GridLayer>();
        foreach (var exclusive in (bool[])[false, true])
        {
            for (var bin = 0; bin < GridMap.HeatLabels.Length; bin++)
            {
                var path = new StringBuilder();
                var ids = new StringBuilder();
                foreach (var g in grids)
                {
                    if ((g.Kind == Domain.Model.GridKind.Exclusive) != exclusive || GridMap.HeatBin(g.OpenIncidents) != bin) continue;
                    path.Append(GridPath(projection, g.Polygon));
                    if (ids.Length > 0) ids.Append(' ');
                    ids.Append(g.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (ids.Length > 0)
                {
                    layers.Add(new GridLayer(
                        (exclusive ? "ws-grid ws-grid-excl ws-h" : "ws-grid ws-h") + bin.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        path.ToString(), ids.ToString()));
                }
            }
        }

        var result = new GridLayers(projection.Bounds, layers);
        Layers.AddOrUpdate(grids, result);
        return result;
    }

    /// <summary>The SVG path of a grid polygon in <paramref name="projection"/>.</summary>
    public static string GridPath(MapProjection projection, IReadOnlyList<double[]> polygon)
    {
        if (Paths.TryGetValue(polygon, out var e) && e.Bounds == projection.Bounds)
        {
            return e.Path;
        }

        var path = projection.Path(polygon);
        Paths.AddOrUpdate(polygon, new PathEntry(projection.Bounds, path));
        return path;
    }

    /// <summary>Camera dots: "M x,y h0" per camera (drawn with round caps), all (the dark halo), online and offline.</summary>
    public static CameraDots CameraDotsFor(MapProjection projection, IReadOnlyList<CameraMark> cameras)
    {
        if (Dots.TryGetValue(cameras, out var cached) && cached.Bounds == projection.Bounds)
        {
            return cached;
        }

        var online = new StringBuilder(cameras.Count * 16);
        var offline = new StringBuilder();
        int on = 0, off = 0;
        foreach (var c in cameras)
        {
            var sb = c.Online ? online : offline;
            if (c.Online) on++;
            else off++;
            sb.Append('M').Append(MapProjection.F(projection.X(c.Lon))).Append(',').Append(MapProjection.F(projection.Y(c.Lat))).Append("h0");
        }

        var onText = online.ToString();
        var offText = offline.ToString();
        var dots = new CameraDots(projection.Bounds, onText + offText, onText, offText, on, off);
        Dots.AddOrUpdate(cameras, dots);
        return dots;
    }

    private sealed record PathEntry(MapBounds Bounds, string Path);
}

/// <summary>One path of grids of a kind and heat bin; <see cref="Ids"/> lists their ids, space-separated.</summary>
internal sealed record GridLayer(string CssClass, string Path, string Ids);

internal sealed record GridLayers(MapBounds Bounds, IReadOnlyList<GridLayer> Layers)
{
    public static readonly GridLayers None = new(new MapBounds(0, 0, 1, 1), []);
}

internal sealed record CameraDots(MapBounds Bounds, string All, string Online, string Offline, int OnlineCount, int OfflineCount)
{
    public static readonly CameraDots None = new(new MapBounds(0, 0, 1, 1), "", "", "", 0, 0);
}
