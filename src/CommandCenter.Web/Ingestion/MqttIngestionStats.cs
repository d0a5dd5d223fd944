using System.Collections.Concurrent;

namespace CommandCenter.Web.Ingestion;

/// <summary>What arrives on one kind of topic.</summary>
public enum MqttTopicKind
{
    Readings,
    FrigateEvents,
    FrigateAvailable,
}

/// <summary>Counts of one topic kind since start. Readings count readings; the others count messages.</summary>
public sealed record MqttTopicCounts(long Received, long Accepted, long Duplicate, long Malformed, long Ignored);

/// <summary>A copy of the subscriber's state for the admin page.</summary>
public sealed record MqttStatus(
    bool Enabled,
    bool Connected,
    string? Broker,
    DateTimeOffset? ConnectedSince,
    DateTimeOffset? LastMessageAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long Connects,
    IReadOnlyDictionary<MqttTopicKind, MqttTopicCounts> Counts);

/// <summary>
/// The MQTT subscriber's counters and state (thread-safe). Malformed input is logged once per kind of fault and
/// source (topic), not once per message: <see cref="FirstOfItsKind"/> tells whether to log.
/// </summary>
public sealed class MqttIngestionStats(TimeProvider time)
{
    private readonly long[,] _counts = new long[3, 5];
    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _enabled;
    private bool _connected;
    private string? _broker;
    private DateTimeOffset? _connectedSince;
    private long _lastMessageTicks;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private long _connects;

    private const int Received = 0, Accepted = 1, Duplicate = 2, Malformed = 3, Ignored = 4;

    public void AddReceived(MqttTopicKind kind, long n = 1)
    {
        Interlocked.Add(ref _counts[(int)kind, Received], n);
        Interlocked.Exchange(ref _lastMessageTicks, time.GetUtcNow().UtcTicks);
    }

    public void AddAccepted(MqttTopicKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind, Accepted], n);

    public void AddDuplicate(MqttTopicKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind, Duplicate], n);

    public void AddMalformed(MqttTopicKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind, Malformed], n);

    public void AddIgnored(MqttTopicKind kind, long n = 1) => Interlocked.Add(ref _counts[(int)kind, Ignored], n);

    /// <summary>True the first time a fault of this kind comes from this source: log it then, count it always.</summary>
    public bool FirstOfItsKind(MqttTopicKind kind, string fault, string source) =>
        _logged.Count < 10_000 && _logged.TryAdd($"{kind}|{fault}|{source}", 0);

    public void SetEnabled(string broker)
    {
        lock (_lock)
        {
            _enabled = true;
            _broker = broker;
        }
    }

    public void SetConnected(bool connected)
    {
        lock (_lock)
        {
            if (connected && !_connected)
            {
                _connectedSince = time.GetUtcNow();
                _connects++;
            }

            if (!connected) _connectedSince = null;
            _connected = connected;
        }
    }

    public void SetError(string error)
    {
        lock (_lock)
        {
            _lastError = error;
            _lastErrorAt = time.GetUtcNow();
        }
    }

    public MqttTopicCounts CountsOf(MqttTopicKind kind)
    {
        var k = (int)kind;
        return new MqttTopicCounts(Interlocked.Read(ref _counts[k, Received]), Interlocked.Read(ref _counts[k, Accepted]),
            Interlocked.Read(ref _counts[k, Duplicate]), Interlocked.Read(ref _counts[k, Malformed]), Interlocked.Read(ref _counts[k, Ignored]));
    }

    public MqttStatus Snapshot()
    {
        var last = Interlocked.Read(ref _lastMessageTicks);
        var counts = Enum.GetValues<MqttTopicKind>().ToDictionary(k => k, CountsOf);
        lock (_lock)
        {
            return new MqttStatus(_enabled, _connected, _broker, _connectedSince,
                last == 0 ? null : new DateTimeOffset(last, TimeSpan.Zero), _lastError, _lastErrorAt, _connects, counts);
        }
    }
}
