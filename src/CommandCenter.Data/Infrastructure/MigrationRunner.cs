using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Infrastructure;

/// <summary>
/// Applies the numbered scripts of db/sqlite or db/sqlserver (embedded in this assembly) in order, each once,
/// each in its own transaction, recording it in the journal table SchemaMigrations.
/// </summary>
public sealed partial class MigrationRunner(DbConnectionFactory factory, ILogger<MigrationRunner> logger)
{
    public const string JournalTable = "SchemaMigrations";

    /// <summary>The scripts of one dialect, ordered by name: (name, text).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Sqlite ? ".sqlite." : ".sqlserver.";
        var asm = typeof(MigrationRunner).Assembly;
        return asm.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations" + folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: n[(n.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..], Resource: n))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => (x.Name, Read(asm, x.Resource)))
            .ToList();
    }

    /// <summary>Splits a T-SQL script into batches at lines that hold only GO.</summary>
    public static IReadOnlyList<string> Batches(string sql) =>
        GoLine().Split(sql).Select(b => b.Trim()).Where(b => b.Length > 0).ToList();

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        var applied = new List<string>();
        await using var connection = await OpenOrExplainAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            factory.Pick(MigrationSql.CreateJournal_Sqlite, MigrationSql.CreateJournal_SqlServer), cancellationToken: ct)).ConfigureAwait(false);
        var done = (await connection.QueryAsync<string>(new CommandDefinition(MigrationSql.AppliedNames, cancellationToken: ct)).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (name, sql) in Scripts(factory.Provider))
        {
            if (done.Contains(name))
            {
                continue;
            }

            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var batches = factory.IsSqlite ? [sql] : Batches(sql);
            foreach (var batch in batches)
            {
                await connection.ExecuteAsync(new CommandDefinition(batch, transaction: tx, commandTimeout: 600, cancellationToken: ct)).ConfigureAwait(false);
            }

            await connection.ExecuteAsync(new CommandDefinition(MigrationSql.Record,
                new { Name = name, AppliedAt = DateTimeOffset.UtcNow }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            logger.LogInformation("Applied migration {Migration}", name);
            applied.Add(name);
        }

        if (factory.IsSqlite)
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: ct)).ConfigureAwait(false);
        }

        logger.LogInformation("Database is at the latest schema ({Applied} migration(s) applied now, {Provider})", applied.Count, factory.Provider);
        return applied;
    }

    private async Task<DbConnection> OpenOrExplainAsync(CancellationToken ct)
    {
        try
        {
            return await factory.OpenAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new SettingException(
                $"Cannot open the {factory.Provider} database named by setting 'Database:ConnectionString': {ex.Message}", ex);
        }
    }

    private static string Read(Assembly asm, string resource)
    {
        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\s*GO\s*;?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}

internal static class MigrationSql
{
    public const string CreateJournal_Sqlite =
        "CREATE TABLE IF NOT EXISTS SchemaMigrations (Name TEXT NOT NULL PRIMARY KEY, AppliedAt TEXT NOT NULL);";

    public const string CreateJournal_SqlServer =
        "IF OBJECT_ID(N'dbo.SchemaMigrations', N'U') IS NULL CREATE TABLE dbo.SchemaMigrations (Name NVARCHAR(200) NOT NULL CONSTRAINT PK_SchemaMigrations PRIMARY KEY, AppliedAt DATETIMEOFFSET(7) NOT NULL);";

    public const string AppliedNames = "SELECT Name FROM SchemaMigrations";

    public const string Record = "INSERT INTO SchemaMigrations (Name, AppliedAt) VALUES (@Name, @AppliedAt)";
}
