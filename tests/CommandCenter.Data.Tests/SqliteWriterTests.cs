using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Readings;
using Dapper;

namespace CommandCenter.Data.Tests;

/// <summary>
/// SQLite's write queue behind <see cref="DbConnectionFactory.WriteAsync{T}"/>: writes that wait share one transaction,
/// each under its own savepoint; one that fails is rolled back alone with what it enlisted; a caller is answered only
/// after the commit; a caller that gives up before its turn writes nothing.
/// </summary>
public sealed class SqliteWriterTests : ReadingWriteFixture
{
    /// <summary>A write that holds the loop (running, in its own transaction) until the gate opens: what is written next waits.</summary>
    private async Task<(TaskCompletionSource Gate, Task<long> Holding)> HoldTheWriterAsync(int minute)
    {
        var gate = new TaskCompletionSource();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = Db.Factory.WriteAsync(async (c, tx) => { running.SetResult(); await gate.Task; return await InsertAsync(c, tx, minute); });
        await running.Task;
        return (gate, holding);
    }

    [Fact]
    public async Task WaitingWrites_ShareOneTransaction_AFailingOneIsRolledBackAlone()
    {
        var before = Db.Factory.WritesCommitted;
        var (gate, first) = await HoldTheWriterAsync(100);
        var good = Enumerable.Range(1, 40).Select(i => Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, i))).ToList();
        var bad = Db.Factory.WriteAsync<long>(async (c, tx) =>
        {
            await InsertAsync(c, tx, 41); // written, then rolled back to its savepoint
            throw new InvalidOperationException("boom");
        });
        var last = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 42));
        gate.SetResult();

        await first;
        var ids = await Task.WhenAll(good);
        await last;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("boom", ex.Message);
        Assert.Equal(40, ids.Distinct().Count());
        Assert.Equal(42, await CountAsync());
        Assert.Equal(0, await CountAsync(41));
        var after = Db.Factory.WritesCommitted;
        // The holding write in its own transaction, then the 42 that waited (the failed one counted) in one more.
        Assert.Equal(43, after.Writes - before.Writes);
        Assert.Equal(2, after.Transactions - before.Transactions);
    }

    [Fact]
    public async Task WhatWritesDoOnceCommitted_RunsInTheOrderTheyWereWritten_BeforeTheirCallersResume()
    {
        var (gate, holding) = await HoldTheWriterAsync(50);
        var order = new List<int>();
        var writes = Enumerable.Range(1, 30).Select(i => Db.Factory.WriteAsync(
            (c, tx) => InsertAsync(c, tx, i),
            _ => { lock (order) order.Add(i); })).ToList();
        var failing = Db.Factory.WriteAsync<long>((_, _) => throw new InvalidOperationException("refused"), _ => { lock (order) order.Add(-1); });

        gate.SetResult();
        await holding;
        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);

        Assert.Equal(Enumerable.Range(1, 30), order); // in order, and nothing for the write that failed
    }

    [Fact]
    public async Task AWrite_IsAnsweredOnlyAfterItsCommit()
    {
        var id = await Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 5));

        // Another connection sees it as soon as the caller is answered.
        await using var c = await Db.Factory.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading WHERE Id = @id", new { id }));
    }

    [Fact]
    public async Task EnlistedWork_CommitsWithTheCallersWrite_AndIsRolledBackWithIt()
    {
        var (gate, holding) = await HoldTheWriterAsync(50);

        Task<long> kept;
        Task<long> failed;
        WriteEnlistment keptEnlistment;
        WriteEnlistment failedEnlistment;
        using (WriteEnlistment.Enlist((c, tx, _) => InsertAsync(c, tx, 60), out keptEnlistment))
        {
            kept = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 61));
        }

        using (WriteEnlistment.Enlist((c, tx, _) => InsertAsync(c, tx, 70), out failedEnlistment))
        {
            failed = Db.Factory.WriteAsync<long>((_, _) => throw new InvalidOperationException("refused"));
        }

        // A write of another flow, in the same transaction, runs nobody's enlisted work.
        var other = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 80));
        gate.SetResult();
        await holding;
        await kept;
        await other;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);

        Assert.True(keptEnlistment.Ran);
        Assert.False(failedEnlistment.Ran);
        Assert.Equal(1, await CountAsync(60));
        Assert.Equal(1, await CountAsync(61));
        Assert.Equal(0, await CountAsync(70));
        Assert.Equal(4, await CountAsync());
    }

    [Fact]
    public async Task TwoWritesOfOneFlow_RunTheEnlistedWorkOnce_AndTheOnesFailureDoesNotUndoTheOther()
    {
        var (gate, holding) = await HoldTheWriterAsync(50);

        Task<long> first;
        Task<long> second;
        WriteEnlistment enlistment;
        using (WriteEnlistment.Enlist((c, tx, _) => InsertAsync(c, tx, 90), out enlistment))
        {
            first = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 91));
            second = Db.Factory.WriteAsync<long>((_, _) => throw new InvalidOperationException("refused"));
        }

        gate.SetResult();
        await holding;
        await first;
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);

        Assert.True(enlistment.Ran); // ran and committed with the first write
        Assert.Equal(1, await CountAsync(90));
        Assert.Equal(1, await CountAsync(91));
    }

    [Fact]
    public async Task ACallerThatGivesUpBeforeItsTurn_WritesNothing()
    {
        var (gate, holding) = await HoldTheWriterAsync(8);
        using var cts = new CancellationTokenSource();
        var given = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 9), cts.Token);

        await cts.CancelAsync();
        gate.SetResult();
        await holding;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => given);
        Assert.Equal(0, await CountAsync(9));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Dispose_FinishesTheWaitingWrites_ThenRefusesNewOnes()
    {
        var (gate, holding) = await HoldTheWriterAsync(1);
        var waiting = Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 2));

        var disposing = Db.Factory.DisposeAsync().AsTask();
        gate.SetResult();
        await disposing;

        await holding;
        await waiting;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Db.Factory.WriteAsync((c, tx) => InsertAsync(c, tx, 3)));
        Assert.Equal(2, await CountAsync());
    }
}
