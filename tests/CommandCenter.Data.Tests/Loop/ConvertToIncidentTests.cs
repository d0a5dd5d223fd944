using CommandCenter.Data.Cameras;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Data.Tests.Loop;

public sealed class ConvertToIncidentTests : LoopFieldFixture
{
    private async Task<long> AlertAsync(string kind = "fire_smoke") =>
        (await Handlers.RaiseCameraAlertAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = kind, Confidence = 0.9 })).Id;

    private async Task<long> AlarmAsync()
    {
        await using var c = await Db.Factory.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "INSERT INTO WaterAlarm (WaterPointId, Kind, RaisedAt, DepthCm, PeakDepthCm) VALUES (1, 2, '2026-03-02T00:55:00.0000000Z', 31, 34) RETURNING Id");
    }

    [Fact]
    public async Task CameraAlert_BecomesAnIncident_LinkedBothWays_InItsGrid()
    {
        var alertId = await AlertAsync();

        var converted = await Convert.ConvertCameraAlertAsync(alertId, Operator);

        Assert.NotNull(converted);
        Assert.False(converted.Existing);
        await using var c = await Db.Factory.OpenAsync();
        var incident = await Dapper.SqlMapper.QuerySingleAsync<(long SourceAlertId, int Source, int GridId, string Category, string Title, int Priority, double Lon, int HolderKind, int HolderId)>(c,
            "SELECT SourceAlertId, Source, GridId, Category, Title, Priority, Lon, HolderKind, HolderId FROM Incident WHERE Id = @Id", new { Id = converted.IncidentId });
        Assert.Equal(alertId, incident.SourceAlertId);
        Assert.Equal((int)IncidentSource.Camera, incident.Source);
        Assert.Equal(1, incident.GridId); // CAM-0001 is in grid 1
        Assert.Equal("fire", incident.Category);
        Assert.Contains("烟火", incident.Title, StringComparison.Ordinal);
        Assert.Equal((int)IncidentPriority.Urgent, incident.Priority);
        Assert.Equal(117.505, incident.Lon);
        Assert.Equal((1, 1), (incident.HolderKind, incident.HolderId));
        var alert = await Dapper.SqlMapper.QuerySingleAsync<(long IncidentId, int Status)>(c, "SELECT IncidentId, Status FROM CameraAlert WHERE Id = @Id", new { Id = alertId });
        Assert.Equal((converted.IncidentId, (int)AlertStatus.Converted), alert);
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM AuditLog WHERE Action = 'incident.converted' AND EntityId = @Id", new { Id = converted.IncidentId.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var e = Assert.Single(Sink.Events.OfType<IncidentEvent>(), x => x.Id == converted.IncidentId);
        Assert.Equal(IncidentStep.Reported, e.Step);
        Assert.True(e.Sequence > 0);
    }

    [Fact]
    public async Task CameraAlert_ConvertedTwice_AnswersTheSameIncident_AndMakesNoSecond()
    {
        var alertId = await AlertAsync();

        var first = await Convert.ConvertCameraAlertAsync(alertId, Operator);
        var events = Sink.Events.Count;
        var second = await Convert.ConvertCameraAlertAsync(alertId, Admin);

        Assert.Equal(first!.IncidentId, second!.IncidentId);
        Assert.True(second.Existing);
        Assert.Equal(first.Number, second.Number);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM Incident"));
        Assert.Equal(events, Sink.Events.Count);
    }

    [Fact]
    public async Task CameraStatusAlert_IsNotConverted_409()
    {
        var alertId = await AlertAsync("camera_offline");

        var ex = await Assert.ThrowsAsync<ConflictException>(() => Convert.ConvertCameraAlertAsync(alertId, Operator));

        Assert.Equal(409, ex.Status);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM Incident"));
    }

    [Fact]
    public async Task Alert_UnknownOrOutsideTheScope_IsNull()
    {
        var alertId = await AlertAsync(); // grid 1, community 1
        var southOperator = new Actor(ActorKind.User, "9", "south", CommunityId: 2);

        Assert.Null(await Convert.ConvertCameraAlertAsync(alertId, southOperator));
        Assert.Null(await Convert.ConvertCameraAlertAsync(999, Operator));
        Assert.Null(await Convert.ConvertWaterAlarmAsync(999, Operator));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM Incident"));
    }

    [Fact]
    public async Task WaterAlarm_BecomesAFloodingIncident_LinkedBothWays_OnceOnly()
    {
        var alarmId = await AlarmAsync();

        var first = await Convert.ConvertWaterAlarmAsync(alarmId, Operator);
        var again = await Convert.ConvertWaterAlarmAsync(alarmId, Operator);

        Assert.False(first!.Existing);
        Assert.True(again!.Existing);
        Assert.Equal(first.IncidentId, again.IncidentId);
        await using var c = await Db.Factory.OpenAsync();
        var incident = await Dapper.SqlMapper.QuerySingleAsync<(long SourceAlarmId, int Source, int GridId, string Category, string Title)>(c,
            "SELECT SourceAlarmId, Source, GridId, Category, Title FROM Incident WHERE Id = @Id", new { Id = first.IncidentId });
        Assert.Equal((alarmId, (int)IncidentSource.Sensor, 2, "flooding"), (incident.SourceAlarmId, incident.Source, incident.GridId, incident.Category));
        Assert.Contains("下穿隧道", incident.Title, StringComparison.Ordinal);
        Assert.Equal(first.IncidentId, await ScalarAsync<long>("SELECT IncidentId FROM WaterAlarm WHERE Id = @Id", new { Id = alarmId }));
        // The flooding deadline of the micro cycle from the settings (4 h).
        Assert.Equal(Now.AddHours(4), first.DueAt);
    }

    [Fact]
    public async Task Converting_TakesTheNoticeOffTheBoard_LiveAndAfterARestart()
    {
        var loader = new Live.BoardLoader(Db.Factory, Clock);
        var live = new LiveBoard(Clock);
        var alarmId = await AlarmAsync();
        var alertId = (await new RaiseCameraAlertHandler(Db.Factory, live, Clock)
            .HandleAsync(new RaiseCameraAlert { CameraId = "CAM-0001", Kind = "fire_smoke", Confidence = 0.93, OccurredAt = Now.AddSeconds(-1) }, Actor.SystemActor)).Id;
        live.Load(await loader.LoadAsync());
        Assert.Equal([(AlarmSource.CameraAlert, alertId), (AlarmSource.WaterAlarm, alarmId)], live.GetSnapshot().Notices.Select(n => (n.Source, n.Id)));
        var convert = new ConvertToIncidentHandler(Db.Factory, live, Clock, Settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<ConvertToIncidentHandler>.Instance);

        var fromAlert = await convert.ConvertCameraAlertAsync(alertId, Operator);

        Assert.Equal([(AlarmSource.WaterAlarm, alarmId)], live.GetSnapshot().Notices.Select(n => (n.Source, n.Id)));
        Assert.Equal(AlertStatus.Converted, Assert.Single(live.GetSnapshot().RecentAlerts, a => a.Id == alertId).Status);

        var fromAlarm = await convert.ConvertWaterAlarmAsync(alarmId, Operator);

        Assert.Empty(live.GetSnapshot().Notices);
        Assert.False(fromAlert!.Existing || fromAlarm!.Existing);
        Assert.Equal(2, live.GetSnapshot().Incidents.Open);
        // The alarm counts as acknowledged by the operator who converted it, in the same transaction, so a restart keeps it down.
        Assert.Equal(2L, await ScalarAsync<long>("SELECT AcknowledgedByUserId FROM WaterAlarm WHERE Id = @Id AND AcknowledgedAt IS NOT NULL", new { Id = alarmId }));
        var restarted = new LiveBoard(Clock);
        restarted.Load(await loader.LoadAsync());
        Assert.Empty(restarted.GetSnapshot().Notices);
    }
}
