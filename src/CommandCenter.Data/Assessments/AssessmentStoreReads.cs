using System.Data.Common;
using System.Text.Json;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>Reads a stored assessment (header and items), optionally only the items of one community.</summary>
internal static class AssessmentStoreReads
{
    public static async Task<AssessmentView?> ReadAsync(DbConnection c, DbTransaction? tx, AssessmentKind kind, Period period, int? communityId, CancellationToken ct)
    {
        var h = await c.QuerySingleOrDefaultAsync<HeaderRow>(Cmd(AssessmentSql.Header, new { Kind = (int)kind, Period = period.ToString() }, tx, ct)).ConfigureAwait(false);
        if (h is null) return null;
        var rows = communityId is null
            ? await c.QueryAsync<ItemRow>(Cmd(AssessmentSql.Items, new { h.Id }, tx, ct)).ConfigureAwait(false)
            : await c.QueryAsync<ItemRow>(Cmd(AssessmentSql.ItemsInCommunity, new { h.Id, CommunityId = communityId }, tx, ct)).ConfigureAwait(false);
        var items = rows.Select(r =>
        {
            var stored = JsonSerializer.Deserialize<AssessmentEngine.StoredIndicators>(r.IndicatorsJson, AssessmentSettingsStore.Json)!;
            return new AssessmentItemView(r.Rank, r.ItemId, r.Name, r.NameZh, r.CommunityId, r.Score is null ? null : Math.Round((decimal)r.Score.Value, 2), r.Points,
                stored.Values, stored.Normalised, r.PreviousRank, r.Movement, AssessmentNames.Tier((Tier)r.Tier),
                r.Grade is null ? null : AssessmentNames.Grade((Grade)r.Grade.Value), stored.Person);
        }).ToList();
        var versions = h.RuleSetVersions.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        return new AssessmentView(AssessmentNames.Kind(kind), h.Period, AssessmentNames.Status((AssessmentStatus)h.Status), h.ComputedAt, versions, h.WeightsVersion,
            AssessmentSettingsStore.Deserialize(h.SettingsJson), items);
    }

    private sealed class HeaderRow
    {
        public long Id { get; init; }
        public int Kind { get; init; }
        public string Period { get; init; } = "";
        public int Status { get; init; }
        public DateTimeOffset ComputedAt { get; init; }
        public string RuleSetVersions { get; init; } = "";
        public int WeightsVersion { get; init; }
        public string SettingsJson { get; init; } = "";
    }

    private sealed class ItemRow
    {
        public int ItemId { get; init; }
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int? CommunityId { get; init; }
        public int? Rank { get; init; }
        public double? Score { get; init; }
        public int Points { get; init; }
        public string IndicatorsJson { get; init; } = "";
        public int? PreviousRank { get; init; }
        public int? Movement { get; init; }
        public int Tier { get; init; }
        public int? Grade { get; init; }
    }
}
