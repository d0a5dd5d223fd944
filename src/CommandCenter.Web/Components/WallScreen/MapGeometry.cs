using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>SVG geometry of the map: grid polygons as paths, grouped into layers, and camera dots.</summary>
internal static class MapGeometry
{
    // Grid polygons are the same instances in every snapshot: project each once per node.
    private static readonly ConditionalWeakTable<IReadOnlyList<double[]>, PathEntry> Paths = new();

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

    /// <summary>
    /// The grids as at most 12 paths, one per kind and heat bin, basic first so exclusive outlines lie on top:
    /// a dozen elements instead of one per grid.
    /// </summary>
    public static IReadOnlyList<GridLayer> GridLayers(MapProjection projection, IReadOnlyList<GridState> grids)
    {
        var layers = new List<GridLayer>();
        foreach (var exclusive in (bool[])[false, true])
        {
            for (var bin = 0; bin < GridMap.HeatLabels.Length; bin++)
            {
                var path = new StringBuilder();
                var ids = new StringBuilder();
                foreach (var g in grids)
                {
                    if ((g.Kind == GridKind.Exclusive) != exclusive || GridMap.HeatBin(g.OpenIncidents) != bin) continue;
                    path.Append(GridPath(projection, g.Polygon));
                    if (ids.Length > 0) ids.Append(' ');
                    ids.Append(g.Id.ToString(CultureInfo.InvariantCulture));
                }

                if (ids.Length > 0)
                {
                    var css = (exclusive ? "ws-grid ws-grid-excl ws-h" : "ws-grid ws-h") + bin.ToString(CultureInfo.InvariantCulture);
                    layers.Add(new GridLayer(css, path.ToString(), ids.ToString()));
                }
            }
        }

        return layers;
    }

    /// <summary>Camera dots: "M x,y h0" per camera (drawn with round caps), all (the dark halo), online and offline.</summary>
    public static CameraDots CameraDots(MapProjection projection, IReadOnlyList<CameraMark> cameras)
    {
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
        return new CameraDots(onText + offText, onText, offText, on, off);
    }

    private sealed record PathEntry(MapBounds Bounds, string Path);

    /// <summary>
    /// The outlines of the communities: every grid edge that no other grid of the same community shares (grids tile, so
    /// a shared edge has the same two corners), drawn as one path of segments.
    /// </summary>
    public static string CommunityOutlines(MapProjection p, IReadOnlyList<GridState> grids)
    {
        static (long, long) Key(double[] a) => ((long)Math.Round(a[0] * 1e6), (long)Math.Round(a[1] * 1e6));
        var edges = new Dictionary<(int Community, (long, long) A, (long, long) B), (double[] From, double[] To, int Count)>();
        foreach (var g in grids)
        {
            var ring = g.Polygon;
            for (var i = 0; i + 1 < ring.Count; i++)
            {
                if (ring[i].Length < 2 || ring[i + 1].Length < 2) continue;
                var (a, b) = (Key(ring[i]), Key(ring[i + 1]));
                if (a == b) continue;
                var key = a.CompareTo(b) < 0 ? (g.CommunityId, a, b) : (g.CommunityId, b, a);
                edges[key] = edges.TryGetValue(key, out var e) ? (e.From, e.To, e.Count + 1) : (ring[i], ring[i + 1], 1);
            }
        }

        var sb = new System.Text.StringBuilder();
        foreach (var (from, to, count) in edges.Values)
        {
            if (count != 1) continue;
            sb.Append('M').Append(MapProjection.F(p.X(from[0]))).Append(' ').Append(MapProjection.F(p.Y(from[1])))
              .Append('L').Append(MapProjection.F(p.X(to[0]))).Append(' ').Append(MapProjection.F(p.Y(to[1])));
        }

        return sb.ToString();
    }
}

/// <summary>One path of grids of a kind and heat bin; <see cref="Ids"/> lists their ids, space-separated.</summary>
internal sealed record GridLayer(string CssClass, string Path, string Ids);

internal sealed record CameraDots(string All, string Online, string Offline, int OnlineCount, int OfflineCount);
