using System.Globalization;
using System.Text;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Data.Security;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Street;

/// <summary>What an import changed.</summary>
public sealed record GridImportResult(int Features, int GridsUpdated);

/// <summary>
/// Imports grid boundaries drawn elsewhere (a GIS tool, the district's survey) as a GeoJSON FeatureCollection.
/// Each feature names an existing grid by <c>properties.code</c> (its 15-digit code) or <c>properties.gridId</c>;
/// its geometry is a Polygon or MultiPolygon (of which the largest polygon's outer ring is kept). Either every
/// feature is valid and every grid is updated in one transaction, or nothing is written and an
/// <see cref="InputValidationException"/> names each bad field as <c>features[i]....</c>.
/// A grid outside the actor's community is "not a known grid"; a polygon must lie within <see cref="MarginKm"/> of the
/// street's current bounds and span at most <see cref="MaxGridSpanKm"/>. Each replaced boundary is audited
/// (<c>grid.boundary-replaced</c>, with the old one), besides one <c>grids.boundaries-imported</c> row.
/// </summary>
public sealed class GridBoundaryImporter(DbConnectionFactory db, TimeProvider time, ILogger<GridBoundaryImporter> logger)
{
    public const int MaxFeatures = 10_000;
    public const int MaxPositionsPerRing = 100_000;

    /// <summary>A grid code is 15 digits; a longer "code" is refused before it is looked up or echoed.</summary>
    public const int MaxCodeLength = 32;

    /// <summary>An old boundary up to this many characters is copied into the audit whole; a longer one is described.</summary>
    public const int MaxAuditedBoundaryChars = 8_000;

    /// <summary>The summary audit row lists at most this many grid ids (each grid has its own row besides).</summary>
    public const int MaxAuditedGridIds = 100;

    private const double KmPerDegreeLat = 110.574;
    private const double KmPerDegreeLonAtEquator = 111.320;

    /// <summary>
    /// How far (km) a boundary may reach beyond the street's current bounds — the box around every grid boundary
    /// stored. A street without any boundary yet (the first import) has no such limit, only <see cref="MaxGridSpanKm"/>.
    /// </summary>
    public double MarginKm { get; init; } = 5;

    /// <summary>The most (km) one grid may span east–west or north–south: a grid is a few streets, never a province.</summary>
    public double MaxGridSpanKm { get; init; } = 20;

    public Task<GridImportResult> ImportAsync(string geoJsonFeatureCollection, CancellationToken ct = default) =>
        ImportAsync(geoJsonFeatureCollection, CommandCenter.Domain.Model.Actor.System("import"), ct);

    public async Task<GridImportResult> ImportAsync(string geoJsonFeatureCollection, CommandCenter.Domain.Model.Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(geoJsonFeatureCollection))
        {
            throw Invalid("$", "is empty: expected a GeoJSON FeatureCollection.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(geoJsonFeatureCollection, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw Invalid("$", $"is not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            var v = new Validator();
            var parsed = Parse(doc.RootElement, v);
            v.ThrowIfInvalid();

            var updated = await db.WriteAsync(async (c, tx) =>
            {
                var grids = (await c.QueryAsync<GridRow>(new CommandDefinition(GridBoundarySql.Grids, transaction: tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
                // The street's extent is all of it; which grids may be named is the actor's community only (others are "not known").
                var street = StreetBounds(grids);
                var visible = grids.Where(g => actor.Sees(g.CommunityId)).ToList();
                var byCode = visible.ToDictionary(g => g.Code, StringComparer.Ordinal);
                var byId = visible.ToDictionary(g => g.Id);
                var seen = new Dictionary<int, int>();
                var updates = new List<(BoundaryUpdate Update, GridRow Old)>(parsed.Count);
                foreach (var f in parsed)
                {
                    GridRow? grid;
                    if (f.Code is not null)
                    {
                        if (!byCode.TryGetValue(f.Code, out grid))
                        {
                            v.Add($"features[{f.Index}].properties.code", $"'{Validator.Quote(f.Code)}' is not a known grid code.");
                            continue;
                        }
                    }
                    else if (!byId.TryGetValue(f.GridId!.Value, out grid))
                    {
                        v.Add($"features[{f.Index}].properties.gridId", $"{f.GridId} is not a known grid.");
                        continue;
                    }

                    if (seen.TryGetValue(grid.Id, out var first))
                    {
                        v.Add($"features[{f.Index}].properties", $"names the same grid as features[{first}].");
                        continue;
                    }

                    seen[grid.Id] = f.Index;
                    if (CheckPlace(Box.Of(f.Ring), street) is { } wrongPlace)
                    {
                        v.Add($"features[{f.Index}].geometry", wrongPlace);
                        continue;
                    }

                    var (lon, lat) = PolygonGeometry.Centroid(f.Ring);
                    updates.Add((new BoundaryUpdate(grid.Id, PolygonGeometry.ToGeoJson(f.Ring), Math.Round(lon, 7), Math.Round(lat, 7)), grid));
                }

                // Throwing here leaves the transaction uncommitted: nothing is written.
                v.ThrowIfInvalid();
                var n = await c.ExecuteAsync(new CommandDefinition(GridBoundarySql.UpdateBoundary, updates.Select(u => u.Update), tx, cancellationToken: ct)).ConfigureAwait(false);
                var at = time.GetUtcNow();
                foreach (var (update, old) in updates)
                {
                    await AuditLog.WriteAsync(c, tx, actor, at, "grid.boundary-replaced", "grid", update.Id,
                        new { code = old.Code, communityId = old.CommunityId, oldBoundary = AuditedBoundary(old.BoundaryGeoJson) }, ct).ConfigureAwait(false);
                }

                await AuditLog.WriteAsync(c, tx, actor, at, "grids.boundaries-imported", "grid", null, new
                {
                    features = parsed.Count,
                    grids = n,
                    gridIds = updates.Take(MaxAuditedGridIds).Select(u => u.Update.Id),
                    moreGrids = Math.Max(0, updates.Count - MaxAuditedGridIds),
                }, ct).ConfigureAwait(false);
                return n;
            }, ct).ConfigureAwait(false);

            logger.LogInformation("Imported boundaries of {Grids} grid(s) from {Features} feature(s)", updated, parsed.Count);
            return new GridImportResult(parsed.Count, updated);
        }
    }

    private static List<ParsedFeature> Parse(JsonElement root, Validator v)
    {
        var result = new List<ParsedFeature>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            v.Add("$", "must be a GeoJSON FeatureCollection object.");
            return result;
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection")
        {
            v.Add("type", "must be 'FeatureCollection'.");
        }

        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            v.Add("features", "is required and must be an array.");
            return result;
        }

        var count = features.GetArrayLength();
        if (count == 0) v.Add("features", "must hold at least one feature.");
        if (count > MaxFeatures)
        {
            v.Add("features", $"must hold at most {MaxFeatures} features.");
            return result;
        }

        var i = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var parsed = ParseFeature(feature, i, v);
            if (parsed is not null) result.Add(parsed);
            i++;
        }

        return result;
    }

    private static ParsedFeature? ParseFeature(JsonElement feature, int i, Validator v)
    {
        var path = $"features[{i}]";
        if (feature.ValueKind != JsonValueKind.Object)
        {
            v.Add(path, "must be a GeoJSON Feature object.");
            return null;
        }

        string? code = null;
        int? gridId = null;
        if (!feature.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            v.Add(path + ".properties", "is required: it must name the grid by 'code' or 'gridId'.");
        }
        else
        {
            if (props.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(c.GetString())) v.Add(path + ".properties.code", "must be a non-empty string.");
                else if (c.GetString()!.Trim().Length > MaxCodeLength) v.Add(path + ".properties.code", $"must be at most {MaxCodeLength} characters.");
                else code = c.GetString()!.Trim();
            }

            if (props.TryGetProperty("gridId", out var g) && g.ValueKind != JsonValueKind.Null)
            {
                if (g.ValueKind == JsonValueKind.Number && g.TryGetInt32(out var id) && id > 0) gridId = id;
                else v.Add(path + ".properties.gridId", "must be a positive integer.");
            }

            if (code is null && gridId is null && !props.TryGetProperty("code", out _) && !props.TryGetProperty("gridId", out _))
            {
                v.Add(path + ".properties", "must name the grid by 'code' or 'gridId'.");
            }
        }

        var ring = ParseGeometry(feature, path + ".geometry", v);
        return ring is not null && (code is not null || gridId is not null) ? new ParsedFeature(i, code, gridId, ring) : null;
    }

    private static List<double[]>? ParseGeometry(JsonElement feature, string path, Validator v)
    {
        if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object)
        {
            v.Add(path, "is required and must be a Polygon or MultiPolygon.");
            return null;
        }

        var type = geometry.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            v.Add(path + ".type", $"must be 'Polygon' or 'MultiPolygon', not '{type ?? "(missing)"}'.");
            return null;
        }

        if (!geometry.TryGetProperty("coordinates", out var coords) || coords.ValueKind != JsonValueKind.Array || coords.GetArrayLength() == 0)
        {
            v.Add(path + ".coordinates", "is required and must be a non-empty array.");
            return null;
        }

        if (type == "Polygon")
        {
            return ParsePolygonOuterRing(coords, path + ".coordinates", v);
        }

        List<double[]>? best = null;
        var bestArea = -1.0;
        var k = 0;
        foreach (var polygon in coords.EnumerateArray())
        {
            var ring = ParsePolygonOuterRing(polygon, $"{path}.coordinates[{k}]", v);
            if (ring is not null)
            {
                var area = Math.Abs(PolygonGeometry.SignedArea(ring));
                if (area > bestArea)
                {
                    bestArea = area;
                    best = ring;
                }
            }

            k++;
        }

        return best;
    }

    private static List<double[]>? ParsePolygonOuterRing(JsonElement polygon, string path, Validator v)
    {
        if (polygon.ValueKind != JsonValueKind.Array || polygon.GetArrayLength() == 0)
        {
            v.Add(path, "must be an array of linear rings.");
            return null;
        }

        // Holes are validated too (a broken file should be reported whole) but only the outer ring is kept.
        List<double[]>? outer = null;
        var r = 0;
        foreach (var ringElement in polygon.EnumerateArray())
        {
            var ring = ParseRing(ringElement, $"{path}[{r}]", v);
            if (r == 0) outer = ring;
            r++;
        }

        return outer;
    }

    private static List<double[]>? ParseRing(JsonElement ring, string path, Validator v)
    {
        if (ring.ValueKind != JsonValueKind.Array)
        {
            v.Add(path, "must be an array of [lon, lat] positions.");
            return null;
        }

        var n = ring.GetArrayLength();
        if (n < 4)
        {
            v.Add(path, $"must hold at least 4 positions (a closed triangle), not {n}.");
            return null;
        }

        if (n > MaxPositionsPerRing)
        {
            v.Add(path, $"must hold at most {MaxPositionsPerRing} positions.");
            return null;
        }

        var result = new List<double[]>(n);
        var ok = true;
        var p = 0;
        foreach (var position in ring.EnumerateArray())
        {
            var at = $"{path}[{p}]";
            if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
            {
                v.Add(at, "must be a [lon, lat] pair of numbers.");
                ok = false;
            }
            else if (!position[0].TryGetDouble(out var lon) || !position[1].TryGetDouble(out var lat))
            {
                v.Add(at, "must be a [lon, lat] pair of finite numbers."); // e.g. 1e400, which a double cannot hold
                ok = false;
            }
            else
            {
                if (lon is < -180 or > 180 || double.IsNaN(lon))
                {
                    v.Add(at, $"longitude {lon.ToString(CultureInfo.InvariantCulture)} is outside -180..180.");
                    ok = false;
                }

                if (lat is < -90 or > 90 || double.IsNaN(lat))
                {
                    v.Add(at, $"latitude {lat.ToString(CultureInfo.InvariantCulture)} is outside -90..90.");
                    ok = false;
                }

                result.Add([lon, lat]);
            }

            p++;
        }

        if (!ok)
        {
            return null;
        }

        if (result[0][0] != result[^1][0] || result[0][1] != result[^1][1])
        {
            v.Add(path, "is not closed: the last position must equal the first.");
            return null;
        }

        if (PolygonGeometry.SignedArea(result) == 0)
        {
            v.Add(path, "encloses no area.");
            return null;
        }

        return result;
    }

    /// <summary>Why a polygon with this bounding box may not be a grid of this street, or null if it may.</summary>
    private string? CheckPlace(Box box, Box? street)
    {
        var widthKm = (box.MaxLon - box.MinLon) * KmPerDegreeLon((box.MinLat + box.MaxLat) / 2);
        var heightKm = (box.MaxLat - box.MinLat) * KmPerDegreeLat;
        if (widthKm > MaxGridSpanKm || heightKm > MaxGridSpanKm)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"is too large: it spans {widthKm:0.#} km by {heightKm:0.#} km, and a grid may span at most {MaxGridSpanKm:0.#} km.");
        }

        if (street is not { } s)
        {
            return null;
        }

        var lonMargin = MarginKm / KmPerDegreeLon((s.MinLat + s.MaxLat) / 2);
        var latMargin = MarginKm / KmPerDegreeLat;
        if (box.MinLon < s.MinLon - lonMargin || box.MaxLon > s.MaxLon + lonMargin || box.MinLat < s.MinLat - latMargin || box.MaxLat > s.MaxLat + latMargin)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"lies outside the street: a boundary may reach at most {MarginKm:0.#} km beyond the street's current bounds (lon {s.MinLon:0.#####}..{s.MaxLon:0.#####}, lat {s.MinLat:0.#####}..{s.MaxLat:0.#####}).");
        }

        return null;
    }

    private static double KmPerDegreeLon(double lat) => KmPerDegreeLonAtEquator * Math.Max(Math.Cos(lat * Math.PI / 180), 0.01);

    /// <summary>The box around every readable boundary stored (as the board draws the street), or null when none is.</summary>
    private static Box? StreetBounds(IEnumerable<GridRow> grids)
    {
        Box? bounds = null;
        foreach (var g in grids)
        {
            IReadOnlyList<double[]> ring;
            try
            {
                ring = CommandCenter.Data.Live.BoardLoader.ParseRing(g.BoundaryGeoJson);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                continue; // the board draws such a grid without a boundary too
            }

            var finite = ring.Where(p => p.Length >= 2 && double.IsFinite(p[0]) && double.IsFinite(p[1])).ToList();
            if (finite.Count == 0) continue;
            var box = Box.Of(finite);
            bounds = bounds is { } b ? b.Union(box) : box;
        }

        return bounds;
    }

    /// <summary>
    /// An old boundary for the audit: the GeoJSON itself when it is short; else what identifies it (length, SHA-256,
    /// position count and bounds), so that one audit row stays small whatever was stored.
    /// </summary>
    private static object? AuditedBoundary(string? geoJson)
    {
        if (string.IsNullOrEmpty(geoJson)) return null;
        if (geoJson.Length <= MaxAuditedBoundaryChars)
        {
            try
            {
                using var doc = JsonDocument.Parse(geoJson);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return geoJson;
            }
        }

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(geoJson)));
        try
        {
            var ring = CommandCenter.Data.Live.BoardLoader.ParseRing(geoJson);
            var box = ring.Count == 0 ? (Box?)null : Box.Of(ring);
            return new
            {
                omitted = true,
                chars = geoJson.Length,
                sha256,
                positions = ring.Count,
                bounds = box is { } b ? new[] { b.MinLon, b.MinLat, b.MaxLon, b.MaxLat } : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
        {
            return new { omitted = true, chars = geoJson.Length, sha256 };
        }
    }

    private static InputValidationException Invalid(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private sealed record ParsedFeature(int Index, string? Code, int? GridId, List<double[]> Ring);

    private sealed record BoundaryUpdate(int Id, string BoundaryGeoJson, double CenterLon, double CenterLat);

    private sealed class GridRow
    {
        public int Id { get; init; }
        public string Code { get; init; } = "";
        public int CommunityId { get; init; }
        public string? BoundaryGeoJson { get; init; }
    }

    private readonly record struct Box(double MinLon, double MinLat, double MaxLon, double MaxLat)
    {
        public static Box Of(IEnumerable<double[]> ring)
        {
            double minLon = double.MaxValue, minLat = double.MaxValue, maxLon = double.MinValue, maxLat = double.MinValue;
            foreach (var p in ring)
            {
                minLon = Math.Min(minLon, p[0]);
                maxLon = Math.Max(maxLon, p[0]);
                minLat = Math.Min(minLat, p[1]);
                maxLat = Math.Max(maxLat, p[1]);
            }

            return new Box(minLon, minLat, maxLon, maxLat);
        }

        public Box Union(Box o) => new(Math.Min(MinLon, o.MinLon), Math.Min(MinLat, o.MinLat), Math.Max(MaxLon, o.MaxLon), Math.Max(MaxLat, o.MaxLat));
    }
}

/// <summary>The SQL of the grid boundary import; runs on both engines.</summary>
public static class GridBoundarySql
{
    public const string Grids = "SELECT Id, Code, CommunityId, BoundaryGeoJson FROM Grid";

    public const string UpdateBoundary =
        "UPDATE Grid SET BoundaryGeoJson = @BoundaryGeoJson, CenterLon = @CenterLon, CenterLat = @CenterLat WHERE Id = @Id";
}

/// <summary>Plane geometry on [lon, lat] rings, good enough at a street's scale.</summary>
public static class PolygonGeometry
{
    /// <summary>The shoelace area (positive for counter-clockwise rings), computed relative to the first vertex to keep precision.</summary>
    public static double SignedArea(IReadOnlyList<double[]> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (ring.Count < 3) return 0;
        var x0 = ring[0][0];
        var y0 = ring[0][1];
        var sum = 0.0;
        for (var k = 0; k < ring.Count; k++)
        {
            var a = ring[k];
            var b = ring[(k + 1) % ring.Count];
            sum += ((a[0] - x0) * (b[1] - y0)) - ((b[0] - x0) * (a[1] - y0));
        }

        return sum / 2;
    }

    /// <summary>The area centroid of a ring (closed or not); the mean of its vertices if it encloses no area.</summary>
    public static (double Lon, double Lat) Centroid(IReadOnlyList<double[]> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (ring.Count == 0) throw new ArgumentException("The ring is empty.", nameof(ring));
        var x0 = ring[0][0];
        var y0 = ring[0][1];
        double a2 = 0, cx = 0, cy = 0;
        for (var k = 0; k < ring.Count; k++)
        {
            var ax = ring[k][0] - x0;
            var ay = ring[k][1] - y0;
            var bx = ring[(k + 1) % ring.Count][0] - x0;
            var by = ring[(k + 1) % ring.Count][1] - y0;
            var cross = (ax * by) - (bx * ay);
            a2 += cross;
            cx += (ax + bx) * cross;
            cy += (ay + by) * cross;
        }

        if (Math.Abs(a2) < 1e-18)
        {
            return (ring.Average(p => p[0]), ring.Average(p => p[1]));
        }

        return (x0 + (cx / (3 * a2)), y0 + (cy / (3 * a2)));
    }

    /// <summary>Whether the point is inside the ring (even–odd rule).</summary>
    public static bool Contains(IReadOnlyList<double[]> ring, double lon, double lat)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var inside = false;
        for (int k = 0, j = ring.Count - 1; k < ring.Count; j = k++)
        {
            var (xi, yi, xj, yj) = (ring[k][0], ring[k][1], ring[j][0], ring[j][1]);
            if ((yi > lat) != (yj > lat) && lon < ((xj - xi) * (lat - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    /// <summary>A GeoJSON Polygon with one (outer) ring, numbers in round-trip form.</summary>
    public static string ToGeoJson(IReadOnlyList<double[]> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var sb = new StringBuilder(32 + (ring.Count * 26));
        sb.Append("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (var k = 0; k < ring.Count; k++)
        {
            if (k > 0) sb.Append(',');
            sb.Append('[').Append(ring[k][0].ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(ring[k][1].ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        return sb.Append("]]}").ToString();
    }
}
