using System.Buffers;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Ingestion;

/// <summary>
/// Subscribes to the broker of <c>Mqtt:*</c> (QoS 1, persistent session) and hands readings and Frigate camera events
/// to the same handlers as HTTP. A message is acknowledged (PUBACK) only after its rows are committed (or after it was
/// found malformed, which is counted and logged once per kind and source); until then the broker holds it and
/// redelivers it after a reconnect — the unique index (point + instant) and the Frigate event id as external id make
/// a redelivery store nothing twice. Back-pressure: the broker sends at most <c>Mqtt:ReceiveMaximum</c>
/// unacknowledged messages, and acknowledgements wait while the write queue is full. A broker outage is retried
/// with back-off (<c>Mqtt:ReconnectMinSeconds</c> doubling to <c>Mqtt:ReconnectMaxSeconds</c>).
/// </summary>
public sealed class MqttIngestionService(
    MqttOptions options,
    MqttIngestionStats stats,
    RecordReadingsHandler readings,
    RaiseCameraAlertHandler alerts,
    MarkAlertSnapshotHandler snapshots,
    TimeProvider time,
    ILogger<MqttIngestionService> logger) : BackgroundService
{
    /// <summary>Who MQTT writes as (audit, external-id scope).</summary>
    public static readonly Actor MqttActor = Actor.System("mqtt");

    private readonly IReadOnlyDictionary<string, string> _labels = options.Labels();
    private readonly Dictionary<string, bool> _cameraOnline = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _frigateCameras = new(options.FrigateCameras.Values, StringComparer.OrdinalIgnoreCase);
    private readonly Lock _camerasLock = new();
    private int _inFlight;

    /// <summary>Messages taken and not yet acknowledged.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            logger.LogInformation("MQTT is off (Mqtt:Host is not set)");
            return;
        }

        var broker = $"{(options.UseTls ? "mqtts" : "mqtt")}://{options.Host}:{options.EffectivePort}";
        stats.SetEnabled(broker);
        using var client = new MqttClientFactory().CreateMqttClient();
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && !stoppingToken.IsCancellationRequested)
            {
                stats.SetError($"Disconnected: {e.Reason} {e.Exception?.Message}".Trim());
                logger.LogWarning("MQTT: disconnected from {Broker} ({Reason})", broker, e.Reason);
            }

            stats.SetConnected(false); // after the error: whoever sees "not connected" sees why

            disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        var delay = TimeSpan.FromSeconds(options.ReconnectMinSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var result = await client.ConnectAsync(BuildOptions(), stoppingToken).ConfigureAwait(false);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
                }

                var subscribe = new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(options.ReadingsTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .WithTopicFilter(f => f.WithTopic(options.FrigateEventsTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .WithTopicFilter(f => f.WithTopic(options.FrigateAvailableTopic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                    .Build();
                await client.SubscribeAsync(subscribe, stoppingToken).ConfigureAwait(false);
                stats.SetConnected(client.IsConnected);
                logger.LogInformation("MQTT: connected to {Broker} as {ClientId} (session present: {SessionPresent})", broker, options.ClientId, result.IsSessionPresent);
                delay = TimeSpan.FromSeconds(options.ReconnectMinSeconds);
                if (client.IsConnected)
                {
                    await disconnected.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                stats.SetConnected(false);
                stats.SetError($"Cannot connect to {broker}: {ex.Message}");
                if (stats.FirstOfItsKind(MqttTopicKind.Readings, "connect:" + ex.GetType().Name, broker))
                {
                    logger.LogWarning("MQTT: cannot connect to {Broker}: {Reason}; retrying with back-off up to {Max} s", broker, ex.Message, options.ReconnectMaxSeconds);
                }
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromSeconds(Math.Min(options.ReconnectMaxSeconds, delay.TotalSeconds * 2));
        }

        try
        {
            if (client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cts.Token).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // shutting down: a failed goodbye changes nothing
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogDebug(ex, "MQTT: disconnect at shutdown failed");
        }
    }

    private MqttClientOptions BuildOptions()
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.EffectivePort)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpirySeconds)
            .WithReceiveMaximum((ushort)options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(options.UserName))
        {
            b = b.WithCredentials(options.UserName, options.Password);
        }

        if (options.UseTls)
        {
            b = b.WithTlsOptions(t =>
            {
                t.UseTls();
                if (options.AllowUntrustedCertificates)
                {
                    t.WithCertificateValidationHandler(_ => true);
                }
            });
        }

        return b.Build();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Acknowledge later, after the commit; the receive loop goes on meanwhile (the broker's receive maximum bounds
        // how many wait). The work is started here and not awaited.
        e.AutoAcknowledge = false;
        Interlocked.Increment(ref _inFlight);
        _ = ProcessAsync(e);
        return Task.CompletedTask;
    }

    private async Task ProcessAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic ?? "";
        var payload = e.ApplicationMessage.Payload;
        try
        {
            if (MqttTopicFilterComparer.Compare(topic, options.ReadingsTopic) == MqttTopicFilterCompareResult.IsMatch)
            {
                await ReadingsAsync(topic, payload).ConfigureAwait(false);
            }
            else if (MqttTopicFilterComparer.Compare(topic, options.FrigateEventsTopic) == MqttTopicFilterCompareResult.IsMatch)
            {
                await FrigateEventAsync(topic, payload).ConfigureAwait(false);
            }
            else if (MqttTopicFilterComparer.Compare(topic, options.FrigateAvailableTopic) == MqttTopicFilterCompareResult.IsMatch)
            {
                await AvailabilityAsync(topic, payload).ConfigureAwait(false);
            }

            try
            {
                await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The connection dropped after the commit: the broker redelivers the message and it is a duplicate then.
                logger.LogDebug(ex, "MQTT: the acknowledgement of a message on {Topic} was not sent; it will be redelivered", topic);
            }
        }
#pragma warning disable CA1031 // nothing may stop the subscriber: an unexpected fault leaves the message unacknowledged (redelivered later)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stats.SetError($"{topic}: {ex.Message}");
            if (stats.FirstOfItsKind(MqttTopicKind.Readings, "unexpected:" + ex.GetType().Name, TopicSource(topic)))
            {
                logger.LogError(ex, "MQTT: a message on {Topic} could not be processed; it stays unacknowledged", topic);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ReadingsAsync(string topic, ReadOnlySequence<byte> payload)
    {
        var code = topic[(topic.LastIndexOf('/') + 1)..];
        IReadOnlyList<ReadingInput> list;
        try
        {
            list = MqttMessages.ParseReadings(code, payload);
        }
        catch (MalformedMessageException ex)
        {
            stats.AddReceived(MqttTopicKind.Readings);
            Malformed(MqttTopicKind.Readings, ex.Fault, topic, ex.Message);
            return;
        }

        stats.AddReceived(MqttTopicKind.Readings, list.Count);
        try
        {
            var result = await readings.HandleAsync(new RecordReadings { Readings = list, Admission = WriteAdmission.Wait }, MqttActor).ConfigureAwait(false);
            stats.AddAccepted(MqttTopicKind.Readings, result.Accepted);
            stats.AddDuplicate(MqttTopicKind.Readings, result.Duplicates);
        }
        catch (InputValidationException ex)
        {
            // Valid JSON that the rules refuse (an unknown point, a depth out of range, an instant too old or ahead).
            Malformed(MqttTopicKind.Readings, "refused:" + string.Join(",", ex.Errors.Keys.Select(k => k[(k.IndexOf('.', StringComparison.Ordinal) + 1)..]).Distinct()), topic, ex.Message, list.Count);
        }
    }

    private async Task FrigateEventAsync(string topic, ReadOnlySequence<byte> payload)
    {
        stats.AddReceived(MqttTopicKind.FrigateEvents);
        FrigateEvent ev;
        try
        {
            ev = MqttMessages.ParseFrigateEvent(payload);
        }
        catch (MalformedMessageException ex)
        {
            Malformed(MqttTopicKind.FrigateEvents, ex.Fault, topic, ex.Message);
            return;
        }

        var code = options.CameraCode(ev.Camera);
        lock (_camerasLock) _frigateCameras.Add(code);
        if (!_labels.TryGetValue(ev.Label, out var kind) || ev.Score < options.FrigateMinScore || ev.Type is not ("new" or "update" or "end"))
        {
            stats.AddIgnored(MqttTopicKind.FrigateEvents);
            return;
        }

        try
        {
            var result = await alerts.HandleAsync(new RaiseCameraAlert
            {
                CameraId = code,
                Kind = kind,
                Confidence = Math.Clamp(ev.Score, 0, 1),
                OccurredAt = ev.StartedAt,
                ExternalId = FrigateSnapshot.ExternalIdPrefix + ev.Id,
                HasSnapshot = ev.HasSnapshot,
            }, MqttActor).ConfigureAwait(false);
            if (result.Duplicate)
            {
                stats.AddDuplicate(MqttTopicKind.FrigateEvents);
                await MarkSnapshotAsync(code, ev).ConfigureAwait(false);
            }
            else
            {
                stats.AddAccepted(MqttTopicKind.FrigateEvents);
            }
        }
        catch (ConflictException)
        {
            // The event's later updates (a higher top score, its end) belong to the alert raised already; the snapshot
            // Frigate often has only by then is marked on it.
            stats.AddDuplicate(MqttTopicKind.FrigateEvents);
            await MarkSnapshotAsync(code, ev).ConfigureAwait(false);
        }
        catch (InputValidationException ex)
        {
            Malformed(MqttTopicKind.FrigateEvents, "refused:" + string.Join(",", ex.Errors.Keys), $"{topic}:{ev.Camera}", ex.Message);
        }
    }

    private async Task MarkSnapshotAsync(string code, FrigateEvent ev)
    {
        if (ev.HasSnapshot) await snapshots.HandleAsync(code, FrigateSnapshot.ExternalIdPrefix + ev.Id, MqttActor).ConfigureAwait(false);
    }

    private async Task AvailabilityAsync(string topic, ReadOnlySequence<byte> payload)
    {
        stats.AddReceived(MqttTopicKind.FrigateAvailable);
        bool online;
        try
        {
            online = MqttMessages.ParseAvailability(payload);
        }
        catch (MalformedMessageException ex)
        {
            Malformed(MqttTopicKind.FrigateAvailable, ex.Fault, topic, ex.Message);
            return;
        }

        // Frigate's availability is that of every camera it serves: those mapped in Mqtt:FrigateCameras and those
        // seen in its events. Only a change is written (a retained "online" at every reconnect is not).
        string[] cameras;
        lock (_camerasLock) cameras = [.. _frigateCameras];
        var changed = 0;
        foreach (var code in cameras)
        {
            lock (_camerasLock)
            {
                if (_cameraOnline.TryGetValue(code, out var was) && was == online) continue;
            }

            try
            {
                await alerts.HandleAsync(new RaiseCameraAlert
                {
                    CameraId = code,
                    Kind = online ? AlertKinds.CameraOnline : AlertKinds.CameraOffline,
                    OccurredAt = time.GetUtcNow(),
                }, MqttActor).ConfigureAwait(false);
                lock (_camerasLock) _cameraOnline[code] = online;
                changed++;
            }
            catch (InputValidationException ex)
            {
                Malformed(MqttTopicKind.FrigateAvailable, "refused:" + string.Join(",", ex.Errors.Keys), $"{topic}:{code}", ex.Message);
            }
        }

        if (changed > 0) stats.AddAccepted(MqttTopicKind.FrigateAvailable);
        else stats.AddIgnored(MqttTopicKind.FrigateAvailable);
    }

    private void Malformed(MqttTopicKind kind, string fault, string topic, string detail, long n = 1)
    {
        stats.AddMalformed(kind, n);
        var source = TopicSource(topic);
        if (stats.FirstOfItsKind(kind, fault, source))
        {
            logger.LogWarning("MQTT: malformed {Kind} message on {Topic} ({Fault}): {Detail}. Further ones of this kind from this source are counted, not logged",
                kind, topic, fault, detail);
        }
    }

    private static string TopicSource(string topic) => topic;
}
