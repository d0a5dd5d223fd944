using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Data.Infrastructure;

/// <summary>
/// SQLite's one writer, with group commit. SQLite allows one writing transaction at a time; every
/// <see cref="DbConnectionFactory.WriteAsync{T}"/> hands its work to this queue, and a single loop takes what is
/// waiting (up to <see cref="MaxBatch"/> writes), runs each under its own savepoint in one transaction — a write that
/// fails is rolled back alone and its caller is told why, the others go on — commits once, then completes every
/// caller. A caller's task completes only after the commit, so an answer given after it means the write is durable.
/// <para>
/// Why: under a stream of API actions, a transaction per write spent more in BEGIN/COMMIT (the WAL frames of every
/// page touched, written again for each write) and in handing the lock from one waiting request to the next through
/// the thread pool than in the writes themselves.
/// </para>
/// <para>
/// The loop writes through one connection that it keeps open. In WAL mode a connection drops its whole page cache
/// whenever another connection has committed since its last transaction; pooled writers therefore started every write
/// cold. The only writer never sees another's commit, so its cache stays warm.
/// </para>
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    /// <summary>At most this many writes share one transaction (a batch is what is waiting when the loop looks).</summary>
    internal const int MaxBatch = 64;

    /// <summary>The writer's page cache in KiB (SQLite's default is 2,000 KiB per connection; there is one writer).</summary>
    private const int WriterCacheKib = 65_536;

    private const int CheckpointEveryCommits = 100;
    private const int RestartFrames = 4_000;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private readonly DbConnectionFactory _db;
    private readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private SqliteConnection? _connection;
    private int _commitsSinceCheckpoint;
    private long _lastCheckpointAt = Environment.TickCount64;
    private Task _checkpoint = Task.CompletedTask;
    private volatile bool _restartDue;
    private long _transactions;
    private long _writes;

    public SqliteWriter(DbConnectionFactory db)
    {
        _db = db;
        // The loop must not inherit the ambient state of whichever request created it (an enlisted idempotency record).
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Transactions committed and the writes in them, since start.</summary>
    public (long Transactions, long Writes) Committed => (Interlocked.Read(ref _transactions), Interlocked.Read(ref _writes));

    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, Action<T>? committed, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // The work enlisted for this caller's write (an idempotency record) runs under its savepoint, after its work.
        var write = new Write<T>(work, WriteEnlistment.TakeCurrent(), committed, ct);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(DbConnectionFactory));
        }

        return write.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                // A caller that gave up before its turn is told so; nothing of it runs.
                if (next.CancelledBeforeStart()) continue;
                batch.Add(next);
            }

            if (batch.Count == 0) continue;
            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the loop must outlive any failure: a stopped loop would leave every later caller waiting
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var w in batch) w.Fail(ex); // no-op for the callers already answered
            }
        }
    }

    private async Task CommitAsync(List<IWrite> batch)
    {
        // A failure to open the connection reaches the loop, which tells every caller of the batch.
        var connection = await ConnectionAsync().ConfigureAwait(false);
        try
        {
            await using (var tx = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var savepoint = "w" + i.ToString(CultureInfo.InvariantCulture);
                    await tx.SaveAsync(savepoint).ConfigureAwait(false);
                    if (!await batch[i].RunAsync(connection, tx).ConfigureAwait(false))
                    {
                        await tx.RollbackAsync(savepoint).ConfigureAwait(false);
                    }

                    await tx.ReleaseAsync(savepoint).ConfigureAwait(false);
                }

                await tx.CommitAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the transaction (or its commit) failed: nothing of the batch is stored, every caller is told
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var w in batch) w.Fail(ex);
            // The connection is replaced, not reused: after a failed transaction it may be one the engine gave up on.
            await DropConnectionAsync().ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _writes, batch.Count);
        // In commit order, before any caller resumes: what the writes publish (live events) arrives in the order written.
        foreach (var w in batch) w.Committed();
        foreach (var w in batch) w.Complete();
        await CheckpointIfDueAsync(connection).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> ConnectionAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        // Not from the pool: its settings (the large cache, no auto-checkpoint) stay with it, and closing it closes it.
        var connection = (SqliteConnection)await _db.OpenAsync(pooled: false).ConfigureAwait(false);
        try
        {
            await using var cmd = connection.CreateCommand();
            // One connection, so a larger page cache is bounded: the indexes the writes touch stay in it.
            cmd.CommandText = "PRAGMA cache_size = -" + WriterCacheKib.ToString(CultureInfo.InvariantCulture) + "; PRAGMA wal_autocheckpoint = 0;";
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } old)
        {
            _connection = null;
            try
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a connection that fails to close is gone all the same; the next write opens a new one
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// The writer does not checkpoint the WAL by itself (SQLite's default: the committing connection copies the WAL back
    /// into the database, with an fsync, every 1,000 pages — inside the writers' queue, every tenth of a second under a
    /// stream of actions). A passive checkpoint on another connection copies it beside the writer instead, after
    /// <see cref="CheckpointEveryCommits"/> commits or <see cref="CheckpointEvery"/>, one at a time. It cannot finish
    /// while the writer appends, so when it reports more than <see cref="RestartFrames"/> frames the writer checkpoints
    /// the rest itself, between two transactions (little is left by then): the next write then starts the WAL again from
    /// its beginning, over pages the file already has, instead of growing it (measured: growing it zeroed new pages in
    /// the kernel, 7 % of the CPU).
    /// </summary>
    private async Task CheckpointIfDueAsync(SqliteConnection writer)
    {
        _commitsSinceCheckpoint++;
        if (_restartDue)
        {
            _restartDue = false;
            await CheckpointAsync(writer).ConfigureAwait(false);
        }

        var now = Environment.TickCount64;
        if ((_commitsSinceCheckpoint < CheckpointEveryCommits && now - _lastCheckpointAt < CheckpointEvery.TotalMilliseconds) || !_checkpoint.IsCompleted)
        {
            return;
        }

        _commitsSinceCheckpoint = 0;
        _lastCheckpointAt = now;
        _checkpoint = Task.Run(async () =>
        {
            try
            {
                await using var c = await _db.OpenAsync().ConfigureAwait(false);
                if (await CheckpointAsync(c).ConfigureAwait(false) > RestartFrames)
                {
                    _restartDue = true;
                }
            }
#pragma warning disable CA1031 // as in CheckpointAsync: the next one copies what this one did not
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        });
    }

    /// <summary>A passive checkpoint; the frames in the WAL (0 when it did not run).</summary>
    private static async Task<long> CheckpointAsync(DbConnection c)
    {
        try
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
            // One row: busy, frames in the WAL, frames copied.
            return await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt64(1) : 0;
        }
#pragma warning disable CA1031 // busy, interrupted, I/O: the next one copies what this one did not; the WAL itself is durable
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.ConfigureAwait(false);
            await _checkpoint.ConfigureAwait(false);
        }
        finally
        {
            await DropConnectionAsync().ConfigureAwait(false);
        }
    }

    private interface IWrite
    {
        /// <summary>Runs the work and its enlisted work; false when either threw (the error is kept for the caller).</summary>
        Task<bool> RunAsync(SqliteConnection c, SqliteTransaction tx);

        /// <summary>True (and the caller told) when the caller cancelled before the write started.</summary>
        bool CancelledBeforeStart();

        /// <summary>Runs the caller's after-commit step (when its work succeeded); its failure is the caller's.</summary>
        void Committed();

        void Complete();

        void Fail(Exception ex);
    }

    private sealed class Write<T>(Func<DbConnection, DbTransaction, Task<T>> work, WriteEnlistment? enlisted, Action<T>? committed, CancellationToken ct) : IWrite
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private Exception? _error;

        /// <summary>Whether this write ran the enlisted work (two writes of one flow may both carry it; one runs it).</summary>
        private bool _ranEnlisted;

        public Task<T> Task => _tcs.Task;

        public bool CancelledBeforeStart()
        {
            if (!ct.IsCancellationRequested) return false;
            _tcs.TrySetCanceled(ct);
            return true;
        }

        public async Task<bool> RunAsync(SqliteConnection c, SqliteTransaction tx)
        {
            try
            {
                _result = await work(c, tx).ConfigureAwait(false);
                _ranEnlisted = await WriteEnlistment.RunAsync(enlisted, c, tx, ct).ConfigureAwait(false);
                _error = null;
                return true;
            }
#pragma warning disable CA1031 // the write's own failure is handed to its caller; the batch goes on
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = ex;
                Unrun(); // rolled back with the work
                return false;
            }
        }

        public void Committed()
        {
            if (_error is not null || committed is null) return;
            try
            {
                committed(_result);
            }
#pragma warning disable CA1031 // handed to the caller (its write is stored all the same)
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = ex;
            }
        }

        public void Complete()
        {
            if (_error is not null) _tcs.TrySetException(_error);
            else _tcs.TrySetResult(_result);
        }

        /// <summary>The batch did not commit: nothing of this write is stored. A write that had failed by itself keeps its own error.</summary>
        public void Fail(Exception ex)
        {
            if (_tcs.Task.IsCompleted) return;
            Unrun();
            _tcs.TrySetException(_error ?? ex);
        }

        private void Unrun()
        {
            if (_ranEnlisted && enlisted is not null)
            {
                enlisted.Ran = false;
                _ranEnlisted = false;
            }
        }
    }
}
