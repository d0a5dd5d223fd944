using System.Collections.Concurrent;
using System.Globalization;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Field;

/// <summary>A staff member acting through an account or a personal token: the grids they belong to are the units whose incidents they accept and answer.</summary>
public sealed record FieldStaff(int StaffId, string Name, IReadOnlyList<int> GridIds)
{
    public IReadOnlyList<HoldingUnit> Units => GridIds.Select(HoldingUnit.Grid).ToList();
}

/// <summary>A personal token as listed (never its secret).</summary>
public sealed record FieldToken(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Staff accounts (issue 9): a person's account linked to a staff record (set by an Admin, audited), personal tokens
/// for the field app (API keys with the <see cref="Scopes.Field"/> scope owned by a staff member: shown once,
/// revocable, made by <see cref="ApiKeyService"/>), and who acts for the loop: an actor linked to a staff member is
/// attributed to that staff member in the timeline, and acts as field staff unless its role is Operator or Admin.
/// </summary>
public sealed class StaffAccountService(DbConnectionFactory db, ApiKeyService keys, TimeProvider time, ILogger<StaffAccountService> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (FieldStaff? Staff, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>Links the account <paramref name="userId"/> to <paramref name="staffId"/> (null: unlinks). Audited in the same transaction.</summary>
    public async Task LinkUserAsync(Actor actor, int userId, int? staffId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition(FieldSql.UserExists, new { Id = userId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 0)
            {
                throw InputValidationException.For("userId", $"{userId} is not a known user.");
            }

            if (staffId is not null)
            {
                await RequireStaffAsync(c, tx, staffId.Value, ct).ConfigureAwait(false);
                var other = await c.ExecuteScalarAsync<int?>(new CommandDefinition(FieldSql.UserOfStaff, new { StaffId = staffId, Id = userId }, tx, cancellationToken: ct)).ConfigureAwait(false);
                if (other is not null)
                {
                    throw new ConflictException("staffId", $"Staff member {staffId} already has an account (user {other}).");
                }
            }

            var before = await c.ExecuteScalarAsync<int?>(new CommandDefinition(FieldSql.UserStaff, new { Id = userId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (before == staffId) return 0;
            await c.ExecuteAsync(new CommandDefinition(FieldSql.SetUserStaff, new { Id = userId, StaffId = staffId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "user.staff-linked", "user", userId, new { staffId, previous = before }, ct).ConfigureAwait(false);
            return 1;
        }, ct).ConfigureAwait(false);
        _cache.Clear();
    }

    /// <summary>The staff member each linked account belongs to.</summary>
    public async Task<IReadOnlyDictionary<int, int>> UserLinksAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<(int Id, int StaffId)>(new CommandDefinition(FieldSql.UserLinks, cancellationToken: ct)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.StaffId);
    }

    /// <summary>Active staff members (id, name), for the account page's choice.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> StaffAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<(int Id, string Name)>(new CommandDefinition(FieldSql.ActiveStaff, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>A personal token for <paramref name="staffId"/>: the plaintext is returned once and never stored.</summary>
    public async Task<(FieldToken Token, string Plaintext)> CreateTokenAsync(Actor actor, int staffId, string? name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            if (await c.ExecuteScalarAsync<string?>(new CommandDefinition(FieldSql.StaffName, new { Id = staffId }, cancellationToken: ct)).ConfigureAwait(false) is null)
            {
                throw InputValidationException.For("staffId", $"{staffId} is not a known active staff member.");
            }
        }

        var (key, plaintext) = await keys.CreateAsync(actor, name ?? "field app", [Scopes.Field], null, ct, staffId: staffId).ConfigureAwait(false);
        logger.LogInformation("Personal token {KeyId} created for staff {StaffId} by {Actor}", key.Id, staffId, actor.Name);
        return (new FieldToken(key.Id, key.Name, key.Prefix, key.CreatedAt, key.CreatedBy, key.LastUsedAt, key.RevokedAt), plaintext);
    }

    /// <summary>Revokes a personal token of <paramref name="staffId"/>; false when it is not theirs or revoked already.</summary>
    public async Task<bool> RevokeTokenAsync(Actor actor, int staffId, int keyId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            if (await c.ExecuteScalarAsync<long>(new CommandDefinition(FieldSql.TokenOfStaff, new { Id = keyId, StaffId = staffId }, cancellationToken: ct)).ConfigureAwait(false) == 0)
            {
                return false;
            }
        }

        var done = await keys.RevokeAsync(actor, keyId, ct).ConfigureAwait(false);
        _cache.Clear();
        return done;
    }

    public async Task<IReadOnlyList<FieldToken>> TokensAsync(int staffId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<TokenRow>(new CommandDefinition(FieldSql.StaffTokens, new { StaffId = staffId }, cancellationToken: ct)).ConfigureAwait(false))
            .Select(r => new FieldToken(r.Id, r.Name, r.Prefix, r.CreatedAt, r.CreatedBy, r.LastUsedAt, r.RevokedAt)).ToList();
    }

    /// <summary>The staff member an actor (a person's account, a personal token) acts for, or null. Cached for 30 s; a link change clears it.</summary>
    public async Task<FieldStaff?> StaffOfAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Kind is not (ActorKind.User or ActorKind.ApiKey) || !int.TryParse(actor.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var cacheKey = actor.Kind + ":" + actor.Id;
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var hit) && hit.Until > now)
        {
            return hit.Staff;
        }

        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var staffId = await c.ExecuteScalarAsync<int?>(new CommandDefinition(actor.Kind == ActorKind.User ? FieldSql.UserStaff : FieldSql.KeyStaff,
            new { Id = id }, cancellationToken: ct)).ConfigureAwait(false);
        FieldStaff? staff = null;
        if (staffId is { } sid && await c.ExecuteScalarAsync<string?>(new CommandDefinition(FieldSql.StaffName, new { Id = sid }, cancellationToken: ct)).ConfigureAwait(false) is { } name)
        {
            var grids = (await c.QueryAsync<int>(new CommandDefinition(FieldSql.StaffGrids, new { StaffId = sid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            staff = new FieldStaff(sid, name, grids);
        }

        if (_cache.Count > 4096) _cache.Clear();
        _cache[cacheKey] = (staff, now + CacheFor);
        return staff;
    }

    /// <summary>
    /// Who acts on an incident for the loop: operators and admins as themselves, attributed to their staff record when
    /// they have one; anyone else linked to a staff member as field staff (accept and feedback on what their grids
    /// hold); the rest by <see cref="LoopCaller.For"/> (read-only people, keys as operators).
    /// </summary>
    public async Task<LoopActor> LoopActorAsync(Actor actor, string? role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var staff = await StaffOfAsync(actor, ct).ConfigureAwait(false);
        if (staff is null) return new LoopActor(actor, LoopCaller.For(actor, role));
        if (actor.Kind == ActorKind.User && role is Roles.Operator or Roles.Admin) return new LoopActor(actor, LoopCaller.For(actor, role), staff.StaffId);
        return FieldActor(actor, staff);
    }

    /// <summary>A staff member as the loop's field caller, attributed to the staff record.</summary>
    public static LoopActor FieldActor(Actor actor, FieldStaff staff)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return new LoopActor(actor, new LoopCaller(LoopRole.Field, null, staff.Units), staff.StaffId);
    }

    private static async Task RequireStaffAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, int staffId, CancellationToken ct)
    {
        if (await c.ExecuteScalarAsync<string?>(new CommandDefinition(FieldSql.StaffName, new { Id = staffId }, tx, cancellationToken: ct)).ConfigureAwait(false) is null)
        {
            throw InputValidationException.For("staffId", $"{staffId} is not a known active staff member.");
        }
    }

    private sealed class TokenRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string Prefix { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset? LastUsedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }
}
