using CommandCenter.Data.Common;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Points;

/// <summary>One place on a points leaderboard: rank with ties (1, 2, 2, 4), points earned in the period, and by rule.</summary>
public sealed record LeaderboardItem(int Rank, int Id, string Name, string NameZh, int Points, IReadOnlyDictionary<string, int> ByRule);

/// <summary>
/// A points leaderboard for a week or month: <see cref="Status"/> is <c>final</c> when every week of the period is
/// scored for good, else <c>provisional</c>; <see cref="RuleSetVersions"/> are the versions its weeks were scored with.
/// </summary>
public sealed record Leaderboard(string Earner, string Period, string Status, DateTimeOffset? ComputedAt, IReadOnlyList<int> RuleSetVersions,
    IReadOnlyList<LeaderboardItem> Items);

public sealed record VolunteerServiceItem(long Id, int StaffId, string StaffName, int GridId, int CommunityId, DateTimeOffset ServedAt, double Hours,
    string Place, string? Note, DateTimeOffset RecordedAt, string RecordedBy);

public sealed record ContactVisitItem(long Id, int StaffId, string StaffName, long HouseholdId, string HeadName, int GridId, int CommunityId,
    DateTimeOffset VisitedAt, string? Note, DateTimeOffset RecordedAt, string RecordedBy);

public sealed record StaffOption(int Id, string Name, bool IsPartyMember, int? GridId);

public sealed record HouseholdOption(long Id, string Room, string HeadName, int GridId);

public sealed record GridOption(int Id, string Name, string NameZh, int CommunityId);

public sealed record PersonLedgerRow(long Id, string Kind, string RuleCode, int? RuleSetVersion, int Points, string? SourceEvent, long? SourceId,
    int? GridId, string Week, DateTimeOffset OccurredAt, string? Reason, string? EnteredBy);

/// <summary>A person's points: balance = earned − redeemed; the latest ledger rows.</summary>
public sealed record PersonPoints(int StaffId, string Name, int Earned, int Redeemed, int Balance, IReadOnlyList<PersonLedgerRow> Ledger);

/// <summary>The reads of the points: leaderboards, a person's ledger, volunteer service and contact visits (cut to the actor's community).</summary>
public sealed class PointsQueries(DbConnectionFactory db)
{
    public const int MaxTake = 500;

    public async Task<Leaderboard> LeaderboardAsync(Earner earner, Period period, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var args = new { EarnerKind = (int)earner, Period = period.ToString(), actor.CommunityId };
        var sql = period.Kind == PeriodKind.Week ? PointsRecordSql.ByRuleWeek : PointsRecordSql.ByRuleMonth;
        var rows = (await c.QueryAsync<ByRuleRow>(Cmd(sql, args, null, ct)).ConfigureAwait(false)).ToList();
        var names = earner switch
        {
            Earner.Grid => await c.QueryAsync<NameRow>(Cmd(PointsRecordSql.Grids, args, null, ct)).ConfigureAwait(false),
            Earner.Community => await c.QueryAsync<NameRow>(Cmd(PointsRecordSql.Communities, args, null, ct)).ConfigureAwait(false),
            _ => await c.QueryAsync<NameRow>(Cmd(PointsRecordSql.People, null, null, ct)).ConfigureAwait(false),
        };
        var nameOf = names.ToDictionary(n => n.Id);
        var byEarner = rows.GroupBy(r => r.EarnerId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.RuleCode, r => r.Points, StringComparer.Ordinal));

        // Grids and communities all take part (0 points is a place too); people appear once they have points in the period.
        var ids = earner == Earner.Person ? byEarner.Keys.Where(nameOf.ContainsKey) : nameOf.Keys;
        var items = ids.Select(id => (Id: id, Points: byEarner.TryGetValue(id, out var r) ? r.Values.Sum() : 0)).ToList();
        var ranked = Ranking.ByScore(items, i => i.Points, i => i.Id).Select(r => new LeaderboardItem(r.Rank, r.Item.Id, nameOf[r.Item.Id].Name, nameOf[r.Item.Id].NameZh,
            r.Item.Points, byEarner.TryGetValue(r.Item.Id, out var b) ? b : new Dictionary<string, int>())).ToList();

        var weeks = WeeksOf(period);
        var runs = (await c.QueryAsync<RunRow>(Cmd(PointsRecordSql.RunsBetween, new { From = weeks[0].ToString(), To = weeks[^1].ToString() }, null, ct)).ConfigureAwait(false)).ToList();
        var final = weeks.All(w => runs.Any(r => r.Week == w.ToString() && r.Status == (int)ScoringRunStatus.Final));
        return new Leaderboard(earner.ToString(), period.ToString(), final ? "final" : "provisional", runs.Count == 0 ? null : runs.Max(r => r.ComputedAt),
            runs.Select(r => r.RuleSetVersion).Distinct().Order().ToList(), ranked);
    }

    /// <summary>The ISO weeks that hold a day of the period.</summary>
    public static IReadOnlyList<Period> WeeksOf(Period period)
    {
        if (period.Kind == PeriodKind.Week) return [period];
        var list = new List<Period>();
        for (var w = Period.WeekOf(period.FirstDay); w.FirstDay < period.EndDay; w = w.Next()) list.Add(w);
        return list;
    }

    public async Task<PersonPoints?> PersonAsync(int staffId, Actor actor, int take = 100, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var name = await c.ExecuteScalarAsync<string?>(Cmd(PointsRecordSql.StaffName, new { Id = staffId }, null, ct)).ConfigureAwait(false);
        if (name is null) return null;
        if (actor.CommunityId is not null
            && await c.ExecuteScalarAsync<long>(Cmd(LookupSql.StaffInCommunity, new { Id = staffId, actor.CommunityId }, null, ct)).ConfigureAwait(false) == 0)
        {
            return null;
        }

        var totals = await c.QuerySingleAsync<TotalsRow>(Cmd(PointsRecordSql.PersonTotals, new { StaffId = staffId }, null, ct)).ConfigureAwait(false);
        var rows = await c.QueryAsync<LedgerRow>(Cmd(db.Pick(PointsRecordSql.PersonLedger_Sqlite, PointsRecordSql.PersonLedger_SqlServer),
            new { StaffId = staffId, Take = Math.Clamp(take, 1, MaxTake) }, null, ct)).ConfigureAwait(false);
        return new PersonPoints(staffId, name, totals.Earned, totals.Redeemed, totals.Earned - totals.Redeemed, rows.Select(r => new PersonLedgerRow(r.Id,
            ((LedgerKind)r.Kind).ToString(), r.RuleCode, r.RuleSetVersion, r.Points, r.SourceEvent is { } e ? ((ScoredEvent)e).ToString() : null, r.SourceId,
            r.GridId, r.Week, r.OccurredAt, r.Reason, r.EnteredBy)).ToList());
    }

    public async Task<IReadOnlyList<VolunteerServiceItem>> VolunteerServicesAsync(Actor actor, int? staffId, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<VolunteerRow>(Cmd(db.Pick(PointsRecordSql.Volunteers_Sqlite, PointsRecordSql.Volunteers_SqlServer),
            new { actor.CommunityId, StaffId = staffId, Take = Take(take) }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new VolunteerServiceItem(r.Id, r.StaffId, r.StaffName, r.GridId, r.CommunityId, r.ServedAt, r.Hours, r.Place, r.Note, r.RecordedAt, r.RecordedBy)).ToList();
    }

    public async Task<IReadOnlyList<ContactVisitItem>> ContactVisitsAsync(Actor actor, int? staffId, int take, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<ContactRow>(Cmd(db.Pick(PointsRecordSql.Contacts_Sqlite, PointsRecordSql.Contacts_SqlServer),
            new { actor.CommunityId, StaffId = staffId, Take = Take(take) }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new ContactVisitItem(r.Id, r.StaffId, r.StaffName, r.HouseholdId, r.HeadName, r.GridId, r.CommunityId, r.VisitedAt, r.Note, r.RecordedAt, r.RecordedBy)).ToList();
    }

    public async Task<IReadOnlyList<StaffOption>> StaffAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<StaffOptionRow>(Cmd(PointsRecordSql.StaffOptions, new { actor.CommunityId }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new StaffOption(r.Id, r.Name, r.IsPartyMember, r.GridId)).ToList();
    }

    public async Task<IReadOnlyList<GridOption>> GridsAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<NameRow>(Cmd(PointsRecordSql.Grids, new { actor.CommunityId }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new GridOption(r.Id, r.Name, r.NameZh, r.CommunityId)).OrderBy(g => g.Id).ToList();
    }

    public async Task<IReadOnlyList<HouseholdOption>> HouseholdsOfStaffAsync(int staffId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<HouseholdRow>(Cmd(PointsRecordSql.HouseholdOptions, new { StaffId = staffId }, null, ct)).ConfigureAwait(false);
        return rows.Select(r => new HouseholdOption(r.Id, r.Room, r.HeadName, r.GridId)).ToList();
    }

    private static int Take(int take) => take is < 1 or > MaxTake
        ? throw InputValidationException.For("take", $"must be between 1 and {MaxTake}.")
        : take;

    private sealed class StaffOptionRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public bool IsPartyMember { get; init; }
        public int? GridId { get; init; }
    }

    private sealed class HouseholdRow
    {
        public long Id { get; init; }
        public string Room { get; init; } = "";
        public string HeadName { get; init; } = "";
        public int GridId { get; init; }
    }

    private sealed class ByRuleRow
    {
        public int EarnerId { get; init; }
        public string RuleCode { get; init; } = "";
        public int Points { get; init; }
    }

    private sealed class NameRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int CommunityId { get; init; }
    }

    private sealed class RunRow
    {
        public string Week { get; init; } = "";
        public int Status { get; init; }
        public DateTimeOffset ComputedAt { get; init; }
        public int RuleSetVersion { get; init; }
    }

    private sealed class TotalsRow
    {
        public int Earned { get; init; }
        public int Redeemed { get; init; }
    }

    private sealed class LedgerRow
    {
        public long Id { get; init; }
        public int Kind { get; init; }
        public string RuleCode { get; init; } = "";
        public int? RuleSetVersion { get; init; }
        public int Points { get; init; }
        public int? SourceEvent { get; init; }
        public long? SourceId { get; init; }
        public int? GridId { get; init; }
        public string Week { get; init; } = "";
        public DateTimeOffset OccurredAt { get; init; }
        public string? Reason { get; init; }
        public string? EnteredBy { get; init; }
    }

    private sealed class VolunteerRow
    {
        public long Id { get; init; }
        public int StaffId { get; init; }
        public string StaffName { get; init; } = "";
        public int GridId { get; init; }
        public int CommunityId { get; init; }
        public DateTimeOffset ServedAt { get; init; }
        public double Hours { get; init; }
        public string Place { get; init; } = "";
        public string? Note { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string RecordedBy { get; init; } = "";
    }

    private sealed class ContactRow
    {
        public long Id { get; init; }
        public int StaffId { get; init; }
        public string StaffName { get; init; } = "";
        public long HouseholdId { get; init; }
        public string HeadName { get; init; } = "";
        public int GridId { get; init; }
        public int CommunityId { get; init; }
        public DateTimeOffset VisitedAt { get; init; }
        public string? Note { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string RecordedBy { get; init; } = "";
    }
}
