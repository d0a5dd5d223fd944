using System.Data.Common;
using System.Threading.Channels;
using CommandCenter.Data.Infrastructure;

namespace CommandCenter.Data.Ingestion;

/// <summary>Sizes of the ingestion write queue (<c>Ingestion:*</c>).</summary>
public sealed class GroupCommitOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>How many readings may wait for a commit before HTTP is answered 503 and MQTT stops reading.</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>At most this many readings are written in one transaction.</summary>
    public int MaxBatch { get; set; } = 2_000;

    /// <summary>What a refused HTTP client is told to wait (Retry-After), in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    public void Validate()
    {
        if (QueueCapacity < 1) throw new SettingException("Setting 'Ingestion:QueueCapacity' must be at least 1.");
        if (MaxBatch < 1) throw new SettingException("Setting 'Ingestion:MaxBatch' must be at least 1.");
        if (RetryAfterSeconds < 1) throw new SettingException("Setting 'Ingestion:RetryAfterSeconds' must be at least 1.");
    }
}

/// <summary>The write queue is full: the caller should come back after <see cref="RetryAfter"/>.</summary>
public sealed class OverloadedException(TimeSpan retryAfter)
    : Exception($"The ingestion queue is full; retry after {retryAfter.TotalSeconds:0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Group commit: writers (HTTP batches, MQTT messages) hand their work to one queue; a single loop takes what is
/// waiting — up to <see cref="GroupCommitOptions.MaxBatch"/> weight — runs every item in one transaction, each under
/// its own savepoint (an item that fails is rolled back alone and told why), commits once, then completes every
/// caller. A caller's task completes only after the commit, so an answer (HTTP 2xx, MQTT PUBACK) given after it means
/// the rows are durable. The queue is bounded by weight (readings): <see cref="TryReserve"/> refuses when full,
/// <see cref="WaitForRoomAsync"/> waits for room (back-pressure).
/// </summary>
public sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly DbConnectionFactory _db;
    private readonly GroupCommitOptions _options;
    private readonly Channel<IWorkItem> _channel = Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<(int Weight, TaskCompletionSource Tcs)> _waiters = new();
    private readonly Lock _lock = new();
    private readonly Task _loop;
    private IWorkItem? _carried;
    private long _pending;
    private long _batches;
    private long _items;

    public GroupCommitWriter(DbConnectionFactory db, GroupCommitOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _db = db;
        _options = options;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Weight (readings) admitted and not yet committed.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public int Capacity => _options.QueueCapacity;

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(_options.RetryAfterSeconds);

    /// <summary>Transactions committed and items written, since start.</summary>
    public (long Batches, long Items) Committed => (Interlocked.Read(ref _batches), Interlocked.Read(ref _items));

    /// <summary>Admits <paramref name="weight"/> if there is room and nobody waits before it (an item larger than the whole queue is admitted alone into an empty one).</summary>
    public bool TryReserve(int weight)
    {
        lock (_lock)
        {
            if (_waiters.Count > 0 || !Fits(weight)) return false;
            _pending += weight;
            return true;
        }
    }

    /// <summary>Admits <paramref name="weight"/>, waiting (first come, first served) while the queue is full.</summary>
    public Task WaitForRoomAsync(int weight)
    {
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(weight))
            {
                _pending += weight;
                return Task.CompletedTask;
            }

            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((weight, tcs));
            return tcs.Task;
        }
    }

    private bool Fits(int weight) => _pending == 0 || _pending + weight <= _options.QueueCapacity;

    /// <summary>Refuses with <see cref="OverloadedException"/> when the queue is full; else writes as <see cref="WriteReservedAsync{T}"/>.</summary>
    public Task<T> WriteOrRefuseAsync<T>(int weight, Func<DbConnection, DbTransaction, Task<T>> work)
    {
        if (!TryReserve(weight)) throw new OverloadedException(RetryAfter);
        return WriteReservedAsync(weight, work);
    }

    /// <summary>Waits for room, then writes as <see cref="WriteReservedAsync{T}"/>.</summary>
    /// <remarks>A caller waiting for room is not cancelled by <paramref name="ct"/> (its place in line would be lost to nobody's gain).</remarks>
    public async Task<T> WriteAsync<T>(int weight, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        _ = ct;
        await WaitForRoomAsync(weight).ConfigureAwait(false);
        return await WriteReservedAsync(weight, work).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues <paramref name="work"/> whose <paramref name="weight"/> was reserved already; completes after the
    /// transaction that ran it committed. Once queued, the work is not cancelled (it may be in a transaction already).
    /// </summary>
    public Task<T> WriteReservedAsync<T>(int weight, Func<DbConnection, DbTransaction, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new WorkItem<T>(weight, work);
        if (!_channel.Writer.TryWrite(item))
        {
            Release(weight);
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }

        return item.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<IWorkItem>();
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false) || _carried is not null)
        {
            batch.Clear();
            var weight = 0;
            if (_carried is not null)
            {
                batch.Add(_carried);
                weight = _carried.Weight;
                _carried = null;
            }

            while (weight < _options.MaxBatch && _channel.Reader.TryRead(out var next))
            {
                if (batch.Count > 0 && weight + next.Weight > _options.MaxBatch)
                {
                    _carried = next;
                    break;
                }

                batch.Add(next);
                weight += next.Weight;
            }

            if (batch.Count == 0) continue;
            await CommitAsync(batch).ConfigureAwait(false);
            Release(weight);
        }
    }

    private async Task CommitAsync(List<IWorkItem> batch)
    {
        try
        {
            await _db.WriteAsync(async (c, tx) =>
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var item = batch[i];
                    var savepoint = "gc" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await tx.SaveAsync(savepoint).ConfigureAwait(false);
                    if (await item.RunAsync(c, tx).ConfigureAwait(false))
                    {
                        if (_db.IsSqlite) await tx.ReleaseAsync(savepoint).ConfigureAwait(false);
                    }
                    else
                    {
                        await tx.RollbackAsync(savepoint).ConfigureAwait(false);
                        if (_db.IsSqlite) await tx.ReleaseAsync(savepoint).ConfigureAwait(false);
                    }
                }

                return 0;
            }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The commit (or the transaction) failed: nothing of the batch is stored; every caller is told.
            foreach (var item in batch) item.Fail(ex);
            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, batch.Count);
        foreach (var item in batch) item.Complete();
    }

    /// <summary>Gives back a reservation (<see cref="TryReserve"/>, <see cref="WaitForRoomAsync"/>) not followed by a write.</summary>
    public void Release(int weight)
    {
        List<TaskCompletionSource>? admitted = null;
        lock (_lock)
        {
            _pending -= weight;
            while (_waiters.Count > 0 && Fits(_waiters.Peek().Weight))
            {
                var (w, tcs) = _waiters.Dequeue();
                _pending += w;
                (admitted ??= []).Add(tcs);
            }
        }

        if (admitted is not null)
        {
            foreach (var tcs in admitted) tcs.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private interface IWorkItem
    {
        int Weight { get; }

        /// <summary>Runs the work; false when it threw (its error is kept and given to the caller, the rest go on).</summary>
        Task<bool> RunAsync(DbConnection c, DbTransaction tx);

        void Complete();

        void Fail(Exception ex);
    }

    private sealed class WorkItem<T>(int weight, Func<DbConnection, DbTransaction, Task<T>> work) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private Exception? _error;

        public int Weight => weight;

        public Task<T> Task => _tcs.Task;

        public async Task<bool> RunAsync(DbConnection c, DbTransaction tx)
        {
            try
            {
                _result = await work(c, tx).ConfigureAwait(false);
                _error = null;
                return true;
            }
#pragma warning disable CA1031 // the item's own failure is handed to its caller; the batch goes on
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = ex;
                return false;
            }
        }

        public void Complete()
        {
            if (_error is not null) _tcs.TrySetException(_error);
            else _tcs.TrySetResult(_result);
        }

        public void Fail(Exception ex) => _tcs.TrySetException(ex);
    }
}
