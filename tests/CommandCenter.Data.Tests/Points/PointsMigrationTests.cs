using System.Text.RegularExpressions;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Points;
using Dapper;

namespace CommandCenter.Data.Tests.Points;

public sealed class PointsMigrationTests
{
    private sealed record RuleRow
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
    }

    [Fact]
    public async Task Migration_0015_SeedsTheDefaultRuleSet_EqualToDefaultRules()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        await using var c = await db.Factory.OpenAsync();

        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        Assert.Subset(tables, new HashSet<string> { "RuleSet", "ScoringRule", "PointsLedger", "VolunteerService", "ContactVisit", "ScoringRun" });
        Assert.Equal("2000-W01", await c.ExecuteScalarAsync<string>("SELECT EffectiveFrom FROM RuleSet WHERE Version = 1"));
        var rows = (await c.QueryAsync<RuleRow>(
            "SELECT RuleSetVersion, Code, DescriptionZh, DescriptionEn, Event, Points, Earner, CapPerPeriod, Parameter, Enabled FROM ScoringRule ORDER BY SortOrder")).ToList();
        var expected = DefaultRules.Rules.Select(r => new RuleRow
        {
            RuleSetVersion = 1, Code = r.Code, DescriptionZh = r.DescriptionZh, DescriptionEn = r.DescriptionEn, Event = (int)r.Event, Points = r.Points,
            Earner = (int)r.Earner, CapPerPeriod = r.CapPerPeriod, Parameter = r.Parameter, Enabled = r.Enabled,
        });
        Assert.Equal(expected, rows);
        Assert.Equal(DefaultRules.EffectiveFrom.ToString(), await c.ExecuteScalarAsync<string>("SELECT MIN(EffectiveFrom) FROM RuleSet"));
    }

    [Fact]
    public void Migration_0015_SqlServerTwin_SeedsTheSameRules()
    {
        string Text(DatabaseProvider p) => MigrationRunner.Scripts(p).Single(s => s.Name.StartsWith("0015", StringComparison.Ordinal)).Sql;
        static IEnumerable<string> Codes(string sql) => Regex.Matches(sql, @"\(1, N?'([A-Z_]+)'").Select(m => m.Groups[1].Value);
        Assert.Equal(DefaultRules.Rules.Select(r => r.Code), Codes(Text(DatabaseProvider.Sqlite)));
        Assert.Equal(DefaultRules.Rules.Select(r => r.Code), Codes(Text(DatabaseProvider.SqlServer)));
    }
}
