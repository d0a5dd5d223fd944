using CommandCenter.Data.Incidents;
using CommandCenter.Data.Tests;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Jobs.Incidents;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Jobs.Tests;

/// <summary>The deadline job over a real database and a fake clock: escalates once per breach, catches up after downtime.</summary>
public sealed class IncidentEscalationJobTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private TestHandlers _h = null!;
    private IncidentEscalationJob _job = null!;

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        var clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        _h = new TestHandlers(_db.Factory, _sink, clock);
        _job = new IncidentEscalationJob(new OverdueEscalator(_db.Factory, _h.Actions, clock, NullLogger<OverdueEscalator>.Instance));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> ReportFireAsync(int gridId = 1) =>
        (await _h.ReportIncidentAsync(new ReportIncident { Category = "fire", GridId = gridId, Source = "Hotline", ReporterName = "王五", Title = "Blocked exit" })).Id;

    private async Task<int> RunAsync()
    {
        var before = await EscalationsAsync();
        await _job.Execute(null!, CancellationToken.None);
        return (int)(await EscalationsAsync() - before);
    }

    private async Task<long> EscalationsAsync()
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM IncidentStepLog WHERE LoopAction = @a", new { a = (int)LoopAction.Escalate });
    }

    private async Task<(int Step, int Cycle, int HolderKind, int HolderId, DateTimeOffset DueAt)> RowAsync(long id)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.QuerySingleAsync<(int, int, int, int, DateTimeOffset)>("SELECT Step, Cycle, HolderKind, HolderId, DueAt FROM Incident WHERE Id = @id", new { id });
    }

    [Fact]
    public async Task Overdue_IsEscalatedOncePerBreach_MicroSmallLarge_ThenNoFurther()
    {
        var id = await ReportFireAsync();
        await _h.AdvanceIncidentAsync(id); // verified
        await _h.AdvanceIncidentAsync(id); // dispatched: due in 4 h (fire, micro)

        _time.Advance(TimeSpan.FromHours(3.9));
        Assert.Equal(0, await RunAsync());
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await RunAsync());
        var small = await RowAsync(id);
        Assert.Equal(((int)IncidentStep.Verified, 2, (int)UnitKind.Community, 1), (small.Step, small.Cycle, small.HolderKind, small.HolderId));
        Assert.Equal(_time.GetUtcNow().AddHours(4), small.DueAt);
        Assert.Equal(0, await RunAsync()); // the same breach: never twice
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await RunAsync());

        _time.Advance(TimeSpan.FromHours(3.5)); // the small cycle's deadline passes too
        Assert.Equal(1, await RunAsync());
        Assert.Equal(3, (await RowAsync(id)).Cycle);
        _time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await RunAsync()); // the large cycle is the last

        await using var c = await _db.Factory.OpenAsync();
        var notes = (await c.QueryAsync<(string Actor, string Note)>("SELECT Actor, Note FROM IncidentStepLog WHERE LoopAction = @a ORDER BY Id", new { a = (int)LoopAction.Escalate })).ToList();
        Assert.All(notes, n => Assert.Equal("deadline-job", n.Actor));
        Assert.All(notes, n => Assert.StartsWith("Overdue: due ", n.Note, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterDowntime_OneRunCatchesUpOnEveryOverdueIncident_Once()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add(await ReportFireAsync(i % 3 + 1));
        var closed = await ReportFireAsync();
        for (var s = 0; s < 5; s++) await _h.AdvanceIncidentAsync(closed);
        var waitingForCheck = await ReportFireAsync();
        for (var s = 0; s < 4; s++) await _h.AdvanceIncidentAsync(waitingForCheck);

        _time.Advance(TimeSpan.FromDays(2)); // the job did not run for two days

        Assert.Equal(5, await RunAsync());
        Assert.All(ids, id => Assert.Equal(2, RowAsync(id).GetAwaiter().GetResult().Cycle));
        Assert.Equal(1, (await RowAsync(closed)).Cycle);
        Assert.Equal(1, (await RowAsync(waitingForCheck)).Cycle); // step 5 waits for the check, which is the verifier's
        Assert.Equal(0, await RunAsync());
        Assert.Equal(5, _sink.Events.OfType<IncidentEvent>().Count(e => e.Action == LoopAction.Escalate));
    }

    [Fact]
    public async Task AnIncidentVerifiedLate_IsEscalatedFromItsCurrentStep()
    {
        var id = await ReportFireAsync();
        _time.Advance(TimeSpan.FromHours(5));
        await _h.AdvanceIncidentAsync(id); // the operator verifies it late; still overdue (deadline unchanged)
        Assert.Equal(1, await RunAsync());
        Assert.Equal((int)IncidentStep.Verified, (await RowAsync(id)).Step);
    }
}
