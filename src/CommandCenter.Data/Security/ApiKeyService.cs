using System.Collections.Concurrent;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Security;

public sealed record ApiKeyInfo(
    int Id, string Name, string Prefix, IReadOnlyList<string> Scopes, int? CommunityId, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// API keys of the integrations: stored as SHA-256 (the plaintext is shown once, at creation), scoped,
/// optionally limited to one community, revocable; the last use is recorded (at most once a minute).
/// Valid keys are cached for 30 s (at most <see cref="MaxCachedKeys"/>); a revocation on this node clears the cache at
/// once and raises <see cref="Revoked"/>. Unknown and revoked keys are never cached: a flood of made-up keys costs
/// lookups, not memory.
/// </summary>
public sealed class ApiKeyService(DbConnectionFactory db, TimeProvider time, ILogger<ApiKeyService> logger)
{
    /// <summary>The most valid keys held in the cache (far more than a street has integrations).</summary>
    public const int MaxCachedKeys = 1024;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UseWriteInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (ApiKeyInfo Key, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, DateTimeOffset> _lastUseWritten = new();

    /// <summary>Raised with the key's id after it was revoked on this node (its open hub connections can be closed at once).</summary>
    public event Action<int>? Revoked;

    public async Task<(ApiKeyInfo Key, string Plaintext)> CreateAsync(Actor actor, string? name, IEnumerable<string>? scopes, int? communityId,
        CancellationToken ct = default, string? plaintext = null, int? staffId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var v = new Validator();
        var keyName = v.RequiredText("name", name, 100);
        var scopeList = (scopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (scopeList.Count == 0) v.Add("scopes", "at least one scope is required.");
        foreach (var s in scopeList.Where(s => !Scopes.All.Contains(s))) v.Add("scopes", $"'{s}' is not a known scope; use {string.Join(", ", Scopes.All)}.");
        v.ThrowIfInvalid();
        var key = plaintext ?? Secrets.New("cck_", 32);
        var now = time.GetUtcNow();
        var id = await db.WriteAsync(async (c, tx) =>
        {
            if (communityId is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.CommunityExists, new { Id = communityId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 0)
            {
                throw new InputValidationException(new Dictionary<string, string[]> { ["communityId"] = [$"{communityId} is not a known community."] });
            }

            var newId = await c.ExecuteScalarAsync<int>(new CommandDefinition(db.Pick(SecuritySql.InsertKey_Sqlite, SecuritySql.InsertKey_SqlServer), new
            {
                Name = keyName, Prefix = key[..Math.Min(8, key.Length)], KeyHash = Secrets.Hash(key), Scopes = string.Join(' ', scopeList),
                CommunityId = communityId, At = now, CreatedBy = actor.Name,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (staffId is not null)
            {
                // A personal token (field app): owned by a staff member, in the same transaction.
                await c.ExecuteAsync(new CommandDefinition(CommandCenter.Data.Field.FieldSql.SetKeyStaff, new { Id = newId, StaffId = staffId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            await AuditLog.WriteAsync(c, tx, actor, now, "apikey.created", "apikey", newId, new { name = keyName, scopes = scopeList, communityId, staffId }, ct).ConfigureAwait(false);
            return newId;
        }, ct).ConfigureAwait(false);
        _cache.Clear();
        var info = (await ListAsync(ct).ConfigureAwait(false)).Single(k => k.Id == id);
        return (info, key);
    }

    /// <summary>The key for a presented secret, or null if unknown or revoked.</summary>
    public async Task<ApiKeyInfo?> ValidateAsync(string? presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 200) return null;
        var hash = Secrets.Hash(presented);
        var now = time.GetUtcNow();
        ApiKeyInfo? key;
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now)
        {
            key = hit.Key;
        }
        else
        {
            await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
            key = (await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(SecuritySql.KeyByHash, new { KeyHash = hash }, cancellationToken: ct)).ConfigureAwait(false))?.ToInfo();
            if (key is null)
            {
                _cache.TryRemove(hash, out _);
            }
            else
            {
                Cache(hash, key, now);
            }
        }

        if (key is not null && (!_lastUseWritten.TryGetValue(key.Id, out var last) || now - last > UseWriteInterval))
        {
            _lastUseWritten[key.Id] = now;
            await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(SecuritySql.KeyUsed, new { key.Id, At = now }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);
        }

        return key;
    }

    /// <summary>How many valid keys are cached now (diagnostics and tests).</summary>
    public int CachedKeyCount => _cache.Count;

    private void Cache(string hash, ApiKeyInfo key, DateTimeOffset now)
    {
        if (_cache.Count >= MaxCachedKeys)
        {
            foreach (var stale in _cache.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                _cache.TryRemove(stale, out _);
            }

            if (_cache.Count >= MaxCachedKeys)
            {
                _cache.Clear();
            }
        }

        _cache[hash] = (key, now + CacheFor);
    }

    public async Task<bool> RevokeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var done = await AuditLog.ChangeAndAuditAsync(db, SecuritySql.RevokeKey, new { Id = id, At = now }, actor, now, "apikey.revoked", "apikey", id, ct).ConfigureAwait(false);
        if (done)
        {
            _cache.Clear();
            logger.LogInformation("API key {KeyId} revoked by {Actor}", id, actor.Name);
            SecurityNotifications.Raise(Revoked, id, logger);
        }

        return done;
    }

    /// <summary>Whether the key is still active, read from the database (no cache): for re-validating open hub connections.</summary>
    public async Task<bool> IsActiveAsync(int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.KeyActive, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false) > 0;
    }

    /// <summary>The key stored for a plaintext, revoked or not (null if none): start-up provisioning checks this, not <see cref="ValidateAsync"/>.</summary>
    public async Task<ApiKeyInfo?> FindByPlaintextAsync(string plaintext, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(SecuritySql.AnyKeyByHash, new { KeyHash = Secrets.Hash(plaintext) }, cancellationToken: ct)).ConfigureAwait(false))?.ToInfo();
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<KeyRow>(new CommandDefinition(SecuritySql.Keys, cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.ToInfo()).ToList();
    }

    private sealed class KeyRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string Prefix { get; init; } = "";
        public string Scopes { get; init; } = "";
        public int? CommunityId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset? LastUsedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }

        public ApiKeyInfo ToInfo() => new(Id, Name, Prefix, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), CommunityId, CreatedAt, CreatedBy, LastUsedAt, RevokedAt);
    }
}
