using CommandCenter.Data.Field;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Data.Tests.Loop;

public sealed class IdempotencyStoreTests : LoopFieldFixture
{
    private static readonly LoopActor System = LoopActor.System("tests");

    [Fact]
    public async Task Enlisted_RecordCommitsWithTheAction_AndKeepsTheAnswer()
    {
        var id = await ReportAsync();
        WriteEnlistment enlistment;
        using (Idempotency.Enlist("ApiKey:7", "k-1", "HASH1", out enlistment))
        {
            await Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported), System, 1);
        }

        Assert.True(enlistment.Ran);
        var pending = await Idempotency.FindAsync("ApiKey:7", "k-1");
        Assert.NotNull(pending);
        Assert.Equal("HASH1", pending.RequestHash);
        Assert.Null(pending.StatusCode);

        await Idempotency.CompleteAsync("ApiKey:7", "k-1", 200, "{\"step\":\"Verified\"}", null);

        var done = await Idempotency.FindAsync("ApiKey:7", "k-1");
        Assert.Equal(200, done!.StatusCode);
        Assert.Equal("{\"step\":\"Verified\"}", done.Body);
        Assert.Null(await Idempotency.FindAsync("ApiKey:8", "k-1")); // keys are per caller
    }

    [Fact]
    public async Task Enlisted_ActionRefused_StoresNothing()
    {
        var id = await ReportAsync();
        WriteEnlistment enlistment;
        using (Idempotency.Enlist("ApiKey:7", "k-2", "HASH", out enlistment))
        {
            await Assert.ThrowsAsync<ConflictException>(() => Actions.HandleAsync(id, new AcceptCommand(IncidentStep.Reported), System, 1));
        }

        Assert.False(enlistment.Ran);
        Assert.Null(await Idempotency.FindAsync("ApiKey:7", "k-2"));
    }

    [Fact]
    public async Task SameKeyTwice_SecondActionRollsBack_NothingHappensTwice()
    {
        var first = await ReportAsync();
        var second = await ReportAsync();
        using (Idempotency.Enlist("ApiKey:7", "same", "HASH", out _))
        {
            await Actions.HandleAsync(first, new VerifyCommand(IncidentStep.Reported), System, 1);
        }

        var events = Sink.Events.Count;
        using (Idempotency.Enlist("ApiKey:7", "same", "HASH", out _))
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Actions.HandleAsync(second, new VerifyCommand(IncidentStep.Reported), System, 1));
        }

        Assert.Equal((long)IncidentStep.Reported, await ScalarAsync<long>("SELECT Step FROM Incident WHERE Id = @Id", new { Id = second }));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @Id", new { Id = second }));
        Assert.Equal(events, Sink.Events.Count); // nothing published for the rolled-back action
    }

    [Fact]
    public async Task Expired_IsNotFound_AndIsDeletedOnALaterWrite()
    {
        var id = await ReportAsync();
        using (Idempotency.Enlist("ApiKey:7", "old", "HASH", out _))
        {
            await Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported), System, 1);
        }

        Time.Advance(IdempotencyStore.Lifetime + TimeSpan.FromMinutes(1));
        Assert.Null(await Idempotency.FindAsync("ApiKey:7", "old"));

        using (Idempotency.Enlist("ApiKey:7", "new", "HASH", out _))
        {
            await Actions.HandleAsync(id, new DispatchCommand(IncidentStep.Verified), System, 2);
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM IdempotencyRecord WHERE IdemKey = 'old'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM IdempotencyRecord WHERE IdemKey = 'new'"));
    }
}
