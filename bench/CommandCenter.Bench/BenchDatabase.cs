using Microsoft.Data.Sqlite;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>SQLite files for the load benchmarks: the app's own migrated and seeded database, copied and prepared by the bench.</summary>
internal static class BenchDatabase
{
    /// <summary>The rate limits of the app's HTTP API, raised so a load benchmark measures the app, not the limiter (1,200 / 2,400 a minute by default).</summary>
    public static readonly string[] RaisedRateLimits = ["--Security:PerKeyPerMinute=1000000", "--Security:PerAddressPerMinute=1000000"];

    /// <summary>
    /// Starts the app once on an empty database (it migrates, seeds the demo street and the demo key), stops it, and copies
    /// its database into <paramref name="folder"/> as one self-contained file. Returns that file.
    /// </summary>
    public static async Task<string> BuildTemplateAsync(Options options, string folder, string tag)
    {
        Console.Error.WriteLine(I($"[{tag}] starting the app once to migrate and seed the demo database..."));
        await using var app = AppProcess.Start(options.AppDll, tempPrefix: "cc-bench-" + tag + "-seed-");
        var ready = await app.WaitReadyAsync(TimeSpan.FromSeconds(options.ReadyTimeoutSeconds));
        var stop = await app.StopAsync();
        Console.Error.WriteLine(I($"[{tag}] seeded and ready after {ready.TotalSeconds:0.0} s; {stop}"));
        var template = Path.Combine(folder, "template.db");
        Copy(app.DatabaseFile, template);
        return template;
    }

    /// <summary>A consistent copy of a SQLite database (its WAL included) into one file, with SQLite's backup API.</summary>
    public static void Copy(string source, string destination)
    {
        using (var from = new SqliteConnection(ConnectionString(source)))
        using (var to = new SqliteConnection(ConnectionString(destination)))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }

        // The copy must be complete in the main file: the app's process gets only that file (and a -wal beside it, if any).
        using var c = Open(destination, wal: false);
        Execute(c, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>
    /// A connection set up as the app sets up its own (DbConnectionFactory: foreign_keys on, busy_timeout 10 s, synchronous NORMAL;
    /// MigrationRunner: WAL), without pooling, so the file is closed once the connection is disposed.
    /// </summary>
    public static SqliteConnection Open(string file, bool wal = true)
    {
        var c = new SqliteConnection(ConnectionString(file));
        c.Open();
        Execute(c, (wal ? "PRAGMA journal_mode = WAL; " : "") + "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;");
        return c;
    }

    public static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Removes a database file and its -wal / -shm files (best effort).</summary>
    public static void Delete(string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { file, file + "-wal", file + "-shm" })
        {
            try
            {
                File.Delete(f);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Deletes a temp folder unless CC_BENCH_KEEP_TEMP=1 (best effort).</summary>
    public static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("CC_BENCH_KEEP_TEMP") == "1")
        {
            Console.Error.WriteLine($"Kept {folder} (CC_BENCH_KEEP_TEMP=1)");
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string ConnectionString(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
}
