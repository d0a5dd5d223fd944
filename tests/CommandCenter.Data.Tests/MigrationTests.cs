using CommandCenter.Data.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Data.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void Scripts_BothDialects_HaveTheSameNumberedTwins()
    {
        var sqlite = MigrationRunner.Scripts(DatabaseProvider.Sqlite).Select(s => s.Name).ToList();
        var sqlServer = MigrationRunner.Scripts(DatabaseProvider.SqlServer).Select(s => s.Name).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
        Assert.All(sqlite, n => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", n));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_CreatesEveryTableAndJournalsEachScriptOnce()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        var runner = new MigrationRunner(db.Factory, NullLogger<MigrationRunner>.Instance);

        var second = await runner.MigrateAsync();

        Assert.Empty(second);
        await using var c = await db.Factory.OpenAsync();
        var tables = (await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet();
        foreach (var t in new[] { "Street", "Community", "Grid", "Building", "Unit", "Household", "Merchant", "Staff", "StaffAssignment",
                     "Camera", "WaterPoint", "Incident", "IncidentStepLog", "CameraAlert", "SensorReading", "PatrolCheckIn", "HouseholdVisit", "AppUser", "WallDevice", "ApiKey", "AuditLog", "UserSession", "SchemaMigrations" })
        {
            Assert.Contains(t, tables);
        }

        var journal = await c.QueryAsync<string>("SELECT Name FROM SchemaMigrations");
        Assert.Equal(MigrationRunner.Scripts(DatabaseProvider.Sqlite).Select(s => s.Name), journal.Order());
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void Batches_TSqlWithGoLines_SplitsOnGoOnly()
    {
        var batches = MigrationRunner.Batches("CREATE TABLE a (GOAL INT);\nGO\nSELECT 1\n  go  \nSELECT 2");

        Assert.Equal(["CREATE TABLE a (GOAL INT);", "SELECT 1", "SELECT 2"], batches);
    }

    [Fact]
    public void Constructor_UnknownProvider_NamesTheSetting()
    {
        var ex = Assert.Throws<SettingException>(() =>
            new DbConnectionFactory(new DatabaseOptions { Provider = "Oracle", ConnectionString = "x" }));

        Assert.Contains("Database:Provider", ex.Message);
    }

    [Fact]
    public void Constructor_FolderCannotBeCreated_NamesTheSetting()
    {
        var ex = Assert.Throws<SettingException>(() => new DbConnectionFactory(new DatabaseOptions
        {
            Provider = "Sqlite",
            ConnectionString = "Data Source=/proc/no-such-dir/x.db",
        }));

        Assert.Contains("Database:ConnectionString", ex.Message);
    }

    [Fact]
    public async Task MigrateAsync_UnopenableDatabase_NamesTheSetting()
    {
        var folder = Directory.CreateTempSubdirectory("cc-unopenable").FullName;
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions
            {
                Provider = "Sqlite",
                ConnectionString = $"Data Source={folder}",
            });

            var ex = await Assert.ThrowsAsync<SettingException>(() =>
                new MigrationRunner(factory, NullLogger<MigrationRunner>.Instance).MigrateAsync());

            Assert.Contains("Database:ConnectionString", ex.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

}
