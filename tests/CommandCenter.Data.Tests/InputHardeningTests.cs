using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Data.Street;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>
/// Hostile or careless input through the handlers: idempotency keys per caller, the actor's community on every write
/// (grid imports and staff included), non-finite numbers, unbounded text, polygons far from the street.
/// </summary>
public sealed class InputHardeningTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A field app of community 1 (grids 1 and 2), one of community 2 (grid 3), and an unscoped integration.</summary>
    private static readonly Actor North = new(ActorKind.ApiKey, "11", "north field app", CommunityId: 1);
    private static readonly Actor South = new(ActorKind.ApiKey, "12", "south field app", CommunityId: 2);
    private static readonly Actor Platform = new(ActorKind.ApiKey, "13", "camera platform");
    private static readonly Actor OtherPlatform = new(ActorKind.ApiKey, "14", "second camera platform");

    private const string WorldSized = "[[[-179,-89],[179,-89],[179,89],[-179,89],[-179,-89]]]";
    private const string NearStreet = "[[[117.50,34.80],[117.52,34.80],[117.52,34.82],[117.50,34.82],[117.50,34.80]]]";

    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private TestHandlers _handlers = null!;
    private GridBoundaryImporter _importer = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        // A household in community 2's grid 3 (staff 1 is assigned in community 1 only).
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO Household (Id, UnitId, GridId, Room, HeadName, Members, KeyFlags) VALUES (3, 1, 3, '9-901', 'South head', 1, 0)", transaction: tx));
        var clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        _handlers = new TestHandlers(_db.Factory, _sink, clock);
        _importer = new GridBoundaryImporter(_db.Factory, _time, NullLogger<GridBoundaryImporter>.Instance);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static ReportIncident Incident(int gridId, string title, string? externalId) => new()
    {
        Category = "sanitation", GridId = gridId, Source = "GridPatrol", ReporterName = "Member", Title = title, ExternalId = externalId,
    };

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    private async Task<string?> BoundaryAsync(int gridId)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT BoundaryGeoJson FROM Grid WHERE Id = @gridId", new { gridId });
    }

    private static string Collection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    private static string Feature(string properties, string coordinates) =>
        "{\"type\":\"Feature\",\"properties\":{" + properties + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + coordinates + "}}";

    // ---- 6. external ids per caller ----

    [Fact]
    public async Task ReportIncident_AnotherCallersExternalId_StoresOwnIncidentAndAnswersNothingOfTheOther()
    {
        var south = await _handlers.ReportIncidentAsync(Incident(3, "South: blocked exit", "app-1"), South);

        var north = await _handlers.ReportIncidentAsync(Incident(1, "North: overflowing bin", "app-1"), North);

        Assert.False(north.Duplicate);
        Assert.NotEqual(south.Id, north.Id);
        Assert.NotEqual(south.Number, north.Number);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM Incident WHERE ExternalId = 'app-1'"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM Incident WHERE Id = @Id AND GridId = 1 AND Title = 'North: overflowing bin'", new { north.Id }));
    }

    [Fact]
    public async Task ReportIncident_ReplayBySameCaller_IsADuplicateOnlyWhenItSaysTheSame()
    {
        var first = await _handlers.ReportIncidentAsync(Incident(1, "Overflowing bin", "app-7") with { ReportedAt = Now.AddMinutes(-3) }, North);

        var replay = await _handlers.ReportIncidentAsync(Incident(1, "Overflowing bin", "app-7") with { ReportedAt = Now.AddMinutes(-3) }, North);
        var replayWithoutTime = await _handlers.ReportIncidentAsync(Incident(1, "  Overflowing bin ", "app-7"), North);
        var different = await Assert.ThrowsAsync<ConflictException>(() => _handlers.ReportIncidentAsync(Incident(1, "Something else", "app-7"), North));
        var otherTime = await Assert.ThrowsAsync<ConflictException>(() =>
            _handlers.ReportIncidentAsync(Incident(1, "Overflowing bin", "app-7") with { ReportedAt = Now.AddMinutes(-9) }, North));

        Assert.True(replay.Duplicate);
        Assert.Equal(first.Id, replay.Id);
        Assert.Equal(first.DueAt, replay.DueAt);
        Assert.True(replayWithoutTime.Duplicate);
        Assert.Equal(first.Id, replayWithoutTime.Id);
        Assert.Equal("externalId", different.Field);
        Assert.Contains("different incident", different.Errors["externalId"].Single(), StringComparison.Ordinal);
        Assert.Equal("externalId", otherTime.Field);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM Incident"));
    }

    [Fact]
    public async Task ReportIncident_StoresTheCallerAndTheDatabaseRefusesOneCallersIdTwice()
    {
        var accepted = await _handlers.ReportIncidentAsync(Incident(1, "Bin", "app-9"), North);

        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal("ApiKey:11", await c.ExecuteScalarAsync<string>("SELECT Caller FROM Incident WHERE Id = @Id", new { accepted.Id }));
        const string insert = "INSERT INTO Incident (Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, UpdatedAt, ExternalId, Caller) " +
                              "VALUES (@Number, 'fire', 1, 1, 'r', 't', '', 1, 1, @At, @At, @At, 'app-9', @Caller)";
        await c.ExecuteAsync(insert, new { Number = "other-caller", At = Now, Caller = "ApiKey:12" });
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => c.ExecuteAsync(insert, new { Number = "same-caller", At = Now, Caller = "ApiKey:11" }));
    }

    [Fact]
    public async Task Migration0005_IncidentsStoredBefore_TakeTheirReporterFromTheAudit()
    {
        await using (var c = await _db.Factory.OpenAsync())
        {
            // As 0004 left it: no Caller columns, one unique index on ExternalId alone; an incident with its audit row.
            await c.ExecuteAsync("""
                DROP INDEX UX_Incident_Caller_ExternalId; DROP INDEX UX_CameraAlert_Caller_Camera_ExternalId;
                ALTER TABLE Incident DROP COLUMN Caller; ALTER TABLE CameraAlert DROP COLUMN Caller;
                CREATE UNIQUE INDEX UX_Incident_ExternalId ON Incident(ExternalId) WHERE ExternalId IS NOT NULL;
                DELETE FROM SchemaMigrations WHERE Name LIKE '0005%';
                """);
            await c.ExecuteAsync("INSERT INTO Incident (Id, Number, Category, GridId, Source, ReporterName, Title, Description, Step, Cycle, ReportedAt, DueAt, UpdatedAt, ExternalId) " +
                                 "VALUES (41, 'SJ1', 'fire', 1, 1, 'r', 't', '', 1, 1, @At, @At, @At, 'old-1'), (42, 'SJ2', 'fire', 1, 1, 'r', 't', '', 1, 1, @At, @At, @At, 'old-2')", new { At = Now });
            await c.ExecuteAsync("INSERT INTO AuditLog (At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId) VALUES (@At, 'ApiKey', '7', 'hotline', 'incident.reported', 'incident', '41')", new { At = Now });
        }

        await new MigrationRunner(_db.Factory, NullLogger<MigrationRunner>.Instance).MigrateAsync();

        await using var check = await _db.Factory.OpenAsync();
        Assert.Equal("ApiKey:7", await check.ExecuteScalarAsync<string>("SELECT Caller FROM Incident WHERE Id = 41"));
        Assert.Null(await check.ExecuteScalarAsync<string?>("SELECT Caller FROM Incident WHERE Id = 42"));
        var replay = await _handlers.ReportIncidentAsync(new ReportIncident
        {
            Category = "fire", GridId = 1, Source = "GridPatrol", ReporterName = "r", Title = "t", ExternalId = "old-1",
        }, new Actor(ActorKind.ApiKey, "7", "hotline"));
        Assert.True(replay.Duplicate);
        Assert.Equal(41, replay.Id);
    }

    [Fact]
    public async Task RaiseCameraAlert_ExternalIdIsPerCallerAndCamera_AndAReplayMustSayTheSame()
    {
        var first = await _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.8, ExternalId = "vp-1" }, Platform);

        var other = await _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.9, ExternalId = "vp-1" }, OtherPlatform);
        var replay = await _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = 0.8, ExternalId = "vp-1" }, Platform);
        var conflict = await Assert.ThrowsAsync<ConflictException>(() =>
            _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "intrusion", ExternalId = "vp-1" }, Platform));

        Assert.False(other.Duplicate);
        Assert.NotEqual(first.Id, other.Id);
        Assert.True(replay.Duplicate);
        Assert.Equal(first.Id, replay.Id);
        Assert.Equal("externalId", conflict.Field);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM CameraAlert"));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM CameraAlert WHERE Caller = 'ApiKey:14' AND Kind = 'fire_smoke'"));
    }

    // ---- 2. staff within the actor's community ----

    [Fact]
    public async Task CheckInPatrol_StaffOfAnotherCommunity_IsNotAKnownStaffMember()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 3 }, South));
        var own = await _handlers.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 1 }, North);

        Assert.Equal(["staffId"], ex.Errors.Keys);
        Assert.Equal(["1 is not a known staff member."], ex.Errors["staffId"]);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM PatrolCheckIn"));
        Assert.True(own.Id > 0);
    }

    [Fact]
    public async Task RecordVisit_StaffOfAnotherCommunity_IsNotAKnownStaffMember()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 3 }, South));

        Assert.Equal(["staffId"], ex.Errors.Keys);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM HouseholdVisit"));
        Assert.True((await _handlers.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 1 }, North)).Id > 0);
    }

    // ---- 11. non-finite numbers, 17. negative zero ----

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task NonFiniteNumbers_AreFieldErrorsOnEveryWrite(double bad)
    {
        var incident = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.ReportIncidentAsync(Incident(1, "t", null) with { Lon = bad, Lat = 34.8 }));
        var incidentLat = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.ReportIncidentAsync(Incident(1, "t", null) with { Lon = 117.5, Lat = bad }));
        var patrol = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 1, Lon = bad, Lat = 34.8 }));
        var reading = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.RecordReadingsAsync(new RecordReadings { Readings = [new() { SensorId = "WL-01", DepthCm = bad }] }));
        var alert = await Assert.ThrowsAsync<InputValidationException>(() =>
            _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd", Confidence = bad }));

        Assert.Equal(["lon"], incident.Errors.Keys);
        Assert.Equal(["lat"], incidentLat.Errors.Keys);
        Assert.Equal(["lon"], patrol.Errors.Keys);
        Assert.Equal(["readings[0].depthCm"], reading.Errors.Keys);
        Assert.Equal(["confidence"], alert.Errors.Keys);
        Assert.Equal(0, await CountAsync("SELECT (SELECT COUNT(*) FROM Incident) + (SELECT COUNT(*) FROM PatrolCheckIn) + (SELECT COUNT(*) FROM SensorReading) + (SELECT COUNT(*) FROM CameraAlert)"));
    }

    [Fact]
    public async Task RecordReadings_NegativeZero_IsStoredAndPublishedAsZero()
    {
        await _handlers.RecordReadingsAsync(new RecordReadings { Readings = [new() { SensorId = "WL-01", DepthCm = -0.0 }] });

        var e = Assert.IsType<ReadingsEvent>(Assert.Single(_sink.Events));
        Assert.False(double.IsNegative(e.Readings.Single().DepthCm), "the board would show -0 cm");
        await using var c = await _db.Factory.OpenAsync();
        Assert.False(double.IsNegative(await c.ExecuteScalarAsync<double>("SELECT DepthCm FROM SensorReading")));
    }

    // ---- 7. unbounded text ----

    [Fact]
    public async Task IncidentAction_HugeNote_IsRefusedAndNothingIsLogged()
    {
        var accepted = await _handlers.ReportIncidentAsync(Incident(1, "Bin", null));

        var ex = Assert.Throws<InputValidationException>(() => new VerifyBody { FromStep = "Reported", Note = new string('n', 1_000_000) }.Validate());
        var ok = await _handlers.AdvanceIncidentAsync(accepted.Id, new string('n', 1000));

        Assert.Equal(["note"], ex.Errors.Keys);
        Assert.Equal(IncidentStep.Verified, ok);
        Assert.Equal(1000, await CountAsync("SELECT MAX(LENGTH(Note)) FROM IncidentStepLog"));
        Assert.True(await CountAsync("SELECT MAX(LENGTH(Details)) FROM AuditLog") < 2000, "the audit's details stay bounded");
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM IncidentStepLog"));
    }

    [Fact]
    public async Task ReportIncident_BidiOverrideAndInvisibleTitle_AreStrippedOrRequired()
    {
        var accepted = await _handlers.ReportIncidentAsync(Incident(1, "\u202Etxt.exe\u202C fly-tipping", null));
        var invisible = await Assert.ThrowsAsync<InputValidationException>(() => _handlers.ReportIncidentAsync(Incident(1, "\u200B\u200E\uFEFF", null)));

        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal("txt.exe fly-tipping", await c.ExecuteScalarAsync<string>("SELECT Title FROM Incident WHERE Id = @Id", new { accepted.Id }));
        Assert.Equal(["title"], invisible.Errors.Keys);
    }

    // ---- 2. grid imports: scope, place, audit ----

    [Fact]
    public async Task ImportBoundaries_GridOfAnotherCommunity_IsNotAKnownGrid()
    {
        var byId = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync(Collection(Feature("\"gridId\":3", NearStreet)), North));
        var byCode = await Assert.ThrowsAsync<InputValidationException>(() =>
            _importer.ImportAsync(Collection(Feature("\"gridId\":1", NearStreet), Feature("\"code\":\"370402003002001\"", NearStreet)), North));

        Assert.Equal(["features[0].properties.gridId"], byId.Errors.Keys);
        Assert.Equal(["3 is not a known grid."], byId.Errors["features[0].properties.gridId"]);
        Assert.Equal(["features[1].properties.code"], byCode.Errors.Keys);
        Assert.Equal(TestStreet.Polygon, await BoundaryAsync(3));
        Assert.Equal(TestStreet.Polygon, await BoundaryAsync(1));
        Assert.Equal(new GridImportResult(1, 1), await _importer.ImportAsync(Collection(Feature("\"gridId\":1", NearStreet)), North));
    }

    [Theory]
    [InlineData(WorldSized)]
    [InlineData("[[[118.10,34.80],[118.11,34.80],[118.11,34.81],[118.10,34.81],[118.10,34.80]]]")] // small, but 55 km east
    [InlineData("[[[117.50,34.80],[117.50,34.90],[117.45,34.90],[117.50,34.80]]]")]                 // 10 km north of the street
    public async Task ImportBoundaries_PolygonFarOutsideTheStreet_IsRefusedNamingTheGeometry(string coordinates)
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _importer.ImportAsync(Collection(Feature("\"gridId\":2", NearStreet), Feature("\"gridId\":1", coordinates)), Platform));

        Assert.Equal(["features[1].geometry"], ex.Errors.Keys);
        Assert.Equal(TestStreet.Polygon, await BoundaryAsync(1));
        Assert.Equal(TestStreet.Polygon, await BoundaryAsync(2));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM AuditLog"));
    }

    [Fact]
    public async Task ImportBoundaries_FirstImportIntoAStreetWithoutBoundaries_IsAcceptedButNotAWorldSizedOne()
    {
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE Grid SET BoundaryGeoJson = NULL", transaction: tx));
        const string elsewhere = "[[[120.10,30.20],[120.12,30.20],[120.12,30.22],[120.10,30.22],[120.10,30.20]]]";

        var world = await Assert.ThrowsAsync<InputValidationException>(() => _importer.ImportAsync(Collection(Feature("\"gridId\":1", WorldSized))));
        var result = await _importer.ImportAsync(Collection(Feature("\"gridId\":1", elsewhere), Feature("\"gridId\":2", elsewhere)));

        Assert.Equal(["features[0].geometry"], world.Errors.Keys);
        Assert.Equal(new GridImportResult(2, 2), result);
        Assert.Contains("120.12", await BoundaryAsync(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportBoundaries_AuditsEachReplacedGridWithItsOldBoundary()
    {
        await _importer.ImportAsync(Collection(Feature("\"code\":\"370402003001001\"", NearStreet)), North);

        var log = new AuditLog(_db.Factory);
        var replaced = Assert.Single(await log.ListAsync(new AuditFilter(Action: "grid.boundary-replaced")));
        Assert.Equal("grid", replaced.EntityType);
        Assert.Equal("1", replaced.EntityId);
        Assert.Equal(North.Name, replaced.ActorName);
        using var details = JsonDocument.Parse(replaced.Details!);
        Assert.Equal("370402003001001", details.RootElement.GetProperty("code").GetString());
        Assert.Equal(TestStreet.Polygon, details.RootElement.GetProperty("oldBoundary").GetRawText());
        var summary = Assert.Single(await log.ListAsync(new AuditFilter(Action: "grids.boundaries-imported")));
        using var summaryDetails = JsonDocument.Parse(summary.Details!);
        Assert.Equal([1], summaryDetails.RootElement.GetProperty("gridIds").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task ImportBoundaries_HugeOldBoundary_IsAuditedByItsFingerprintNotWhole()
    {
        var ring = Enumerable.Range(0, 20_000).Select(k => (117.5 + (0.01 * Math.Cos(k * 2 * Math.PI / 20_000)), 34.805 + (0.005 * Math.Sin(k * 2 * Math.PI / 20_000))))
            .Select(p => FormattableString.Invariant($"[{p.Item1},{p.Item2}]")).ToList();
        ring.Add(ring[0]);
        var huge = "{\"type\":\"Polygon\",\"coordinates\":[[" + string.Join(",", ring) + "]]}";
        await _db.Factory.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE Grid SET BoundaryGeoJson = @huge WHERE Id = 1", new { huge }, tx));

        await _importer.ImportAsync(Collection(Feature("\"gridId\":1", NearStreet)));

        var replaced = Assert.Single(await new AuditLog(_db.Factory).ListAsync(new AuditFilter(Action: "grid.boundary-replaced")));
        Assert.True(replaced.Details!.Length < 1000, $"details of {replaced.Details.Length} characters");
        using var details = JsonDocument.Parse(replaced.Details);
        var old = details.RootElement.GetProperty("oldBoundary");
        Assert.Equal(huge.Length, old.GetProperty("chars").GetInt32());
        Assert.Equal(20_001, old.GetProperty("positions").GetInt32());
        Assert.Equal(64, old.GetProperty("sha256").GetString()!.Length);
    }
}
