using System.Data.Common;

namespace CommandCenter.Data.Infrastructure;

/// <summary>
/// Work that must commit with the next write of this async flow, whatever handler makes it: the stored answer of an
/// <c>Idempotency-Key</c> request is written in the same transaction as the action it answers, without the handlers
/// knowing. <see cref="DbConnectionFactory.WriteAsync{T}"/> runs the enlisted work once, just before its commit.
/// </summary>
public sealed class WriteEnlistment
{
    private static readonly AsyncLocal<WriteEnlistment?> Current = new();
    private readonly Func<DbConnection, DbTransaction, CancellationToken, Task> _work;

    private WriteEnlistment(Func<DbConnection, DbTransaction, CancellationToken, Task> work) => _work = work;

    /// <summary>
    /// Whether the work ran in the transaction of this flow's write. On SQLite it is set back to false when that write
    /// was rolled back (its own failure, or a batch that did not commit); on SQL Server a failed commit leaves it true.
    /// </summary>
    public bool Ran { get; internal set; }

    /// <summary>Enlists <paramref name="work"/> for the next write of this flow; dispose to withdraw it.</summary>
    public static Scope Enlist(Func<DbConnection, DbTransaction, CancellationToken, Task> work, out WriteEnlistment enlistment)
    {
        ArgumentNullException.ThrowIfNull(work);
        enlistment = new WriteEnlistment(work);
        var previous = Current.Value;
        Current.Value = enlistment;
        return new Scope(previous);
    }

    internal static Task RunAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => RunAsync(Current.Value, connection, tx, ct);

    /// <summary>This flow's enlisted work not yet run, for a writer that runs it on another flow (SQLite's write queue).</summary>
    internal static WriteEnlistment? TakeCurrent() => Current.Value is { Ran: false } e ? e : null;

    /// <summary>Runs <paramref name="enlisted"/> in this transaction, once.</summary>
    /// <returns>Whether it ran here.</returns>
    internal static async Task<bool> RunAsync(WriteEnlistment? enlisted, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (enlisted is not { Ran: false } e)
        {
            return false;
        }

        e.Ran = true;
        await e._work(connection, tx, ct).ConfigureAwait(false);
        return true;
    }

    public readonly struct Scope(WriteEnlistment? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
