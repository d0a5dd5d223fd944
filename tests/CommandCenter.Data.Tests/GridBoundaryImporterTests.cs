using CommandCenter.Data.Street;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Data.Tests;

public sealed class GridBoundaryImporterTests : IAsyncLifetime
{
    private SqliteDatabase _db = null!;
    private GridBoundaryImporter _importer = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _importer = new GridBoundaryImporter(_db.Factory, TimeProvider.System, NullLogger<GridBoundaryImporter>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    // Within the street (TestStreet's grids span 117.50–117.51, 34.80–34.81): an import may not draw far from it.
    private const string Square = "[[[117.50,34.80],[117.52,34.80],[117.52,34.82],[117.50,34.82],[117.50,34.80]]]";

    private static string Feature(string properties, string geometryType, string coordinates) =>
        "{\"type\":\"Feature\",\"properties\":{" + properties + "},\"geometry\":{\"type\":\"" + geometryType + "\",\"coordinates\":" + coordinates + "}}";

    private static string Collection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    private async Task<string?> Boundary(int id)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT BoundaryGeoJson FROM Grid WHERE Id = @id", new { id });
    }

    [Fact]
    public async Task ImportAsync_ValidFeatureCollection_UpdatesBoundariesAndCenters()
    {
        var small = "[[[117.70,34.70],[117.701,34.70],[117.701,34.701],[117.70,34.70]]]";
        var json = Collection(
            Feature("\"code\":\"370402003001001\"", "Polygon", Square),
            Feature("\"gridId\":2", "MultiPolygon", $"[{small},{Square}]"));

        var result = await _importer.ImportAsync(json, CancellationToken.None);

        Assert.Equal(new GridImportResult(2, 2), result);
        await using var c = await _db.Factory.OpenAsync();
        var rows = (await c.QueryAsync<(int Id, string BoundaryGeoJson, double CenterLon, double CenterLat)>(
            "SELECT Id, BoundaryGeoJson, CenterLon, CenterLat FROM Grid WHERE Id IN (1, 2) ORDER BY Id")).ToList();
        Assert.All(rows, r =>
        {
            Assert.Equal("{\"type\":\"Polygon\",\"coordinates\":[[[117.5,34.8],[117.52,34.8],[117.52,34.82],[117.5,34.82],[117.5,34.8]]]}", r.BoundaryGeoJson);
            Assert.Equal(117.51, r.CenterLon, 9);
            Assert.Equal(34.81, r.CenterLat, 9);
        });
        Assert.Equal(TestStreet.Polygon, await Boundary(3));
    }

    [Fact]
    public async Task ImportAsync_UnknownGridCode_ThrowsNamingTheFieldAndWritesNothing()
    {
        var json = Collection(
            Feature("\"code\":\"370402003001001\"", "Polygon", Square),
            Feature("\"code\":\"999999999999999\"", "Polygon", Square));

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync(json, CancellationToken.None));

        Assert.Equal(["features[1].properties.code"], ex.Errors.Keys);
        Assert.Equal(TestStreet.Polygon, await Boundary(1));
    }

    [Fact]
    public async Task ImportAsync_InvalidGeometries_NamesEveryBadField()
    {
        var json = Collection(
            Feature("\"gridId\":1", "Polygon", "[[[117.60,34.90],[117.62,34.90],[117.62,34.92],[117.60,34.93]]]"),
            Feature("\"gridId\":2", "Polygon", "[[[117.60,34.90],[117.62,34.90],[117.60,34.90]]]"),
            Feature("\"gridId\":3", "Point", "[117.6,34.9]"),
            Feature("\"gridId\":1", "Polygon", "[[[200,34.90],[117.62,34.90],[117.62,95],[200,34.90]]]"),
            """{"type":"Feature","properties":{},"geometry":null}""");

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync(json, CancellationToken.None));

        Assert.Contains("features[0].geometry.coordinates[0]", ex.Errors.Keys); // not closed
        Assert.Contains("features[1].geometry.coordinates[0]", ex.Errors.Keys); // too few positions
        Assert.Contains("features[2].geometry.type", ex.Errors.Keys);
        Assert.Contains("features[3].geometry.coordinates[0][0]", ex.Errors.Keys); // longitude
        Assert.Contains("features[3].geometry.coordinates[0][2]", ex.Errors.Keys); // latitude
        Assert.Contains("features[4].properties", ex.Errors.Keys);
        Assert.Contains("features[4].geometry", ex.Errors.Keys);
        Assert.Equal(TestStreet.Polygon, await Boundary(1));
    }

    [Fact]
    public async Task ImportAsync_NotAFeatureCollection_ThrowsNamingTheRoot()
    {
        var notJson = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync("{nope", CancellationToken.None));
        var wrongType = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync("""{"type":"Feature","features":[]}""", CancellationToken.None));
        var duplicate = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync(
            Collection(Feature("\"gridId\":1", "Polygon", Square), Feature("\"code\":\"370402003001001\"", "Polygon", Square)), CancellationToken.None));

        Assert.Equal(["$"], notJson.Errors.Keys);
        Assert.Equal(["features", "type"], wrongType.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["features[1].properties"], duplicate.Errors.Keys);
    }
}
