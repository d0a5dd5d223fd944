using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Security;

public sealed record AppUser(
    int Id, string UserName, string DisplayName, string Role, int? CommunityId, bool IsActive,
    int FailedSignIns, DateTimeOffset? LockedUntil, string SecurityStamp, DateTimeOffset CreatedAt,
    DateTimeOffset PasswordChangedAt, DateTimeOffset? LastSignInAt);

public enum SignInOutcome
{
    Succeeded,

    /// <summary>Wrong password, unknown or inactive user: one answer for all of them.</summary>
    Failed,

    /// <summary>This client failed too often and must wait (<see cref="SignInResult.RetryAfter"/>); the password was not checked.</summary>
    Throttled,
}

public sealed record SignInResult(SignInOutcome Outcome, AppUser? User, TimeSpan? RetryAfter = null);

/// <summary>
/// People: sign-in (throttled per client, see <see cref="SignInThrottle"/>), passwords (ASP.NET Core's PasswordHasher),
/// and administration. Every change is audited in its own transaction; passwords never reach a log line, nor do user
/// names as typed unless they name an account.
/// </summary>
public sealed class AccountService(DbConnectionFactory db, TimeProvider time, ILogger<AccountService> logger, SignInThrottle? throttle = null)
{
    public const int MinPasswordLength = 10;

    /// <summary>Longest user name an account can have (<see cref="CreateAsync"/>).</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>Longer passwords are not checked (no account can have one: the sign-in form sends at most 200 characters).</summary>
    public const int MaxPasswordLength = 1024;

    private static readonly byte[] NameLabelKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    private readonly PasswordHasher<string> _hasher = new();
    private readonly SignInThrottle _throttle = throttle ?? new SignInThrottle(time);

    /// <summary>A hash of a random password, checked for unknown names so that they take as long as known ones.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<string>().HashPassword("", Secrets.New("", 24)));

    /// <summary>
    /// Raised with the person's id after their security stamp changed on this node (role, scope, activity or password):
    /// their open pages and hub connections can be closed at once.
    /// </summary>
    public event Action<int>? StampRotated;

    public async Task<SignInResult> SignInAsync(string? userName, string? password, string? remoteIp, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new SignInResult(SignInOutcome.Failed, null);
        }

        var name = userName.Trim();
        var attempt = _throttle.Begin(remoteIp, name);
        if (attempt.Refused)
        {
            if (attempt.FirstRefusal)
            {
                // Once per wait: later refusals of the same wait are not logged one by one.
                var known = await FindByNameAsync(name, ct).ConfigureAwait(false);
                logger.LogWarning("Sign-in refused for {UserName} from {RemoteIp}: {Reason}; it may retry in {RetryAfterSeconds} s",
                    known?.UserName ?? UnknownLabel(name), remoteIp, attempt.Reason, (int)attempt.RetryAfter!.Value.TotalSeconds);
            }

            return new SignInResult(SignInOutcome.Throttled, null, attempt.RetryAfter);
        }

        // The password is checked outside any transaction (it takes tens of milliseconds on purpose), and for an
        // unknown or inactive name against a dummy hash, so that every failure costs the same time.
        var row = await FindByNameAsync(name, ct).ConfigureAwait(false);
        var checkable = password.Length <= MaxPasswordLength;
        var verdict = PasswordVerificationResult.Failed;
        if (row is { IsActive: true } && checkable)
        {
            verdict = _hasher.VerifyHashedPassword(row.UserName, row.PasswordHash, password);
        }
        else
        {
            _hasher.VerifyHashedPassword("", DummyHash.Value, checkable ? password : password[..MaxPasswordLength]);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            if (row is null)
            {
                logger.LogWarning("Sign-in failed for {UserName} from {RemoteIp}: no such user", UnknownLabel(name), remoteIp);
            }
            else
            {
                logger.LogWarning("Sign-in failed for {UserName} from {RemoteIp}: {Reason}", row.UserName, remoteIp, row.IsActive ? "wrong password" : "the account is disabled");
            }

            return new SignInResult(SignInOutcome.Failed, null);
        }

        _throttle.Succeeded(attempt);
        var user = row!;
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                await c.ExecuteAsync(new CommandDefinition(SecuritySql.SetPassword, new { user.Id, PasswordHash = _hasher.HashPassword(user.UserName, password), At = user.PasswordChangedAt, user.SecurityStamp }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            return await c.ExecuteAsync(new CommandDefinition(SecuritySql.SignInSucceeded, new { user.Id, At = now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        logger.LogInformation("Sign-in succeeded for {UserName} ({Role}) from {RemoteIp}", user.UserName, user.Role, remoteIp);
        return new SignInResult(SignInOutcome.Succeeded, user.ToUser() with { FailedSignIns = 0, LockedUntil = null, LastSignInAt = now });
    }

    /// <summary>
    /// How a typed name that is no account appears in logs: never as typed (it may be a password typed into the wrong
    /// box, or text made to forge log lines), but as a keyed hash, the same for the same name while this process runs.
    /// </summary>
    public static string UnknownLabel(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(NameLabelKey, System.Text.Encoding.UTF8.GetBytes(SignInThrottle.AccountKey(typed)));
        return "unknown user #" + Convert.ToHexString(mac, 0, 4).ToLowerInvariant();
    }

    private async Task<UserRow?> FindByNameAsync(string name, CancellationToken ct)
    {
        if (name.Length > MaxUserNameLength) return null;
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SecuritySql.UserByName, new { UserName = name }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task<AppUser?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SecuritySql.UserById, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false))?.ToUser();
    }

    public async Task<IReadOnlyList<AppUser>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<UserRow>(new CommandDefinition(SecuritySql.Users, cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.ToUser()).ToList();
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.CountUsers, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Active admins whose password is one of <paramref name="passwords"/> (used to refuse demo passwords outside the demo).</summary>
    public async Task<IReadOnlyList<string>> AdminsWithPasswordAsync(IEnumerable<string> passwords, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var admins = await c.QueryAsync<UserRow>(new CommandDefinition(SecuritySql.ActiveAdmins, cancellationToken: ct)).ConfigureAwait(false);
        var list = passwords.ToList();
        return admins.Where(a => list.Any(p => _hasher.VerifyHashedPassword(a.UserName, a.PasswordHash, p) != PasswordVerificationResult.Failed))
            .Select(a => a.UserName).ToList();
    }

    public async Task<int> CreateAsync(Actor actor, string? userName, string? displayName, string? role, int? communityId, string? password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var v = new Validator();
        var name = v.RequiredText("userName", userName, MaxUserNameLength);
        if (name is not null && !name.All(ch => char.IsLetterOrDigit(ch) || ch is '.' or '-' or '_'))
        {
            v.Add("userName", "may hold only letters, digits, '.', '-' and '_'.");
        }

        var display = v.RequiredText("displayName", displayName, 100);
        ValidateRole(v, role, communityId);
        ValidatePassword(v, "password", password, name);
        v.ThrowIfInvalid();
        var now = time.GetUtcNow();
        return await db.WriteAsync(async (c, tx) =>
        {
            await RequireCommunityAsync(c, tx, communityId, ct).ConfigureAwait(false);
            if (await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SecuritySql.UserByName, new { UserName = name }, tx, cancellationToken: ct)).ConfigureAwait(false) is not null)
            {
                throw new InputValidationException(new Dictionary<string, string[]> { ["userName"] = [$"'{name}' is taken."] });
            }

            var id = await c.ExecuteScalarAsync<int>(new CommandDefinition(db.Pick(SecuritySql.InsertUser_Sqlite, SecuritySql.InsertUser_SqlServer), new
            {
                UserName = name,
                DisplayName = display,
                PasswordHash = _hasher.HashPassword(name!, password!),
                Role = role,
                CommunityId = communityId,
                SecurityStamp = NewStamp(),
                At = now,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "user.created", "user", id, new { userName = name, role, communityId }, ct).ConfigureAwait(false);
            return id;
        }, ct).ConfigureAwait(false);
    }

    public async Task UpdateAsync(Actor actor, int id, string? displayName, string? role, int? communityId, bool isActive, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var v = new Validator();
        var display = v.RequiredText("displayName", displayName, 100);
        ValidateRole(v, role, communityId);
        v.ThrowIfInvalid();
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            await RequireCommunityAsync(c, tx, communityId, ct).ConfigureAwait(false);
            var before = await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SecuritySql.UserById, new { Id = id }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new InputValidationException(new Dictionary<string, string[]> { ["id"] = [$"{id} is not a known user."] });
            await c.ExecuteAsync(new CommandDefinition(SecuritySql.UpdateUser, new
            {
                Id = id, DisplayName = display, Role = role, CommunityId = communityId, IsActive = isActive, SecurityStamp = NewStamp(),
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "user.updated", "user", id, new
            {
                userName = before.UserName,
                role = new { from = before.Role, to = role },
                communityId = new { from = before.CommunityId, to = communityId },
                isActive = new { from = before.IsActive, to = isActive },
            }, ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        SecurityNotifications.Raise(StampRotated, id, logger);
    }

    /// <summary>An admin sets a new password (no current password needed).</summary>
    public Task ResetPasswordAsync(Actor actor, int id, string? newPassword, CancellationToken ct = default) =>
        SetPasswordAsync(actor, id, null, newPassword, "user.password-reset", ct);

    /// <summary>A person changes their own password; the current one must be right.</summary>
    public Task ChangePasswordAsync(Actor actor, int id, string? currentPassword, string? newPassword, CancellationToken ct = default) =>
        SetPasswordAsync(actor, id, currentPassword ?? "", newPassword, "user.password-changed", ct);

    private async Task SetPasswordAsync(Actor actor, int id, string? current, string? newPassword, string action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var userName = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(SecuritySql.UserById, new { Id = id }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new InputValidationException(new Dictionary<string, string[]> { ["id"] = [$"{id} is not a known user."] });
            var v = new Validator();
            if (current is not null)
            {
                // Guesses of the current password are throttled like sign-ins (and count together with them).
                var attempt = _throttle.Begin(actor.RemoteIp, row.UserName);
                if (attempt.Refused)
                {
                    if (attempt.FirstRefusal)
                    {
                        logger.LogWarning("Password change refused for {UserName} from {RemoteIp}: {Reason}; it may retry in {RetryAfterSeconds} s",
                            row.UserName, actor.RemoteIp, attempt.Reason, (int)attempt.RetryAfter!.Value.TotalSeconds);
                    }

                    throw new TooManyAttemptsException(attempt.RetryAfter!.Value);
                }

                if (current.Length > MaxPasswordLength || _hasher.VerifyHashedPassword(row.UserName, row.PasswordHash, current) == PasswordVerificationResult.Failed)
                {
                    logger.LogWarning("Password change refused for {UserName} from {RemoteIp}: wrong current password", row.UserName, actor.RemoteIp);
                    v.Add("currentPassword", "is not right.");
                }
                else
                {
                    _throttle.Succeeded(attempt);
                }
            }

            ValidatePassword(v, "newPassword", newPassword, row.UserName);
            v.ThrowIfInvalid();
            await c.ExecuteAsync(new CommandDefinition(SecuritySql.SetPassword, new
            {
                Id = id, PasswordHash = _hasher.HashPassword(row.UserName, newPassword!), At = now, SecurityStamp = NewStamp(),
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, action, "user", id, new { userName = row.UserName }, ct).ConfigureAwait(false);
            return row.UserName;
        }, ct).ConfigureAwait(false);
        if (current is null)
        {
            // An Admin set a new password: earlier failures at this account no longer make anyone wait.
            _throttle.Reset(userName);
        }
        SecurityNotifications.Raise(StampRotated, id, logger);
    }

    private static void ValidateRole(Validator v, string? role, int? communityId)
    {
        if (role is null || !Roles.People.Contains(role))
        {
            v.Add("role", $"must be one of {string.Join(", ", Roles.People)}.");
        }
        else if (communityId is not null && !Roles.MayBeScoped(role))
        {
            v.Add("communityId", $"only {Roles.Operator} and {Roles.Viewer} can be scoped to a community.");
        }
    }

    public static void ValidatePassword(Validator v, string field, string? password, string? userName)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            v.Add(field, $"must be at least {MinPasswordLength} characters.");
        }
        else if (userName is not null && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            v.Add(field, "must not contain the user name.");
        }
    }

    private static async Task RequireCommunityAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, int? communityId, CancellationToken ct)
    {
        if (communityId is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.CommunityExists, new { Id = communityId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 0)
        {
            throw new InputValidationException(new Dictionary<string, string[]> { ["communityId"] = [$"{communityId} is not a known community."] });
        }
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private sealed class UserRow
    {
        public int Id { get; init; }
        public string UserName { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public string Role { get; init; } = "";
        public int? CommunityId { get; init; }
        public bool IsActive { get; init; }
        public int FailedSignIns { get; init; }
        public DateTimeOffset? LockedUntil { get; init; }
        public string SecurityStamp { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset PasswordChangedAt { get; init; }
        public DateTimeOffset? LastSignInAt { get; init; }

        public AppUser ToUser() => new(Id, UserName, DisplayName, Role, CommunityId, IsActive, FailedSignIns, LockedUntil, SecurityStamp, CreatedAt, PasswordChangedAt, LastSignInAt);
    }
}
