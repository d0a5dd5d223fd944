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

public sealed record WallDevice(
    int Id, string Name, int? CommunityId, DateTimeOffset? EnrollmentExpiresAt, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? EnrolledAt, DateTimeOffset? LastSeenAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// What a wall-screen device shows: its language (null: the configured default culture), its community (null: the
/// whole street), its page or playlist (page keys, see <see cref="Pages"/>), the dwell time per page and its density.
/// </summary>
public sealed record ScreenSettings(string? Language, int? CommunityId, IReadOnlyList<string> Playlist, int DwellSeconds, string Density)
{
    /// <summary>The wall's pages, in playlist order.</summary>
    public static readonly IReadOnlyList<string> Pages = ["overview", "incidents", "devices", "rankings", "map"];

    /// <summary>Densities: the smallest readable text is 1/60 (desk), 1/45 (wall) or 1/36 (hall) of the screen height.</summary>
    public static readonly IReadOnlyList<string> Densities = ["desk", "wall", "hall"];

    /// <summary>The languages a screen may be set to.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en-US", "zh-CN"];

    public const int MinDwellSeconds = 10;
    public const int MaxDwellSeconds = 3600;

    /// <summary>A new device: the default culture, the overview only, 30 s, wall density.</summary>
    public static readonly ScreenSettings Default = new(null, null, ["overview"], 30, "wall");

    /// <summary>The playlist from its stored form (comma-separated keys); unknown keys are dropped, empty is the overview.</summary>
    public static IReadOnlyList<string> ParsePlaylist(string? text)
    {
        var list = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => k.ToLowerInvariant()).Where(k => Pages.Contains(k)).Distinct().ToList();
        return list.Count == 0 ? ["overview"] : list;
    }
}

/// <summary>A registered device and the one-time code of its enrollment link (shown once, stored hashed).</summary>
public sealed record DeviceRegistration(WallDevice Device, string EnrollmentCode);

/// <summary>
/// Wall-screen devices: an Admin registers one and gets a one-time enrollment code (valid 24 h); the
/// device exchanges it for a long-lived read-only token (stored hashed) that it keeps while in use.
/// Revoking (or a new enrollment code) clears the token at once and raises <see cref="TokenRevoked"/>; open screens
/// elsewhere notice on their next re-validation (<see cref="HoldsTokenAsync"/>).
/// </summary>
public sealed class DeviceService(DbConnectionFactory db, TimeProvider time, ILogger<DeviceService> logger)
{
    public static readonly TimeSpan EnrollmentValidity = TimeSpan.FromHours(24);
    private static readonly TimeSpan SeenWriteInterval = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<int, DateTimeOffset> _lastSeenWritten = new();

    /// <summary>Raised with the device's id after its token stopped working on this node (revoked, or a new enrollment code).</summary>
    public event Action<int>? TokenRevoked;

    /// <summary>Raised (on this node) with the device's id and its new settings after an Admin changed them.</summary>
    public event Action<int, ScreenSettings>? SettingsChanged;

    /// <summary>The settings of a device, or null if there is no such device.</summary>
    public async Task<ScreenSettings?> GetSettingsAsync(int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(SecuritySql.DeviceSettings, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToSettings();
    }

    /// <summary>Validates, stores and audits a device's settings, then pushes them to its open screens (<see cref="SettingsChanged"/>).</summary>
    public async Task<ScreenSettings> UpdateSettingsAsync(Actor actor, int id, ScreenSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>();
        if (settings.Language is { } lang && !ScreenSettings.Languages.Contains(lang)) errors["language"] = [$"Use one of {string.Join(", ", ScreenSettings.Languages)}."];
        if (!ScreenSettings.Densities.Contains(settings.Density)) errors["density"] = [$"Use one of {string.Join(", ", ScreenSettings.Densities)}."];
        if (settings.DwellSeconds is < ScreenSettings.MinDwellSeconds or > ScreenSettings.MaxDwellSeconds)
        {
            errors["dwellSeconds"] = [$"Between {ScreenSettings.MinDwellSeconds} and {ScreenSettings.MaxDwellSeconds} seconds."];
        }

        if (settings.Playlist.Count == 0 || settings.Playlist.Any(p => !ScreenSettings.Pages.Contains(p))) errors["pages"] = [$"Pick pages among {string.Join(", ", ScreenSettings.Pages)}."];
        if (errors.Count > 0) throw new InputValidationException(errors);
        var clean = settings with { Playlist = settings.Playlist.Distinct().ToList() };
        var now = time.GetUtcNow();
        await db.WriteAsync(async (c, tx) =>
        {
            if (clean.CommunityId is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.CommunityExists, new { Id = clean.CommunityId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 0)
            {
                throw new InputValidationException(new Dictionary<string, string[]> { ["communityId"] = [$"{clean.CommunityId} is not a known community."] });
            }

            var n = await c.ExecuteAsync(new CommandDefinition(SecuritySql.UpdateDeviceSettings, new
            {
                Id = id, clean.Language, clean.CommunityId, Pages = string.Join(',', clean.Playlist), clean.DwellSeconds, clean.Density,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (n == 0) throw new InputValidationException(new Dictionary<string, string[]> { ["id"] = [$"{id} is not an active device."] });
            await AuditLog.WriteAsync(c, tx, actor, now, "device.settings", "device", id,
                new { language = clean.Language, communityId = clean.CommunityId, pages = clean.Playlist, dwellSeconds = clean.DwellSeconds, density = clean.Density }, ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        logger.LogInformation("Device {DeviceId} settings changed by {Actor}", id, actor.Name);
        var handlers = SettingsChanged;
        if (handlers is not null)
        {
            foreach (var h in handlers.GetInvocationList().Cast<Action<int, ScreenSettings>>())
            {
                try
                {
                    h(id, clean);
                }
#pragma warning disable CA1031 // one failing screen must not stop the others
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogWarning(ex, "A screen failed to apply the settings of device {DeviceId}", id);
                }
            }
        }

        return clean;
    }

    public async Task<DeviceRegistration> RegisterAsync(Actor actor, string? name, int? communityId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var v = new Validator();
        var deviceName = v.RequiredText("name", name, 100);
        v.ThrowIfInvalid();
        var now = time.GetUtcNow();
        var code = Secrets.New("enr_", 24);
        var id = await db.WriteAsync(async (c, tx) =>
        {
            if (communityId is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.CommunityExists, new { Id = communityId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 0)
            {
                throw new InputValidationException(new Dictionary<string, string[]> { ["communityId"] = [$"{communityId} is not a known community."] });
            }

            var newId = await c.ExecuteScalarAsync<int>(new CommandDefinition(db.Pick(SecuritySql.InsertDevice_Sqlite, SecuritySql.InsertDevice_SqlServer), new
            {
                Name = deviceName, CommunityId = communityId, CodeHash = Secrets.Hash(code), ExpiresAt = now + EnrollmentValidity, At = now, CreatedBy = actor.Name,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "device.registered", "device", newId, new { name = deviceName, communityId }, ct).ConfigureAwait(false);
            return newId;
        }, ct).ConfigureAwait(false);
        return new DeviceRegistration((await FindAsync(id, ct).ConfigureAwait(false))!, code);
    }

    /// <summary>A new one-time code for a device (e.g. its browser was reset); the old token stops working.</summary>
    public async Task<string> NewEnrollmentCodeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var code = Secrets.New("enr_", 24);
        await db.WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition(SecuritySql.NewEnrollmentCode, new { Id = id, CodeHash = Secrets.Hash(code), ExpiresAt = now + EnrollmentValidity }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (n == 0) throw new InputValidationException(new Dictionary<string, string[]> { ["id"] = [$"{id} is not an active device."] });
            await AuditLog.WriteAsync(c, tx, actor, now, "device.re-enrollment", "device", id, null, ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        SecurityNotifications.Raise(TokenRevoked, id, logger);
        return code;
    }

    /// <summary>Exchanges a one-time code for the device's long-lived token; null if the code is unknown, used or expired.</summary>
    public async Task<(WallDevice Device, string Token)?> EnrollAsync(string? code, string? remoteIp, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 200) return null;
        var now = time.GetUtcNow();
        var token = Secrets.New("dev_", 32);
        var device = await db.WriteAsync(async (c, tx) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(SecuritySql.DeviceByEnrollmentCode, new { CodeHash = Secrets.Hash(code), Now = now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (row is null) return null;
            var n = await c.ExecuteAsync(new CommandDefinition(SecuritySql.EnrollDevice, new { row.Id, TokenHash = Secrets.Hash(token), At = now, CodeHash = Secrets.Hash(code) }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (n != 1) return null;
            await AuditLog.WriteAsync(c, tx, new Actor(ActorKind.Device, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Name, row.CommunityId, remoteIp), now, "device.enrolled", "device", row.Id, null, ct).ConfigureAwait(false);
            return row.ToDevice();
        }, ct).ConfigureAwait(false);
        if (device is null)
        {
            logger.LogWarning("Device enrollment refused from {RemoteIp}: unknown, used or expired code", remoteIp);
            return null;
        }

        logger.LogInformation("Device {DeviceId} ({DeviceName}) enrolled from {RemoteIp}", device.Id, device.Name, remoteIp);
        return (device, token);
    }

    /// <summary>The device holding <paramref name="token"/>, or null if unknown or revoked. Records when it was last seen.</summary>
    public async Task<WallDevice?> ValidateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return null;
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(SecuritySql.DeviceByToken, new { TokenHash = Secrets.Hash(token) }, cancellationToken: ct)).ConfigureAwait(false);
        if (row is null) return null;
        var now = time.GetUtcNow();
        if (!_lastSeenWritten.TryGetValue(row.Id, out var last) || now - last > SeenWriteInterval)
        {
            _lastSeenWritten[row.Id] = now;
            await db.WriteAsync((wc, tx) => wc.ExecuteAsync(new CommandDefinition(SecuritySql.DeviceSeen, new { row.Id, At = now }, tx, cancellationToken: ct)), ct).ConfigureAwait(false);
        }

        return row.ToDevice();
    }

    /// <summary>Whether the device is still active (for re-validating open screens).</summary>
    public async Task<bool> IsActiveAsync(int id, CancellationToken ct = default) =>
        await FindAsync(id, ct).ConfigureAwait(false) is { IsRevoked: false, EnrolledAt: not null };

    /// <summary>
    /// Whether the device is active and still holds the token with this hash (for re-validating open screens and hub
    /// connections: false after a revocation or a new enrollment code).
    /// </summary>
    public async Task<bool> HoldsTokenAsync(int id, string tokenHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<int>(new CommandDefinition(SecuritySql.DeviceHoldsToken, new { Id = id, TokenHash = tokenHash }, cancellationToken: ct)).ConfigureAwait(false) > 0;
    }

    public async Task<bool> RevokeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var done = await AuditLog.ChangeAndAuditAsync(db, SecuritySql.RevokeDevice, new { Id = id, At = now }, actor, now, "device.revoked", "device", id, ct).ConfigureAwait(false);
        if (done)
        {
            logger.LogInformation("Device {DeviceId} revoked by {Actor}", id, actor.Name);
            SecurityNotifications.Raise(TokenRevoked, id, logger);
        }

        return done;
    }

    public async Task<WallDevice?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QuerySingleOrDefaultAsync<DeviceRow>(new CommandDefinition(SecuritySql.DeviceById, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false))?.ToDevice();
    }

    public async Task<IReadOnlyList<WallDevice>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<DeviceRow>(new CommandDefinition(SecuritySql.Devices, cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.ToDevice()).ToList();
    }

    private sealed class SettingsRow
    {
        public int Id { get; init; }
        public string? Language { get; init; }
        public int? CommunityId { get; init; }
        public string? Pages { get; init; }
        public int DwellSeconds { get; init; }
        public string? Density { get; init; }

        public ScreenSettings ToSettings() => new(
            Language is { } l && ScreenSettings.Languages.Contains(l) ? l : null,
            CommunityId,
            ScreenSettings.ParsePlaylist(Pages),
            Math.Clamp(DwellSeconds, ScreenSettings.MinDwellSeconds, ScreenSettings.MaxDwellSeconds),
            Density is { } d && ScreenSettings.Densities.Contains(d) ? d : "wall");
    }

    private sealed class DeviceRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public int? CommunityId { get; init; }
        public DateTimeOffset? EnrollmentExpiresAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public DateTimeOffset? EnrolledAt { get; init; }
        public DateTimeOffset? LastSeenAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }

        public WallDevice ToDevice() => new(Id, Name, CommunityId, EnrollmentExpiresAt, CreatedAt, CreatedBy, EnrolledAt, LastSeenAt, RevokedAt);
    }
}
