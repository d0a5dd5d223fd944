namespace CommandCenter.Demo.Street;

/// <summary>
/// The demo street's map: a jittered lattice of <see cref="VertexColumns"/> × <see cref="VertexRows"/> vertices
/// around Zaozhuang (lon 117.55–117.60, lat 34.85–34.875). Each of the 13 × 4 cells is one grid, so the grids tile
/// the street exactly: neighbouring cells share their vertices. Column groups form the six communities.
/// Built from the first draws of the seeder's <see cref="Random"/>, so the same seed gives the same map.
/// </summary>
public sealed class DemoStreetLayout
{
    public const int Columns = 13;
    public const int Rows = 4;
    public const int VertexColumns = Columns + 1;
    public const int VertexRows = Rows + 1;
    public const double MinLon = 117.55;
    public const double MaxLon = 117.60;
    public const double MinLat = 34.85;
    public const double MaxLat = 34.875;

    /// <summary>How far a vertex may move, as a fraction of the lattice spacing. Below 0.25 every cell stays convex.</summary>
    public const double Jitter = 0.2;

    /// <summary>The first column of each community; the last community ends at <see cref="Columns"/>.</summary>
    public static readonly IReadOnlyList<int> CommunityFirstColumn = [0, 3, 5, 7, 9, 11];

    private readonly double[,][] _vertices;

    private DemoStreetLayout(double[,][] vertices) => _vertices = vertices;

    /// <summary>Draws the lattice: every vertex, the outer ones too, moves up to <see cref="Jitter"/> of a spacing each way.</summary>
    public static DemoStreetLayout Build(Random rnd)
    {
        ArgumentNullException.ThrowIfNull(rnd);
        var dx = (MaxLon - MinLon) / Columns;
        var dy = (MaxLat - MinLat) / Rows;
        var v = new double[VertexColumns, VertexRows][];
        for (var j = 0; j < VertexRows; j++)
        {
            for (var i = 0; i < VertexColumns; i++)
            {
                var lon = MinLon + (i * dx) + ((rnd.NextDouble() * 2 - 1) * Jitter * dx);
                var lat = MinLat + (j * dy) + ((rnd.NextDouble() * 2 - 1) * Jitter * dy);
                // Rounded once here, so that every cell sharing the vertex stores exactly the same numbers.
                v[i, j] = [Math.Round(lon, 6), Math.Round(lat, 6)];
            }
        }

        return new DemoStreetLayout(v);
    }

    public double[] Vertex(int i, int j) => _vertices[i, j];

    /// <summary>The closed, counter-clockwise ring of cell (<paramref name="col"/>, <paramref name="row"/>); row 0 is the south edge.</summary>
    public IReadOnlyList<double[]> CellRing(int col, int row) =>
        [_vertices[col, row], _vertices[col + 1, row], _vertices[col + 1, row + 1], _vertices[col, row + 1], _vertices[col, row]];

    /// <summary>The closed, counter-clockwise outer boundary of the street.</summary>
    public IReadOnlyList<double[]> OuterRing()
    {
        var ring = new List<double[]>();
        for (var i = 0; i < VertexColumns; i++) ring.Add(_vertices[i, 0]);
        for (var j = 1; j < VertexRows; j++) ring.Add(_vertices[Columns, j]);
        for (var i = Columns - 1; i >= 0; i--) ring.Add(_vertices[i, Rows]);
        for (var j = Rows - 1; j >= 0; j--) ring.Add(_vertices[0, j]);
        return ring;
    }

    /// <summary>A point of the cell by bilinear interpolation: (0, 0) is its south-west corner, (1, 1) its north-east one.</summary>
    public double[] PointInCell(int col, int row, double u, double v)
    {
        var sw = _vertices[col, row];
        var se = _vertices[col + 1, row];
        var ne = _vertices[col + 1, row + 1];
        var nw = _vertices[col, row + 1];
        double At(int k) => ((1 - u) * (1 - v) * sw[k]) + (u * (1 - v) * se[k]) + (u * v * ne[k]) + ((1 - u) * v * nw[k]);
        return [Math.Round(At(0), 6), Math.Round(At(1), 6)];
    }

    /// <summary>A random point well inside the cell.</summary>
    public double[] RandomPointInCell(Random rnd, int col, int row, double margin = 0.08)
    {
        ArgumentNullException.ThrowIfNull(rnd);
        return PointInCell(col, row, margin + (rnd.NextDouble() * (1 - (2 * margin))), margin + (rnd.NextDouble() * (1 - (2 * margin))));
    }

    public static int CommunityOfColumn(int col)
    {
        for (var k = CommunityFirstColumn.Count - 1; k >= 0; k--)
        {
            if (col >= CommunityFirstColumn[k]) return k;
        }

        throw new ArgumentOutOfRangeException(nameof(col));
    }

    public static int CommunityColumnEnd(int community) =>
        community + 1 < CommunityFirstColumn.Count ? CommunityFirstColumn[community + 1] : Columns;
}
