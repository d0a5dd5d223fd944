using System.Text.Json;
using System.Text.Json.Serialization;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>
/// The assessment settings as versions: an Admin's save stores a new version (audited in the same transaction); the
/// next computation of a provisional assessment uses it; final assessments keep the settings they were computed with.
/// </summary>
public sealed class AssessmentSettingsStore(DbConnectionFactory db, BoardClock clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(AssessmentSettings settings) => JsonSerializer.Serialize(settings, Json);

    public static AssessmentSettings Deserialize(string json) =>
        JsonSerializer.Deserialize<AssessmentSettings>(json, Json) ?? throw new InvalidOperationException("Empty assessment settings.");

    /// <summary>The settings in force: the latest stored version, or version 0 (the built-in default).</summary>
    public async Task<AssessmentSettingsVersion> CurrentAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<SettingsRow>(Cmd(AssessmentSql.LatestSettings, null, null, ct)).ConfigureAwait(false);
        return row is null ? new AssessmentSettingsVersion(0, null, "system", "built-in default", AssessmentSettings.Default) : row.ToVersion();
    }

    public async Task<IReadOnlyList<AssessmentSettingsVersion>> VersionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<SettingsRow>(Cmd(AssessmentSql.SettingsVersions, null, null, ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToVersion()), new AssessmentSettingsVersion(0, null, "system", "built-in default", AssessmentSettings.Default)];
    }

    /// <summary>Validates and stores the settings as a new version, with its audit row, in one transaction.</summary>
    public async Task<AssessmentSettingsVersion> SaveAsync(AssessmentSettings settings, Actor actor, string? note, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(actor);
        settings.Validate();
        var cleanNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (cleanNote is { Length: > 500 }) throw Domain.Validation.InputValidationException.For("note", "must be at most 500 characters.");
        var json = Serialize(settings);
        var now = clock.Now;
        return await db.WriteAsync(async (c, tx) =>
        {
            var version = await c.ExecuteScalarAsync<int>(Cmd(AssessmentSql.NextSettingsVersion, null, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(AssessmentSql.InsertSettings, new { Version = version, SettingsJson = json, CreatedAt = now, CreatedBy = actor.Name, Note = cleanNote }, tx, ct))
                .ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "assessments.settings.version", "AssessmentWeights", version,
                new { weights = settings.Weights.ToDictionary(kv => Indicators.Key(kv.Key), kv => kv.Value), settings.RedFlagShare, settings.NeedsAttentionShare, note = cleanNote }, ct)
                .ConfigureAwait(false);
            return new AssessmentSettingsVersion(version, now, actor.Name, cleanNote, settings);
        }, ct).ConfigureAwait(false);
    }

    private sealed class SettingsRow
    {
        public int Version { get; init; }
        public string SettingsJson { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public string? Note { get; init; }

        public AssessmentSettingsVersion ToVersion() => new(Version, CreatedAt, CreatedBy, Note, Deserialize(SettingsJson));
    }
}
