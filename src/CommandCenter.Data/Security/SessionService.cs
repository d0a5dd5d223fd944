using CommandCenter.Data.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Security;

/// <summary>An open sign-in session and the state of its person, as a request needs them.</summary>
public sealed record OpenSession(int UserId, bool IsActive, string SecurityStamp);

/// <summary>A session that ended (its person signed out) on this node.</summary>
public sealed record EndedSession(int UserId, string SessionId);

/// <summary>
/// Sign-in sessions of people: each sign-in gets a random session id, carried inside the protected sign-in cookie
/// and stored here as SHA-256. Every request and every re-validation of an open page or hub connection checks that
/// the session is still open, so signing out ends that cookie on the server (a copy replayed later is refused) while
/// the person's other browsers stay signed in. Last use is recorded at most every 5 minutes; sessions ended or unused
/// for <see cref="KeepFor"/> are deleted (checked at most hourly, on sign-in).
/// </summary>
public sealed class SessionService(DbConnectionFactory db, TimeProvider time, ILogger<SessionService> logger)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(30);
    private static readonly TimeSpan SeenWriteInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);
    private long _nextPurgeTicks;

    /// <summary>Raised after a session was ended on this node (open pages and hub connections of it can be closed at once).</summary>
    public event Action<EndedSession>? Ended;

    /// <summary>Opens a session for a person who just signed in; returns its id (a secret: it goes into the protected cookie only).</summary>
    public async Task<string> StartAsync(int userId, CancellationToken ct = default)
    {
        var id = Secrets.New("ses_", 24);
        var now = time.GetUtcNow();
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(SessionSql.Insert,
            new { SessionHash = Secrets.Hash(id), UserId = userId, At = now }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);
        await PurgeIfDueAsync(now, ct).ConfigureAwait(false);
        return id;
    }

    /// <summary>The open session <paramref name="sessionId"/> with its person's state; null if unknown or ended.</summary>
    public async Task<OpenSession?> FindOpenAsync(string? sessionId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 200) return null;
        var hash = Secrets.Hash(sessionId);
        SessionRow? row;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            row = await c.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SessionSql.Open, new { SessionHash = hash }, cancellationToken: ct)).ConfigureAwait(false);
        }

        if (row is null) return null;
        var now = time.GetUtcNow();
        if (now - row.LastSeenAt > SeenWriteInterval)
        {
            await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(SessionSql.Seen, new { SessionHash = hash, At = now }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);
        }

        return new OpenSession(row.UserId, row.IsActive, row.SecurityStamp);
    }

    /// <summary>Ends a session (sign-out). Returns false if it was unknown or ended already.</summary>
    public async Task<bool> EndAsync(string? sessionId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 200) return false;
        var hash = Secrets.Hash(sessionId);
        var now = time.GetUtcNow();
        var userId = await db.WriteAsync(async (c, tx) =>
        {
            var user = await c.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(SessionSql.OpenUser, new { SessionHash = hash }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (user is null) return null;
            await c.ExecuteAsync(new CommandDefinition(SessionSql.End, new { SessionHash = hash, At = now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return user;
        }, ct).ConfigureAwait(false);
        if (userId is null) return false;
        logger.LogInformation("Sign-in session of user {UserId} ended", userId.Value);
        SecurityNotifications.Raise(Ended, new EndedSession(userId.Value, sessionId), logger);
        return true;
    }

    private async Task PurgeIfDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var next = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgeInterval).UtcTicks, next) != next) return;
        var removed = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(SessionSql.Purge, new { Cutoff = now - KeepFor }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);
        if (removed > 0)
        {
            logger.LogInformation("Deleted {Count} sign-in session(s) ended or unused for {Days} days", removed, KeepFor.TotalDays);
        }
    }

    private sealed class SessionRow
    {
        public int UserId { get; init; }
        public DateTimeOffset LastSeenAt { get; init; }
        public bool IsActive { get; init; }
        public string SecurityStamp { get; init; } = "";
    }
}
