using CommandCenter.Data.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Data.Tests;

/// <summary>A real SQLite file in a temp folder, built by the real migrations. Dispose deletes it.</summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private SqliteDatabase(string folder, DbConnectionFactory factory)
    {
        Folder = folder;
        Factory = factory;
    }

    public string Folder { get; }

    public DbConnectionFactory Factory { get; }

    public static async Task<SqliteDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var factory = new DbConnectionFactory(new DatabaseOptions
        {
            Provider = "Sqlite",
            ConnectionString = $"Data Source={Path.Combine(folder, "test.db")}",
        });
        await new MigrationRunner(factory, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return new SqliteDatabase(folder, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is cleaned by the OS.
        }
    }
}
