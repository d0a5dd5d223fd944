using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Data.Infrastructure;

/// <summary>Opens connections to the configured database; on SQLite every write goes through one queue (<see cref="SqliteWriter"/>).</summary>
public sealed class DbConnectionFactory : IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly Lock _writerLock = new();

    /// <summary>SQLite: the write queue and its connection, created on the first write.</summary>
    private SqliteWriter? _writer;
    private volatile bool _disposed;

    /// <summary>The physical SQLite connections whose settings (foreign keys, busy timeout, synchronous) are applied.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Marker = new();

    public DbConnectionFactory(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.ParsedProvider;
        CommandTimeout = options.CommandTimeoutSeconds;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new SettingException("Setting 'Database:ConnectionString' is empty.");
        }

        try
        {
            _connectionString = Provider switch
            {
                DatabaseProvider.Sqlite => PrepareSqlite(options.ConnectionString, CommandTimeout),
                // Every command's default timeout comes from the connection: one setting, no per-call plumbing.
                _ => new SqlConnectionStringBuilder(options.ConnectionString) { CommandTimeout = CommandTimeout }.ConnectionString,
            };
        }
        catch (ArgumentException ex)
        {
            throw new SettingException($"Setting 'Database:ConnectionString' is not a valid {Provider} connection string: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SettingException($"Setting 'Database:ConnectionString' names a SQLite file whose folder cannot be created: {ex.Message}", ex);
        }

        SqlTypeHandlers.Register();
    }

    public DatabaseProvider Provider { get; }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>The connection string as prepared (SQLite: full file path, pooling; both: the command timeout), for Quartz's job store.</summary>
    public string ConnectionString => _connectionString;

    public int CommandTimeout { get; }

    /// <summary>The text of a statement for this engine: the one place that chooses between the two dialects' variants.</summary>
    public string Pick(string sqlite, string sqlServer) => IsSqlite ? sqlite : sqlServer;

    /// <summary>Sets an instant on a raw parameter as Dapper's handler does (fixed-width UTC text on SQLite).</summary>
    public void SetInstant(System.Data.Common.DbParameter parameter, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (IsSqlite)
        {
            parameter.DbType = System.Data.DbType.String;
            parameter.Value = SqlTypeHandlers.ToSqlite(value);
        }
        else
        {
            parameter.DbType = System.Data.DbType.DateTimeOffset;
            parameter.Value = value;
        }
    }

    /// <summary>Where the SQLite file is, for logs and docs; null for SQL Server.</summary>
    public string? SqliteFile => IsSqlite ? new SqliteConnectionStringBuilder(_connectionString).DataSource : null;

    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(pooled: true, ct);

    /// <summary>Opens a connection; SQLite's writer opens its own outside the pool (<paramref name="pooled"/> false).</summary>
    internal async Task<DbConnection> OpenAsync(bool pooled, CancellationToken ct = default)
    {
        DbConnection connection = IsSqlite
            ? new SqliteConnection(pooled ? _connectionString : new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString)
            : new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // The settings belong to the SQLite connection, which the pool keeps open: set them once per physical
            // connection, not on every open (three statements parsed and run per open were a tenth of an API action).
            if (IsSqlite && connection is SqliteConnection sqlite && sqlite.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                Configured.TryAdd(handle, Marker);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it; completes after the commit. SQLite allows one
    /// writer at a time, so its writes queue (<see cref="SqliteWriter"/>: group commit, each write under its own
    /// savepoint) instead of failing with SQLITE_BUSY. Once a write has started it is not cancelled.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) => WriteAsync(work, null, ct);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{DbConnection, DbTransaction, Task{T}}, CancellationToken)"/>, then
    /// <paramref name="committed"/> with the result once committed, before the caller resumes. On SQLite the writes of a
    /// transaction run it in the order they were written (what they publish to the live board arrives in that order).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Action<T>? committed, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsSqlite)
        {
            return await Writer().WriteAsync(work, committed, ct).ConfigureAwait(false);
        }

        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var result = await work(connection, tx).ConfigureAwait(false);
        await WriteEnlistment.RunAsync(connection, tx, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        committed?.Invoke(result);
        return result;
    }

    /// <summary>SQLite: transactions committed by the write queue and the writes in them, since start (diagnostics, tests).</summary>
    public (long Transactions, long Writes) WritesCommitted => _writer?.Committed ?? (0, 0);

    private SqliteWriter Writer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is { } w) return w;
        lock (_writerLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _writer ??= new SqliteWriter(this);
        }
    }

    /// <summary>Finishes the queued writes and closes the writer's connection (the host disposes the factory on shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        SqliteWriter? writer;
        lock (_writerLock)
        {
            if (_disposed) return;
            _disposed = true;
            writer = _writer;
        }

        if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string PrepareSqlite(string connectionString, int commandTimeout)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = commandTimeout };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }

        return builder.ConnectionString;
    }
}
