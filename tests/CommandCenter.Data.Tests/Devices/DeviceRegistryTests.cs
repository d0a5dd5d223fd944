using System.Text;
using CommandCenter.Data.Devices;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Devices;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests.Devices;

/// <summary>The registry's handlers and CSV import over a real SQLite database: audited writes, refusals by field, ingestion seeing changes at once.</summary>
public sealed class DeviceRegistryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
    private static readonly Actor Admin = new(ActorKind.User, "1", "admin");
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private TestHandlers _handlers = null!;
    private DeviceRegistryEvents _events = null!;
    private BoardClock _clock = null!;
    private readonly List<string> _published = [];

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        _clock = new BoardClock(_time, TimeZoneInfo.Utc);
        _handlers = new TestHandlers(_db.Factory, _sink, _clock);
        _events = new DeviceRegistryEvents(NullLogger<DeviceRegistryEvents>.Instance);
        _events.Subscribe((reason, _) =>
        {
            _published.Add(reason);
            _handlers.Readings.InvalidateReferenceData();
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static WaterPointInput Point(string code = "WL-20") => new()
    {
        Code = code, Name = "Tunnel", NameZh = "隧道", GridId = 1, Place = "North gate", Lon = 117.505, Lat = 34.805,
        WarningDepthCm = 10, AlarmDepthCm = 25, HysteresisCm = 3, PendingSeconds = 90, RiseLimitCmPerMin = 2, ExpectedIntervalSeconds = 120,
    };

    private static CameraInput Camera(string code = "CAM-0100") => new()
    {
        Code = code, Name = "East gate", NameZh = "东门", GridId = 2, Lon = 117.506, Lat = 34.806, ExpectedIntervalSeconds = 900,
    };

    private async Task<long> AuditCountAsync(string action)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = @action", new { action });
    }

    [Fact]
    public async Task RegisterWaterPoint_StoresEverySettingAuditsAndNotifies()
    {
        var p = await new RegisterWaterPointHandler(_db.Factory, _events, _clock).HandleAsync(Point(), Admin);

        Assert.Equal("WL-20", p.Code);
        Assert.Equal("隧道", p.NameZh);
        Assert.Equal((10.0, 25.0, 3.0, 90, 2.0, 120), (p.WarningDepthCm, p.AlarmDepthCm, p.HysteresisCm, p.PendingSeconds, p.RiseLimitCmPerMin!.Value, p.ExpectedIntervalSeconds));
        Assert.Equal(1, p.CommunityId);
        Assert.Equal(1, await AuditCountAsync("device.waterpoint.create"));
        Assert.Single(_published);
        Assert.Equal(1, _events.Version);
    }

    [Fact]
    public async Task RegisterWaterPoint_ReadingsForItAreAcceptedAtOnce_NoStaleCache()
    {
        // Prime the reading handler's sensor-code cache before the point exists.
        await _handlers.RecordReadingsAsync(new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 3, MeasuredAt = Now }] });
        await new RegisterWaterPointHandler(_db.Factory, _events, _clock).HandleAsync(Point(), Admin);

        var accepted = await _handlers.RecordReadingsAsync(new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-20", DepthCm = 4, MeasuredAt = Now }] });

        Assert.Equal(1, accepted.Accepted);
    }

    [Fact]
    public async Task Register_CodeTakenOrUnknownGrid_IsRefusedByFieldAndWritesNothing()
    {
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => new RegisterWaterPointHandler(_db.Factory, _events, _clock).HandleAsync(Point("wl-01"), Admin));
        Assert.Equal("code", conflict.Field);
        var grid = await Assert.ThrowsAsync<InputValidationException>(() => new RegisterCameraHandler(_db.Factory, _events, _clock).HandleAsync(Camera() with { GridId = 99 }, Admin));
        Assert.Contains("gridId", grid.Errors.Keys);

        Assert.Equal(0, await AuditCountAsync("device.waterpoint.create"));
        Assert.Equal(0, await AuditCountAsync("device.camera.create"));
        Assert.Empty(_published);
    }

    [Fact]
    public async Task EditCamera_ChangesFieldsKeepsCode_AuditsBeforeAndAfter()
    {
        await new RegisterCameraHandler(_db.Factory, _events, _clock).HandleAsync(Camera(), Admin);

        var edited = await new EditCameraHandler(_db.Factory, _events, _clock).HandleAsync("cam-0100", Camera() with { Code = null, Name = "East gate 2", GridId = 3 }, Admin);

        Assert.Equal("CAM-0100", edited.Code);
        Assert.Equal("East gate 2", edited.Name);
        Assert.Equal(2, edited.CommunityId);
        await using var c = await _db.Factory.OpenAsync();
        var details = await c.ExecuteScalarAsync<string>("SELECT Details FROM AuditLog WHERE Action = 'device.camera.update'");
        Assert.Contains("\"before\"", details, StringComparison.Ordinal);
        Assert.Contains("East gate 2", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditCamera_AnotherCode_IsRefused_UnknownCode_IsNotFound()
    {
        await new RegisterCameraHandler(_db.Factory, _events, _clock).HandleAsync(Camera(), Admin);
        var edit = new EditCameraHandler(_db.Factory, _events, _clock);

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => edit.HandleAsync("CAM-0100", Camera("CAM-0101"), Admin));
        Assert.Contains("code", ex.Errors.Keys);
        await Assert.ThrowsAsync<DeviceNotFoundException>(() => edit.HandleAsync("CAM-7777", Camera(), Admin));
    }

    [Fact]
    public async Task EditWaterPoint_ScopedActorOfAnotherCommunity_IsNotFound()
    {
        await Assert.ThrowsAsync<DeviceNotFoundException>(() => new EditWaterPointHandler(_db.Factory, _events, _clock)
            .HandleAsync("WL-01", Point("WL-01"), new Actor(ActorKind.User, "9", "south", CommunityId: 2)));
    }

    [Fact]
    public async Task RetireWaterPoint_IngestionRefusesWithReason_SecondRetireConflicts_EditRefused()
    {
        var retire = new RetireWaterPointHandler(_db.Factory, _events, _clock);
        await _handlers.RecordReadingsAsync(new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 3, MeasuredAt = Now }] });

        var retired = await retire.HandleAsync("WL-01", Admin);

        Assert.Equal(Now, retired.RetiredAt);
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _handlers.RecordReadingsAsync(new RecordReadings
        {
            Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 4, MeasuredAt = Now.AddSeconds(1) }],
        }));
        Assert.Contains("retired", ex.Errors["readings[0].sensorId"][0], StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConflictException>(() => retire.HandleAsync("WL-01", Admin));
        await Assert.ThrowsAsync<ConflictException>(() => new EditWaterPointHandler(_db.Factory, _events, _clock).HandleAsync("WL-01", Point("WL-01"), Admin));
        Assert.Equal(1, await AuditCountAsync("device.waterpoint.retire"));
    }

    [Fact]
    public async Task RetireCamera_AlertsAreRefusedWithReason_AndItLeavesTheList()
    {
        await new RetireCameraHandler(_db.Factory, _events, _clock).HandleAsync("CAM-0001", Admin);

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "crowd" }));
        Assert.Contains("retired", ex.Errors["cameraId"][0], StringComparison.Ordinal);
        var queries = new DeviceQueries(_db.Factory);
        Assert.DoesNotContain(await queries.CamerasAsync(Admin, includeRetired: false), c => c.Code == "CAM-0001");
        Assert.Contains(await queries.CamerasAsync(Admin, includeRetired: true), c => c.Code == "CAM-0001" && c.RetiredAt == Now);
    }

    [Fact]
    public async Task ImportWaterPoints_Utf8WithBom_ChineseNames_GoodRowsKept_BadRowsReportedByLineAndField()
    {
        var csv = "\uFEFFcode,name,nameZh,gridId,place,lon,lat,warningDepthCm,alarmDepthCm,hysteresisCm\r\n" +
                  "WL-30,Underpass A,人民路下穿,1,,117.501,34.801,15,30,2\r\n" +
                  "WL-31,Underpass B,解放路下穿,1,,117.502,34.802,30,20,2\r\n" +   // alarm not above warning
                  "WL-32,Culvert,涵洞,1,,abc,34.803,15,30,\r\n" +                  // unreadable lon
                  "WL-30,Again,重复,1,,117.504,34.804,15,30,\r\n" +                // repeated in the file
                  "WL-01,Existing,已有,1,,117.505,34.805,15,30,\r\n" +             // registered already
                  "WL-33,\"Tunnel, north\",\"隧道\"\"北\"\"\",2,桥下,117.506,34.806,12,24,1\r\n";
        var importer = new DeviceCsvImporter(_db.Factory, _events, _clock);

        var report = await importer.ImportWaterPointsAsync(Encoding.UTF8.GetBytes(csv), Admin);

        Assert.Equal(["WL-30", "WL-33"], report.CreatedCodes);
        Assert.Equal(4, report.Refused);
        Assert.Contains(report.Errors, e => e is { Line: 3, Field: "alarmDepthCm" });
        Assert.Contains(report.Errors, e => e is { Line: 4, Field: "lon" } && e.Reason.Contains("not a number", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e is { Line: 5, Field: "code" } && e.Reason.Contains("line 2", StringComparison.Ordinal));
        Assert.Contains(report.Errors, e => e is { Line: 6, Field: "code" } && e.Reason.Contains("registered already", StringComparison.Ordinal));
        var queries = new DeviceQueries(_db.Factory);
        var points = await queries.WaterPointsAsync(Admin, includeRetired: false);
        Assert.Equal("人民路下穿", points.Single(p => p.Code == "WL-30").NameZh);
        Assert.Equal("隧道\"北\"", points.Single(p => p.Code == "WL-33").NameZh);
        Assert.Equal("Tunnel, north", points.Single(p => p.Code == "WL-33").Name);
        Assert.Equal(2, await AuditCountAsync("device.waterpoint.create"));
        Assert.Single(_published);
    }

    [Fact]
    public async Task ImportCameras_WithoutBom_MissingColumn_IsRefusedWhole()
    {
        var importer = new DeviceCsvImporter(_db.Factory, _events, _clock);

        var ok = await importer.ImportCamerasAsync(Encoding.UTF8.GetBytes("Code, Name ,nameZh,gridId,lon,lat\nCAM-0500,Gate,大门,1,117.5,34.8\n"), Admin);
        Assert.Equal(1, ok.Created);
        Assert.Empty(ok.Errors);

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => importer.ImportCamerasAsync(Encoding.UTF8.GetBytes("code,name,lon,lat\nCAM-0501,Gate,117.5,34.8\n"), Admin));
        Assert.Contains("gridId", ex.Errors["file"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NotUtf8_IsRefusedNamingTheFile()
    {
        var gbk = new byte[] { 0x63, 0x6F, 0x64, 0x65, 0x0A, 0xC4, 0xE3, 0xBA, 0xC3, 0x0A }; // "code\n" + 你好 in GBK

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => new DeviceCsvImporter(_db.Factory, _events, _clock).ImportCamerasAsync(gbk, Admin));

        Assert.Contains("UTF-8", ex.Errors["file"][0], StringComparison.Ordinal);
    }
}
