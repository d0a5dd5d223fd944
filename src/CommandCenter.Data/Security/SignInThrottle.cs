using System.Net;
using System.Net.Sockets;

namespace CommandCenter.Data.Security;

/// <summary>Configuration section <c>Security:SignInThrottle</c>: how password guessing is slowed down.</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Failed attempts one client address may make at one account before it has to wait.</summary>
    public int FreeFailuresPerAccountAndAddress { get; set; } = 3;

    /// <summary>Failed attempts one client address may make (at any accounts, known or not) before it has to wait.</summary>
    public int FreeFailuresPerAddress { get; set; } = 10;

    /// <summary>
    /// Failed attempts at one account (from all addresses) after which every address that fails at it has to wait
    /// from its first failure: a guessing attack spread over many addresses. The account is never locked: a client
    /// that has not failed still signs in.
    /// </summary>
    public int FreeFailuresPerAccount { get; set; } = 10;

    /// <summary>The first wait; it doubles with each further failure.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten this long after the last one (longer than <see cref="MaxDelay"/>, so waiting is no reset).</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many addresses, accounts and pairs are tracked (the oldest are dropped beyond).</summary>
    public int MaxTracked { get; set; } = 100_000;
}

/// <summary>One password check as the throttle saw it: refused (the client must wait <see cref="RetryAfter"/>), or allowed and counted.</summary>
public sealed record SignInAttempt(string Address, string Account, TimeSpan? RetryAfter, bool FirstRefusal = false, string? Reason = null)
{
    public bool Refused => RetryAfter is not null;
}

/// <summary>The current password was checked too often from this client: it must wait.</summary>
public sealed class TooManyAttemptsException(TimeSpan retryAfter)
    : Exception($"Too many wrong passwords from this client; retry in {(int)Math.Ceiling(retryAfter.TotalSeconds)} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Slows password guessing down without letting anyone lock an account for everybody: failures are counted per client
/// address, per account and per (account, address); past a few free failures the client — not the account — has to
/// wait, 1 s, then 2, 4, ... up to 15 minutes, and is refused (Retry-After) while it waits. A client that has not failed
/// still signs in. Unknown user names are counted exactly like known ones, so the answers tell nothing about which
/// exist. Every check counts as a failure when it starts (so parallel guesses are counted too) and a success gives its
/// own count back. In memory, per node, bounded by <see cref="SignInThrottleOptions.MaxTracked"/>.
/// </summary>
public sealed class SignInThrottle(TimeProvider time, SignInThrottleOptions? options = null)
{
    private readonly SignInThrottleOptions _options = options ?? new SignInThrottleOptions();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How many addresses, accounts and pairs are tracked now.</summary>
    public int Tracked
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>Starts a password check by <paramref name="remoteIp"/> at <paramref name="userName"/>: refused while that client waits, else counted.</summary>
    public SignInAttempt Begin(string? remoteIp, string userName)
    {
        var address = ClientAddress.Key(remoteIp);
        var account = AccountKey(userName);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var byAddress = Find(AddressKey(address), now);
            var byPair = Find(PairKey(account, address), now);
            // The later of the two waits is the one that counts.
            var blocker = (byAddress?.BlockedUntil ?? default) >= (byPair?.BlockedUntil ?? default) ? byAddress : byPair;
            if (blocker is not null && blocker.BlockedUntil > now)
            {
                blocker.Refused++;
                var reason = ReferenceEquals(blocker, byAddress) ? "too many failed sign-ins from this address" : "too many failed sign-ins at this account from this address";
                return new SignInAttempt(address, account, Ceiling(blocker.BlockedUntil - now), blocker.Refused == 1, reason);
            }

            byAddress = Count(AddressKey(address), now);
            var byAccount = Count(AccountEntryKey(account), now);
            byPair = Count(PairKey(account, address), now);
            if (byAddress.Failures >= _options.FreeFailuresPerAddress)
            {
                Block(byAddress, now, byAddress.Failures - _options.FreeFailuresPerAddress);
            }

            var over = Math.Max(byPair.Failures - _options.FreeFailuresPerAccountAndAddress, byAccount.Failures - _options.FreeFailuresPerAccount);
            if (over >= 0)
            {
                Block(byPair, now, over);
            }

            return new SignInAttempt(address, account, null);
        }
    }

    /// <summary>The password was right: the client's failures at this account are forgotten, and this check is not counted.</summary>
    public void Succeeded(SignInAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Refused) return;
        lock (_lock)
        {
            _entries.Remove(PairKey(attempt.Account, attempt.Address));
            GiveBack(AddressKey(attempt.Address), _options.FreeFailuresPerAddress);
            GiveBack(AccountEntryKey(attempt.Account), int.MaxValue);
        }
    }

    /// <summary>Forgets every failure at an account (an Admin set a new password).</summary>
    public void Reset(string userName)
    {
        var account = AccountKey(userName);
        var pairs = "p:" + account + "\n";
        lock (_lock)
        {
            _entries.Remove(AccountEntryKey(account));
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(pairs, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>User names compare without case (as in the database); overlong ones (no account has one) are kept as a hash.</summary>
    public static string AccountKey(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var name = userName.Trim().ToLowerInvariant();
        return name.Length <= 64 ? name : "#" + Secrets.Hash(name)[..32];
    }

    private static string AddressKey(string address) => "a:" + address;

    private static string AccountEntryKey(string account) => "u:" + account;

    private static string PairKey(string account, string address) => "p:" + account + "\n" + address;

    private static TimeSpan Ceiling(TimeSpan wait) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));

    private void Block(Entry entry, DateTimeOffset now, int over)
    {
        var ticks = _options.FirstDelay.Ticks * Math.Pow(2, Math.Min(over, 40));
        var delay = ticks >= _options.MaxDelay.Ticks ? _options.MaxDelay : TimeSpan.FromTicks((long)ticks);
        if (now + delay > entry.BlockedUntil)
        {
            entry.BlockedUntil = now + delay;
            entry.Refused = 0;
        }
    }

    private void GiveBack(string key, int free)
    {
        if (!_entries.TryGetValue(key, out var entry)) return;
        entry.Failures = Math.Max(0, entry.Failures - 1);
        if (entry.Failures < free)
        {
            entry.BlockedUntil = default;
        }
    }

    private Entry? Find(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        if (IsForgotten(entry, now))
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }

    private Entry Count(string key, DateTimeOffset now)
    {
        var entry = Find(key, now);
        if (entry is null)
        {
            if (_entries.Count >= _options.MaxTracked) Prune(now);
            entry = new Entry();
            _entries[key] = entry;
        }

        entry.Failures++;
        entry.LastFailureAt = now;
        return entry;
    }

    private bool IsForgotten(Entry entry, DateTimeOffset now) =>
        entry.BlockedUntil <= now && now - entry.LastFailureAt >= _options.ForgetAfter;

    /// <summary>Drops what is forgotten anyway; if that is not enough, the quarter of entries with the oldest failures.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => IsForgotten(e.Value, now)).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }

        var excess = _entries.Count - (_options.MaxTracked * 3 / 4);
        if (excess > 0)
        {
            foreach (var key in _entries.OrderBy(e => e.Value.LastFailureAt).Take(excess).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailureAt;
        public DateTimeOffset BlockedUntil;
        public int Refused;
    }
}

/// <summary>The client address as throttles and rate limits count it: IPv4 as is, IPv6 by its /64 (one subscriber's network).</summary>
public static class ClientAddress
{
    public static string Key(string? remoteIp) =>
        IPAddress.TryParse(remoteIp, out var ip) ? Key(ip) : "unknown";

    public static string Key(IPAddress? ip)
    {
        if (ip is null) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(ip)) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
