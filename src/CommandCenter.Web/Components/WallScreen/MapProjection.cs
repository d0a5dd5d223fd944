using System.Globalization;
using System.Text;
using CommandCenter.Domain.Live;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>
/// Projects lon/lat into an SVG viewBox <see cref="Width"/> wide: an equirectangular projection around the
/// street's middle latitude (x scaled by cos(lat) so the grids keep their shape), y flipped so north is up.
/// </summary>
internal sealed class MapProjection
{
    public const double Width = 1000;
    public const double Pad = 12;

    private readonly MapBounds _bounds;
    private readonly double _cosLat;
    private readonly double _scale;

    public MapProjection(MapBounds bounds)
    {
        _bounds = bounds;
        var midLat = (bounds.MinLat + bounds.MaxLat) / 2;
        _cosLat = Math.Max(Math.Cos(midLat * Math.PI / 180), 0.01);
        var spanX = Math.Max((bounds.MaxLon - bounds.MinLon) * _cosLat, 1e-9);
        var spanY = Math.Max(bounds.MaxLat - bounds.MinLat, 1e-9);
        _scale = (Width - (2 * Pad)) / spanX;
        Height = (spanY * _scale) + (2 * Pad);
    }

    public MapBounds Bounds => _bounds;

    /// <summary>The viewBox height that keeps the street's aspect ratio.</summary>
    public double Height { get; }

    public string ViewBox => "0 0 " + F(Width) + " " + F(Height);

    public double X(double lon) => Pad + ((lon - _bounds.MinLon) * _cosLat * _scale);

    public double Y(double lat) => Pad + ((_bounds.MaxLat - lat) * _scale);

    /// <summary>An SVG path ("M x,y L … Z") of a polygon of [lon, lat] points.</summary>
    public string Path(IReadOnlyList<double[]> polygon)
    {
        if (polygon.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder(polygon.Count * 14);
        for (var i = 0; i < polygon.Count; i++)
        {
            var p = polygon[i];
            if (p.Length < 2) continue;
            sb.Append(sb.Length == 0 ? 'M' : 'L').Append(F(X(p[0]))).Append(',').Append(F(Y(p[1])));
        }

        return sb.Append('Z').ToString();
    }

    /// <summary>A coordinate with one decimal, invariant culture.</summary>
    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
