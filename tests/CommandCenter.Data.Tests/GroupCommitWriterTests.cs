using CommandCenter.Data.Ingestion;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Data.Tests;

/// <summary>The ingestion write queue: many callers share one transaction, each is answered after the commit, one failure stays its own, and a full queue refuses or waits.</summary>
public sealed class GroupCommitWriterTests : ReadingWriteFixture
{
    [Fact]
    public async Task ConcurrentWriters_ShareTransactions_AndAllAreStoredWhenAnswered()
    {
        await using var writer = new GroupCommitWriter(Db.Factory, new GroupCommitOptions { MaxBatch = 100 });

        var tasks = Enumerable.Range(0, 300).Select(i => writer.WriteAsync(1, (c, tx) => InsertAsync(c, tx, i))).ToList();
        var ids = await Task.WhenAll(tasks);

        Assert.Equal(300, ids.Distinct().Count());
        Assert.Equal(300, await CountAsync());
        var (batches, items) = writer.Committed;
        Assert.Equal(300, items);
        Assert.True(batches < 300, $"300 concurrent writes should share transactions, took {batches}");
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task AFailingWriter_IsRolledBackAlone_TheOthersInItsBatchAreStored()
    {
        await using var writer = new GroupCommitWriter(Db.Factory, new GroupCommitOptions());
        var gate = new TaskCompletionSource();
        // The first item holds the loop so the next three land in one batch.
        var first = writer.WriteAsync(1, async (c, tx) => { await gate.Task; return await InsertAsync(c, tx, 100); });
        var good1 = writer.WriteAsync(1, (c, tx) => InsertAsync(c, tx, 1));
        var bad = writer.WriteAsync<long>(1, async (c, tx) =>
        {
            await InsertAsync(c, tx, 2); // written, then rolled back to the savepoint
            throw new InvalidOperationException("boom");
        });
        var good2 = writer.WriteAsync(1, (c, tx) => InsertAsync(c, tx, 3));
        gate.SetResult();

        await first;
        await good1;
        await good2;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("boom", ex.Message);
        Assert.Equal(3, await CountAsync());
        await using var c = await Db.Factory.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM SensorReading WHERE MeasuredAt = @At", new { At = Now.AddMinutes(-2) }));
    }

    [Fact]
    public async Task FullQueue_RefusesWithRetryAfter_OrWaitsForRoom()
    {
        await using var writer = new GroupCommitWriter(Db.Factory, new GroupCommitOptions { QueueCapacity = 10, RetryAfterSeconds = 2 });
        var gate = new TaskCompletionSource();
        var holding = writer.WriteAsync(10, async (c, tx) => { await gate.Task; return await InsertAsync(c, tx, 1); });

        var refused = await Assert.ThrowsAsync<OverloadedException>(() => writer.WriteOrRefuseAsync(1, (c, tx) => InsertAsync(c, tx, 2)));
        Assert.Equal(TimeSpan.FromSeconds(2), refused.RetryAfter);
        var waiting = writer.WriteAsync(1, (c, tx) => InsertAsync(c, tx, 3));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(10, writer.Pending);

        gate.SetResult();
        await holding;
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, await CountAsync());
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task Handler_HttpAdmissionOnAFullQueue_IsRefusedAndStoresNothing()
    {
        await using var writer = new GroupCommitWriter(Db.Factory, new GroupCommitOptions { QueueCapacity = 5 });
        var clock = new BoardClock(new FakeTimeProvider(Now), BoardClock.FindZone("Asia/Shanghai"));
        var handler = new RecordReadingsHandler(Db.Factory, new RecordingSink(), clock, writer: writer);
        var gate = new TaskCompletionSource();
        var holding = writer.WriteAsync(5, async (c, tx) => { await gate.Task; return 0L; });

        var input = new RecordReadings { Readings = [new ReadingInput { SensorId = "WL-01", DepthCm = 3, MeasuredAt = Now.AddMinutes(-1) }] };
        await Assert.ThrowsAsync<OverloadedException>(() => handler.HandleAsync(input, Actor.SystemActor));
        var waited = handler.HandleAsync(input with { Admission = WriteAdmission.Wait }, Actor.SystemActor);
        gate.SetResult();
        await holding;

        var result = await waited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, result.Accepted);
        Assert.Equal(1, await CountAsync());
    }
}
