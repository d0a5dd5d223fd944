using CommandCenter.Tests.Shared;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

public sealed class IngestionServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero); // 14:00 in Shanghai
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private TestHandlers _service = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        var clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        _service = new TestHandlers(_db.Factory, _sink, clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static ReportIncident ValidIncident => new()
    {
        Category = "sanitation", GridId = 1, Source = "GridPatrol", ReporterName = "王五", Title = "Overflowing bin",
        Description = "Bin at gate 2 overflowing", Lon = 117.505, Lat = 34.805,
    };

    [Fact]
    public async Task ReportIncidentAsync_ValidInput_CommitsRowStepLogAndPublishesAfterCommit()
    {
        var accepted = await _service.ReportIncidentAsync(ValidIncident);

        Assert.False(accepted.Duplicate);
        Assert.Equal("Reported", accepted.Step);
        Assert.Equal(IncidentNumbers.Format(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Now, CommandCenter.Domain.Live.BoardClock.FindZone("Asia/Shanghai")).DateTime), accepted.Id), accepted.Number);
        Assert.Equal(Now.AddHours(24), accepted.DueAt);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Incident WHERE Id = @Id AND Number = @Number", new { accepted.Id, accepted.Number }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @Id AND Step = 1", new { accepted.Id }));
        var e = Assert.IsType<IncidentEvent>(Assert.Single(_sink.Events));
        Assert.Equal(accepted.Id, e.Id);
        Assert.Null(e.PreviousStep);
    }

    [Fact]
    public async Task ReportIncidentAsync_MissingAndInvalidFields_NamesEveryFieldAndWritesNothing()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.ReportIncidentAsync(new ReportIncident
        {
            Category = "aliens", Source = "Carrier pigeon", Lon = 500, Lat = 34.8, ReportedAt = Now.AddHours(2),
        }));

        Assert.Equal(
            new[] { "category", "gridId", "lon", "reportedAt", "reporterName", "source", "title" },
            ex.Errors.Keys.Order(StringComparer.Ordinal));
        await AssertCountAsync("Incident", 0);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task ReportIncidentAsync_UnknownGrid_IsRejectedAndNothingIsHalfWritten()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.ReportIncidentAsync(ValidIncident with { GridId = 99 }));

        Assert.Contains("gridId", ex.Errors.Keys);
        await AssertCountAsync("Incident", 0);
        await AssertCountAsync("IncidentStepLog", 0);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task ReportIncidentAsync_SameExternalIdTwice_StoresOnceAndReturnsTheFirst()
    {
        var first = await _service.ReportIncidentAsync(ValidIncident with { ExternalId = "app-42" });
        var second = await _service.ReportIncidentAsync(ValidIncident with { ExternalId = "app-42" });

        Assert.True(second.Duplicate);
        Assert.Equal(first.Id, second.Id);
        await AssertCountAsync("Incident", 1);
        Assert.Single(_sink.Events);
    }

    [Fact]
    public async Task ReportIncidentAsync_InjectionAndScriptText_IsStoredVerbatim()
    {
        const string title = "'); DROP TABLE Incident; -- <script>alert(1)</script>";
        var accepted = await _service.ReportIncidentAsync(ValidIncident with { Title = title });

        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(title, await c.ExecuteScalarAsync<string>("SELECT Title FROM Incident WHERE Id = @Id", new { accepted.Id }));
    }

    [Fact]
    public async Task AdvanceIncidentAsync_FromReported_WalksTheSixStepsThenStops()
    {
        var accepted = await _service.ReportIncidentAsync(ValidIncident);
        var steps = new List<IncidentStep?>();
        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            steps.Add(await _service.AdvanceIncidentAsync(accepted.Id));
        }

        Assert.Equal(new IncidentStep?[] { IncidentStep.Verified, IncidentStep.Dispatched, IncidentStep.Processed, IncidentStep.FeedbackGiven, IncidentStep.Closed, null }, steps);
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(6, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @Id", new { accepted.Id }));
        Assert.NotNull(await c.ExecuteScalarAsync<string>("SELECT ClosedAt FROM Incident WHERE Id = @Id", new { accepted.Id }));
        var last = Assert.IsType<IncidentEvent>(_sink.Events[^1]);
        Assert.Equal(IncidentStep.Closed, last.Step);
        Assert.Equal(IncidentStep.FeedbackGiven, last.PreviousStep);
    }

    [Fact]
    public async Task RecordReadingsAsync_OneBadReadingInBatch_RejectsTheWholeBatchNamingIt()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.RecordReadingsAsync(new RecordReadings
        {
            Readings = [new() { SensorId = "WL-01", DepthCm = 3 }, new() { SensorId = "WL-99", DepthCm = 3 }, new() { SensorId = "WL-01", DepthCm = -1 }],
        }));

        Assert.Equal(new[] { "readings[1].sensorId", "readings[2].depthCm" }, ex.Errors.Keys.Order(StringComparer.Ordinal));
        await AssertCountAsync("SensorReading", 0);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public async Task RecordReadingsAsync_ValidBatch_StoresAllAndPublishesOneEvent()
    {
        var result = await _service.RecordReadingsAsync(new RecordReadings
        {
            Readings = [new() { SensorId = "WL-01", DepthCm = 3.5, MeasuredAt = Now.AddSeconds(-10) }, new() { SensorId = "wl-01", DepthCm = 4 }],
        });

        Assert.Equal(2, result.Accepted);
        await AssertCountAsync("SensorReading", 2);
        var e = Assert.IsType<ReadingsEvent>(Assert.Single(_sink.Events));
        Assert.Equal(new[] { 3.5, 4 }, e.Readings.Select(r => r.DepthCm));
    }

    [Fact]
    public async Task RecordReadingsAsync_EmptyBatch_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.RecordReadingsAsync(new RecordReadings { Readings = [] }));
        Assert.Contains("readings", ex.Errors.Keys);
    }

    [Fact]
    public async Task RaiseCameraAlertAsync_UnknownCamera_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-9999", Kind = "crowd" }));

        Assert.Contains("cameraId", ex.Errors.Keys);
        await AssertCountAsync("CameraAlert", 0);
    }

    [Fact]
    public async Task RaiseCameraAlertAsync_CameraOffline_MarksCameraOfflineAndPublishesStatusAndAlert()
    {
        await _service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "camera_offline" });

        await using var c = await _db.Factory.OpenAsync();
        Assert.False(await c.ExecuteScalarAsync<bool>("SELECT IsOnline FROM Camera WHERE Id = 2"));
        var alert = Assert.IsType<CameraAlertEvent>(_sink.Events[1]);
        Assert.Equal("camera_offline", alert.Kind);
        Assert.Equal(new CameraStatusEvent(2, false, Now) { Sequence = alert.Id }, _sink.Events[0]);
    }

    [Fact]
    public async Task RaiseCameraAlertAsync_StatusOlderThanTheStoredOne_ChangesNothingAndPublishesNoStatus()
    {
        await _service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "camera_offline" });
        var before = _sink.Events.Count;

        await _service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0002", Kind = "camera_online", OccurredAt = Now.AddHours(-1) });

        await using var c = await _db.Factory.OpenAsync();
        Assert.False(await c.ExecuteScalarAsync<bool>("SELECT IsOnline FROM Camera WHERE Id = 2"));
        Assert.IsType<CameraAlertEvent>(Assert.Single(_sink.Events.Skip(before)));
    }

    [Fact]
    public async Task EveryHandler_PublishesItsRowIdAsTheEventSequence()
    {
        var incident = await _service.ReportIncidentAsync(ValidIncident);
        await _service.AdvanceIncidentAsync(incident.Id);
        await _service.RecordReadingsAsync(new RecordReadings { Readings = [new() { SensorId = "WL-01", DepthCm = 3 }] });
        var patrol = await _service.CheckInPatrolAsync(new CheckInPatrol { StaffId = 1, GridId = 1 });
        var visit = await _service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 1 });

        await using var c = await _db.Factory.OpenAsync();
        var steps = (await c.QueryAsync<long>("SELECT Id FROM IncidentStepLog WHERE IncidentId = @Id ORDER BY Id", new { incident.Id })).ToList();
        Assert.Equal(steps, _sink.Events.OfType<IncidentEvent>().Select(e => e.Sequence));
        Assert.Equal(await c.ExecuteScalarAsync<long>("SELECT MAX(Id) FROM SensorReading"), Assert.Single(_sink.Events.OfType<ReadingsEvent>()).Sequence);
        Assert.Equal(patrol.Id, Assert.Single(_sink.Events.OfType<PatrolEvent>()).Sequence);
        Assert.Equal(visit.Id, Assert.Single(_sink.Events.OfType<VisitEvent>()).Sequence);
    }

    [Fact]
    public async Task RaiseCameraAlertAsync_ConfidenceOutOfRangeAndUnknownKind_NamesBoth()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _service.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "ufo", Confidence = 1.5 }));

        Assert.Equal(new[] { "confidence", "kind" }, ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CheckInPatrolAsync_InactiveStaff_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.CheckInPatrolAsync(new CheckInPatrol { StaffId = 2, GridId = 1 }));

        Assert.Contains("staffId", ex.Errors.Keys);
        await AssertCountAsync("PatrolCheckIn", 0);
    }

    [Fact]
    public async Task RecordVisitAsync_KeyHousehold_PublishesKeyVisit()
    {
        await _service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 1 });
        await _service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 2 });

        await AssertCountAsync("HouseholdVisit", 2);
        Assert.Equal(new[] { true, false }, _sink.Events.Cast<VisitEvent>().Select(v => v.IsKeyHousehold));
    }

    [Fact]
    public async Task RecordVisitAsync_UnknownHousehold_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _service.RecordVisitAsync(new RecordVisit { StaffId = 1, HouseholdId = 77 }));
        Assert.Contains("householdId", ex.Errors.Keys);
    }

    private async Task AssertCountAsync(string table, int expected)
    {
        await using var c = await _db.Factory.OpenAsync();
        Assert.Equal(expected, await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}"));
    }
}
