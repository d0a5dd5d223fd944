using System.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Points;

/// <summary>A stored rule-set version with who made it.</summary>
public sealed record StoredRuleSet(RuleSet RuleSet, DateTimeOffset CreatedAt, string CreatedBy, string? Note);

/// <summary>
/// Reads the rule-set versions and saves an edit as a new version in force from the next week (audited in the same
/// transaction). Past weeks keep the version they were scored with; the running week keeps the version in force.
/// </summary>
public sealed class RuleSetStore(DbConnectionFactory db, BoardClock clock)
{
    public async Task<IReadOnlyList<StoredRuleSet>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await ReadAsync(c, null, ct).ConfigureAwait(false);
    }

    /// <summary>The version in force for a week (the default rules if the table is empty).</summary>
    public async Task<RuleSet> InForceAsync(Period week, CancellationToken ct = default)
    {
        var all = await ListAsync(ct).ConfigureAwait(false);
        return RuleSet.InForce(all.Select(s => s.RuleSet), week) ?? DefaultRules.Version1;
    }

    internal static async Task<IReadOnlyList<StoredRuleSet>> ReadAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var sets = (await c.QueryAsync<RuleSetRow>(Cmd(PointsSql.RuleSets, null, tx, ct)).ConfigureAwait(false)).ToList();
        var rules = (await c.QueryAsync<RuleRow>(Cmd(PointsSql.Rules, null, tx, ct)).ConfigureAwait(false)).ToLookup(r => r.RuleSetVersion);
        return sets.Select(s => new StoredRuleSet(
            new RuleSet(s.Version, Period.Parse(s.EffectiveFrom), rules[s.Version].Select(r => r.ToRule()).ToList()),
            s.CreatedAt, s.CreatedBy, s.Note)).ToList();
    }

    /// <summary>
    /// Stores <paramref name="rules"/> as a new version in force from the week after this one. Validation errors name
    /// their field (<c>rules[2].points</c>). Returns the new version.
    /// </summary>
    public async Task<RuleSet> SaveAsync(IReadOnlyList<ScoringRule> rules, string? note, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var valid = RuleSetRules.Validate(rules);
        var v = new Domain.Validation.Validator();
        var cleanNote = v.OptionalText("note", note, 500);
        v.ThrowIfInvalid();
        var now = clock.Now;
        var from = Period.Of(PeriodKind.Week, now, clock.Zone).Next();
        return await db.WriteAsync(async (c, tx) =>
        {
            var version = await c.ExecuteScalarAsync<int>(Cmd(PointsSql.MaxVersion, null, tx, ct)).ConfigureAwait(false) + 1;
            await c.ExecuteAsync(Cmd(PointsSql.InsertRuleSet,
                new { Version = version, EffectiveFrom = from.ToString(), CreatedAt = now, CreatedBy = actor.Name, Note = cleanNote }, tx, ct)).ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(PointsSql.InsertRule, valid.Select((r, i) => new
            {
                RuleSetVersion = version,
                r.Code,
                r.DescriptionZh,
                r.DescriptionEn,
                Event = (int)r.Event,
                r.Points,
                Earner = (int)r.Earner,
                r.CapPerPeriod,
                r.Parameter,
                r.Enabled,
                SortOrder = i + 1,
            }), tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "points.rules.version", "RuleSet", version,
                new { effectiveFrom = from.ToString(), rules = valid.Count, note = cleanNote }, ct).ConfigureAwait(false);
            return new RuleSet(version, from, valid);
        }, ct).ConfigureAwait(false);
    }

    private sealed class RuleSetRow
    {
        public int Version { get; init; }
        public string EffectiveFrom { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public string? Note { get; init; }
    }

    private sealed class RuleRow
    {
        public int RuleSetVersion { get; init; }
        public string Code { get; init; } = "";
        public string DescriptionZh { get; init; } = "";
        public string DescriptionEn { get; init; } = "";
        public int Event { get; init; }
        public int Points { get; init; }
        public int Earner { get; init; }
        public int? CapPerPeriod { get; init; }
        public int? Parameter { get; init; }
        public bool Enabled { get; init; }

        public ScoringRule ToRule() => new(Code, DescriptionZh, DescriptionEn, (ScoredEvent)Event, Points, (Earner)Earner, CapPerPeriod, Parameter, Enabled);
    }
}
