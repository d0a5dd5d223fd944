using System.Reflection;
using CommandCenter.Data.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CommandCenter.Data.Tests;

/// <summary>Every SQL Server script and query string parses as T-SQL, so a typo fails here without a server.</summary>
public sealed class SqlServerScriptTests
{
    public static TheoryData<string> Migrations()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in MigrationRunner.Scripts(DatabaseProvider.SqlServer)) data.Add(name);
        return data;
    }

    /// <summary>
    /// Every public or internal const string of a type named *Sql in CommandCenter.Data and CommandCenter.Demo (the
    /// demo street's inserts and the simulator's reads run on SQL Server too), except SQLite variants.
    /// </summary>
    public static TheoryData<string> Queries()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in QueryStrings()) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Migrations))]
    public void SqlServerMigration_Parses(string name)
    {
        var sql = MigrationRunner.Scripts(DatabaseProvider.SqlServer).Single(s => s.Name == name).Sql;
        foreach (var batch in MigrationRunner.Batches(sql))
        {
            AssertParses(batch, name);
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void SqlServerQuery_Parses(string name)
    {
        AssertParses(QueryStrings().Single(q => q.Name == name).Sql, name);
    }

    [Fact]
    public void QueryStrings_AreFound()
    {
        Assert.True(QueryStrings().Count() >= 20, "the reflection that finds query strings found too few");
    }

    [Fact]
    public void Parser_RejectsABrokenStatement()
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader("SELEC Id FRM Grid"), out var errors);
        Assert.NotEmpty(errors);
    }

    private static readonly Assembly[] QueryAssemblies = [typeof(DbConnectionFactory).Assembly, typeof(CommandCenter.Demo.DemoOptions).Assembly];

    [Fact]
    public void QueryStrings_IncludeTheDemoSql()
    {
        var names = QueryStrings().Select(q => q.Name).ToList();
        Assert.Contains(names, n => n.StartsWith("DemoStreetSql.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("SimulatorSql.", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Name, string Sql)> QueryStrings() =>
        QueryAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("Sql", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && !f.Name.EndsWith("_Sqlite", StringComparison.Ordinal))
                .Where(f => !f.IsPrivate)
                .Select(f => ($"{t.Name}.{f.Name}", (string)f.GetRawConstantValue()!)));

    private static void AssertParses(string sql, string name)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
    }
}
