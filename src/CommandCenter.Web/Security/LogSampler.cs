using CommandCenter.Data.Security;

namespace CommandCenter.Web.Security;

/// <summary>
/// Keeps a flood of refusals from flooding the log: of each kind of repeated warning (a rejected API key, a rate-limit
/// refusal...) only the first per client address per minute is logged; the others are counted, and the count is logged
/// in one line when that minute is over. Bounded: at most <see cref="MaxTracked"/> (kind, address) pairs are tracked,
/// beyond that the rest share one "(other addresses)" entry.
/// </summary>
public sealed class LogSampler : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public const int MaxTracked = 10_000;
    public const string OtherAddresses = "(other addresses)";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Kind, string Address), Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly ITimer _timer;

    public LogSampler(TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        _time = time;
        _logger = loggers.CreateLogger("CommandCenter.Security");
        _timer = time.CreateTimer(_ => Flush(), null, Window, Window);
    }

    /// <summary>True for the first <paramref name="kind"/> from this address in a minute (log it); false for the rest (counted).</summary>
    public bool ShouldLog(string kind, string? remoteIp)
    {
        var now = _time.GetUtcNow();
        var key = (kind, ClientAddress.Key(remoteIp));
        (string Kind, string Address, int Count)? summary = null;
        bool first;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry) && _entries.Count >= MaxTracked)
            {
                key = (kind, OtherAddresses);
                _entries.TryGetValue(key, out entry);
            }

            if (entry is null || now >= entry.Start + Window)
            {
                if (entry is { Suppressed: > 0 }) summary = (key.Item1, key.Item2, entry.Suppressed);
                _entries[key] = new Entry { Start = now };
                first = true;
            }
            else
            {
                entry.Suppressed++;
                first = false;
            }
        }

        if (summary is { } s) Summarise(s.Kind, s.Address, s.Count);
        return first;
    }

    /// <summary>Logs the counts of the minutes that are over and forgets them (every minute, by the timer).</summary>
    public void Flush()
    {
        var now = _time.GetUtcNow();
        List<(string Kind, string Address, int Count)> summaries = [];
        lock (_lock)
        {
            foreach (var (key, entry) in _entries.Where(e => now >= e.Value.Start + Window).ToList())
            {
                if (entry.Suppressed > 0) summaries.Add((key.Kind, key.Address, entry.Suppressed));
                _entries.Remove(key);
            }
        }

        foreach (var (kind, address, count) in summaries)
        {
            Summarise(kind, address, count);
        }
    }

    /// <summary>How many (kind, address) pairs are tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Summarise(string kind, string address, int count) =>
        _logger.LogWarning("{Count} more {Kind} from {RemoteIp} within a minute of the one logged (not logged one by one)", count, kind, address);

    private sealed class Entry
    {
        public DateTimeOffset Start;
        public int Suppressed;
    }
}
