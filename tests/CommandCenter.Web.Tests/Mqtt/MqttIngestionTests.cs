using System.Globalization;
using CommandCenter.Web.Ingestion;

namespace CommandCenter.Web.Tests.Mqtt;

/// <summary>Readings and Frigate events over a real mosquitto: stored once under redelivery, malformed counted, camera alerts and status.</summary>
public sealed class MqttIngestionTests(MqttAppFactory app) : IClassFixture<MqttAppFactory>
{
    private static string At(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    [MosquittoFact]
    public async Task Readings_DeliveredTwice_AreStoredOnce()
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5).AddTicks(-(DateTimeOffset.UtcNow.Ticks % TimeSpan.TicksPerSecond));
        var single = $"{{\"depthCm\": 12.5, \"measuredAt\": \"{At(t0)}\", \"id\": \"r-1\"}}";
        var array = $"[{{\"depthCm\": 13, \"measuredAt\": \"{At(t0.AddSeconds(1))}\"}}, {{\"depthCm\": 14, \"measuredAt\": \"{At(t0.AddSeconds(2))}\"}}]";
        var before = app.Stats.CountsOf(MqttTopicKind.Readings);

        // The same messages twice: what a QoS 1 redelivery looks like to the subscriber.
        await app.PublishAsync(("commandcenter/readings/WL-02", single), ("commandcenter/readings/WL-02", array),
            ("commandcenter/readings/WL-02", single), ("commandcenter/readings/WL-02", array));

        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.CountsOf(MqttTopicKind.Readings).Received - before.Received >= 6
            && app.Stats.CountsOf(MqttTopicKind.Readings) is var c && c.Accepted + c.Duplicate - before.Accepted - before.Duplicate >= 6), "six readings are processed");
        var stored = await app.QueryAsync<long>(
            "SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint w ON w.Id = r.WaterPointId WHERE w.Code = 'WL-02' AND r.MeasuredAt >= @From AND r.MeasuredAt <= @To",
            new { From = t0, To = t0.AddSeconds(2) });
        Assert.Equal(3, stored);
        var after = app.Stats.CountsOf(MqttTopicKind.Readings);
        Assert.Equal(3, after.Accepted - before.Accepted);
        Assert.Equal(3, after.Duplicate - before.Duplicate);
    }

    [MosquittoFact]
    public async Task MalformedMessages_AreCounted_AndTheSubscriberGoesOn()
    {
        var before = app.Stats.CountsOf(MqttTopicKind.Readings);
        var t = DateTimeOffset.UtcNow.AddMinutes(-3);

        await app.PublishAsync(
            ("commandcenter/readings/WL-03", "not json at all"),
            ("commandcenter/readings/WL-03", "{\"depthCm\": \"deep\", \"measuredAt\": \"2026-01-01T00:00:00Z\"}"),
            ("commandcenter/readings/WL-03", "{\"depthCm\": 5}"),
            ("commandcenter/readings/NO-SUCH-POINT", $"{{\"depthCm\": 5, \"measuredAt\": \"{At(t)}\"}}"),
            ("frigate/events", "{\"type\": \"new\"}"),
            ("commandcenter/readings/WL-03", $"{{\"depthCm\": 7.25, \"measuredAt\": \"{At(t)}\"}}"));

        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>(
            "SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint w ON w.Id = r.WaterPointId WHERE w.Code = 'WL-03' AND r.DepthCm = 7.25") == 1,
            "the good reading after the malformed ones is stored");
        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.CountsOf(MqttTopicKind.Readings).Malformed - before.Malformed == 4), "four malformed readings are counted");
        Assert.True(app.Stats.CountsOf(MqttTopicKind.FrigateEvents).Malformed >= 1);
        Assert.True(app.Stats.Snapshot().Connected);
    }

    [MosquittoFact]
    public async Task FrigateEvent_RaisesOneCameraAlert_ItsUpdatesDoNotRepeatIt()
    {
        var id = "1718000000.123456-" + Guid.NewGuid().ToString("N")[..6];
        var start = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds() / 1000.0;
        string Event(string type, double score) =>
            $"{{\"type\": \"{type}\", \"before\": {{}}, \"after\": {{\"id\": \"{id}\", \"camera\": \"CAM-0001\", \"label\": \"fire\", \"top_score\": {score.ToString(CultureInfo.InvariantCulture)}, \"start_time\": {start.ToString(CultureInfo.InvariantCulture)}, \"has_snapshot\": true}}}}";

        await app.PublishAsync(("frigate/events", Event("new", 0.93)), ("frigate/events", Event("update", 0.95)), ("frigate/events", Event("end", 0.95)), ("frigate/events", Event("new", 0.93)));

        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:" + id }) == 1,
            "the Frigate event is stored as a camera alert");
        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.CountsOf(MqttTopicKind.FrigateEvents).Duplicate >= 3), "the repeats are counted as duplicates");
        Assert.Equal(1, await app.QueryAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:" + id }));
        Assert.Equal("fire_smoke", await app.QueryAsync<string>("SELECT Kind FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:" + id }));
        Assert.Equal(0.93, await app.QueryAsync<double>("SELECT Confidence FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:" + id }), 3);
    }

    [MosquittoFact]
    public async Task FrigateRepeat_FoldedIntoAnOpenAlert_CountsOnce_HoweverOftenItIsRedelivered()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow.AddSeconds(-20).ToUnixTimeMilliseconds() / 1000.0;
        string Event(string id, string type, double score, double offset, bool snapshot = false) =>
            $"{{\"type\": \"{type}\", \"after\": {{\"id\": \"{id}\", \"camera\": \"CAM-0002\", \"label\": \"car\", \"top_score\": {score.ToString(CultureInfo.InvariantCulture)}, \"start_time\": {(start + offset).ToString(CultureInfo.InvariantCulture)}, \"has_snapshot\": {(snapshot ? "true" : "false")}}}}}";
        var before = app.Stats.CountsOf(MqttTopicKind.FrigateEvents);

        await app.PublishAsync(("frigate/events", Event("a-" + run, "new", 0.9, 0)));
        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>("SELECT COUNT(*) FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:a-" + run }) == 1,
            "the first event is stored as an alert");
        // A second Frigate event of the same camera and label folds into it; its update, its end and a redelivery of it change nothing.
        await app.PublishAsync(("frigate/events", Event("b-" + run, "new", 0.8, 5)), ("frigate/events", Event("b-" + run, "update", 0.85, 5)),
            ("frigate/events", Event("b-" + run, "end", 0.85, 5)), ("frigate/events", Event("b-" + run, "new", 0.8, 5)));

        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.CountsOf(MqttTopicKind.FrigateEvents).Duplicate - before.Duplicate >= 3),
            "the update, the end and the redelivery are duplicates");
        Assert.Equal(2, await app.QueryAsync<long>("SELECT RepeatCount FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:a-" + run }));
        Assert.Equal(1, await app.QueryAsync<long>("SELECT COUNT(*) FROM CameraAlertRepeat WHERE ExternalId = @Id", new { Id = "frigate:b-" + run }));
        Assert.Equal(0, await app.QueryAsync<long>("SELECT HasSnapshot FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:a-" + run }));

        // Frigate has the first event's snapshot only by its end: the alert is marked then (the console links it).
        await app.PublishAsync(("frigate/events", Event("a-" + run, "end", 0.92, 0, snapshot: true)));
        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>("SELECT HasSnapshot FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:a-" + run }) == 1,
            "the later message's has_snapshot is stored on the alert");
        Assert.Equal(2, await app.QueryAsync<long>("SELECT RepeatCount FROM CameraAlert WHERE ExternalId = @Id", new { Id = "frigate:a-" + run }));
    }

    [MosquittoFact]
    public async Task FrigateAvailability_SetsTheStatusOfItsCameras()
    {
        var start = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeSeconds();
        // CAM-0002 becomes one of Frigate's cameras by its events (a label not mapped: ignored, but the camera is known).
        await app.PublishAsync(("frigate/events", $"{{\"type\": \"new\", \"after\": {{\"id\": \"x-{Guid.NewGuid():N}\", \"camera\": \"CAM-0002\", \"label\": \"dog\", \"top_score\": 0.8, \"start_time\": {start}}}}}"));
        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.CountsOf(MqttTopicKind.FrigateEvents).Ignored >= 1), "the event is seen");

        await app.PublishAsync(("frigate/available", "offline"));
        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>("SELECT IsOnline FROM Camera WHERE Code = 'CAM-0002'") == 0, "the camera is offline");

        await app.PublishAsync(("frigate/available", "online"));
        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>("SELECT IsOnline FROM Camera WHERE Code = 'CAM-0002'") == 1, "the camera is online again");
        Assert.True(await app.QueryAsync<long>("SELECT COUNT(*) FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId WHERE c.Code = 'CAM-0002' AND a.Kind = 'camera_offline'") >= 1);
    }
}

/// <summary>A broker outage: the subscriber sees it, retries with back-off and takes messages again once the broker is back.</summary>
public sealed class MqttReconnectTests(MqttAppFactory app) : IClassFixture<MqttAppFactory>
{
    [MosquittoFact]
    public async Task BrokerKilledAndRestarted_SubscriberReconnects_AndStoresAgain()
    {
        var connects = app.Stats.Snapshot().Connects;

        await app.Broker.KillAsync();
        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.Snapshot() is { Connected: false, LastError: not null }), "the app sees the broker gone and says why");
        await app.Broker.StartAsync();
        await MqttAppFactory.Eventually(() => Task.FromResult(app.Stats.Snapshot() is { Connected: true } s && s.Connects > connects), "the app reconnects", 60);

        var t = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        await app.PublishAsync(("commandcenter/readings/WL-04", $"{{\"depthCm\": 9.5, \"measuredAt\": \"{t}\"}}"));
        await MqttAppFactory.Eventually(async () => await app.QueryAsync<long>(
            "SELECT COUNT(*) FROM SensorReading r JOIN WaterPoint w ON w.Id = r.WaterPointId WHERE w.Code = 'WL-04' AND r.DepthCm = 9.5") == 1, "the reading after the outage is stored");
    }
}
