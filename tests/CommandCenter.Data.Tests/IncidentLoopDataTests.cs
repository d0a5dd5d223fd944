using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using CommandCenter.Tests.Shared;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CommandCenter.Data.Tests;

/// <summary>The loop's handler, queue and view over a real SQLite database.</summary>
public sealed class IncidentLoopDataTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingSink _sink = new();
    private SqliteDatabase _db = null!;
    private TestHandlers _h = null!;
    private BoardClock _clock = null!;

    private static readonly LoopActor Operator = new(new Actor(ActorKind.User, "1", "op"), new LoopCaller(LoopRole.Operator));

    public async Task InitializeAsync()
    {
        _db = await SqliteDatabase.CreateAsync();
        await TestStreet.InsertAsync(_db.Factory);
        await _db.Factory.WriteAsync(async (c, tx) => await c.ExecuteAsync(
            "INSERT INTO AppUser (Id, UserName, DisplayName, PasswordHash, Role, SecurityStamp, CreatedAt, PasswordChangedAt) VALUES (1, 'op', 'Op', 'x', 'Operator', 's', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z')",
            transaction: tx));
        _clock = new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai"));
        _h = new TestHandlers(_db.Factory, _sink, _clock);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private async Task<long> ReportAsync(int gridId = 1, string category = "sanitation", string title = "Bin", string source = "GridPatrol") =>
        (await _h.ReportIncidentAsync(new ReportIncident { Category = category, GridId = gridId, Source = source, ReporterName = "王五", Title = title })).Id;

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var c = await _db.Factory.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task Action_WritesIncidentTimelineAndAuditTogether_AndPublishesWithTheTimelineRowAsSequence()
    {
        var id = await ReportAsync();
        _time.Advance(TimeSpan.FromMinutes(5));

        var r = await _h.Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported, "ok"), Operator, 1);

        Assert.NotNull(r);
        Assert.Equal(IncidentStep.Verified, r.Transition.After.Step);
        await using var c = await _db.Factory.OpenAsync();
        var row = await c.QuerySingleAsync<(int Step, long RowVersion, int HolderKind, int HolderId)>("SELECT Step, RowVersion, HolderKind, HolderId FROM Incident WHERE Id = @id", new { id });
        Assert.Equal((2, 2L, 1, 1), row);
        var log = await c.QuerySingleAsync<(long Id, int LoopAction, int FromStep, int UserId, string ActorKind, int Version)>(
            "SELECT Id, LoopAction, FromStep, UserId, ActorKind, Version FROM IncidentStepLog WHERE IncidentId = @id AND LoopAction IS NOT NULL", new { id });
        Assert.Equal((r.TimelineId, (int)LoopAction.Verify, 1, 1, "User", 2), log);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'incident.verify' AND EntityId = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var e = Assert.IsType<IncidentEvent>(_sink.Events[^1]);
        Assert.Equal((r.TimelineId, IncidentStep.Verified, IncidentStep.Reported, LoopAction.Verify), (e.Sequence, e.Step, e.PreviousStep, e.Action));
    }

    [Fact]
    public async Task StaleVersionOrStep_Conflicts_AndWritesNothing()
    {
        var id = await ReportAsync();
        await _h.Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported), Operator, 1);
        var events = _sink.Events.Count;

        var stale = await Assert.ThrowsAsync<ConflictException>(() => _h.Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported), Operator, 1));
        var step = await Assert.ThrowsAsync<ConflictException>(() => _h.Actions.HandleAsync(id, new AcceptCommand(IncidentStep.Dispatched), Operator, 2));
        var bad = await Assert.ThrowsAsync<InputValidationException>(() => _h.Actions.HandleAsync(id, new DispatchCommand(IncidentStep.Verified, HoldingUnit.Grid(3)), Operator, 2));

        Assert.Equal((412, 409), (stale.Status, step.Status));
        Assert.Contains("unitId", bad.Errors.Keys);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM IncidentStepLog WHERE IncidentId = @id", new { id }));
        Assert.Equal(2, await CountAsync("SELECT RowVersion FROM Incident WHERE Id = @id", new { id }));
        Assert.Equal(events, _sink.Events.Count);
    }

    [Fact]
    public async Task EscalateToAnUnknownDepartment_IsRefused_TheCenterIsTheDefault()
    {
        var id = await ReportAsync();
        await _h.Actions.HandleAsync(id, new EscalateCommand(IncidentStep.Reported, "too big"), Operator, 1);
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => _h.Actions.HandleAsync(id, new EscalateCommand(IncidentStep.Reported, "x", 9999), Operator, 2));
        Assert.Equal(["departmentId"], ex.Errors.Keys);

        var r = await _h.Actions.HandleAsync(id, new EscalateCommand(IncidentStep.Reported, "street"), Operator, 2);
        var center = await CountAsync("SELECT Id FROM Department WHERE Code = 'center'");
        Assert.Equal(HoldingUnit.Department((int)center), r!.Transition.After.Holder);
        Assert.Equal(IncidentCycle.Large, r.Transition.After.Cycle);
    }

    [Fact]
    public async Task RejectAsDuplicate_LinksTheIncident_ScopedActorCannotSeeOtherCommunities()
    {
        var first = await ReportAsync();
        var second = await ReportAsync();
        var south = await ReportAsync(gridId: 3);
        await _h.Actions.HandleAsync(second, new RejectCommand(IncidentStep.Reported, RejectReason.Duplicate, first), Operator, 1);
        Assert.Equal(first, await CountAsync("SELECT DuplicateOfId FROM Incident WHERE Id = @second", new { second }));

        var north = new LoopActor(new Actor(ActorKind.User, "1", "op", CommunityId: 1), new LoopCaller(LoopRole.Operator, 1));
        Assert.Null(await _h.Actions.HandleAsync(south, new VerifyCommand(IncidentStep.Reported), north, 1));
        var ex = await Assert.ThrowsAsync<InputValidationException>(() =>
            _h.Actions.HandleAsync(first, new RejectCommand(IncidentStep.Reported, RejectReason.Duplicate, south), north, 1));
        Assert.Equal(["duplicateOfId"], ex.Errors.Keys);
    }

    [Fact]
    public async Task Queue_FiltersAndCountsPerStep()
    {
        var a = await ReportAsync(1, "sanitation", "North bin");
        var b = await ReportAsync(2, "fire", "North fire exit", "Hotline");
        var c = await ReportAsync(3, "sanitation", "Market stall");
        await _h.AdvanceIncidentAsync(a);
        _time.Advance(TimeSpan.FromHours(5)); // the fire's 4 h deadline passes

        var queue = new IncidentQueue(_db.Factory, new LoopSettingsProvider(_db.Factory, new IncidentLoopOptions(), _clock), _clock);
        async Task<QueuePage> List(IncidentQueueQuery q, int? scope = null) => await queue.ListAsync(q.Validate(), scope);

        var all = await List(new IncidentQueueQuery());
        Assert.Equal(3, all.Total);
        Assert.Equal((2, 1), (all.CountsByStep["Reported"], all.CountsByStep["Verified"]));
        Assert.Equal([c, b, a], all.Items.Select(i => i.Id));
        Assert.Equal([b], (await List(new IncidentQueueQuery { Overdue = true })).Items.Select(i => i.Id));
        Assert.Equal([b, a], (await List(new IncidentQueueQuery { CommunityId = 1 })).Items.Select(i => i.Id));
        Assert.Equal([b, a], (await List(new IncidentQueueQuery(), scope: 1)).Items.Select(i => i.Id));
        Assert.Empty((await List(new IncidentQueueQuery { CommunityId = 2 }, scope: 1)).Items);
        var reported = await List(new IncidentQueueQuery { Step = "Reported", Category = "sanitation" });
        Assert.Equal([c], reported.Items.Select(i => i.Id));
        Assert.Equal((1, 1), (reported.Total, reported.CountsByStep["Verified"]));
        Assert.Equal([b], (await List(new IncidentQueueQuery { Source = "hotline" })).Items.Select(i => i.Id));
        Assert.Equal([a], (await List(new IncidentQueueQuery { GridId = 1 })).Items.Select(i => i.Id));
        Assert.Equal([a], (await List(new IncidentQueueQuery { UnitKind = "grid", UnitId = 1, Cycle = "micro" })).Items.Select(i => i.Id));
        Assert.Equal([c], (await List(new IncidentQueueQuery { Q = "Market" })).Items.Select(i => i.Id));
        Assert.Empty((await List(new IncidentQueueQuery { Q = "%" })).Items);
        var paged = await List(new IncidentQueueQuery { PageSize = 2, Page = 2, Sort = "oldest" });
        Assert.Equal(3, paged.Total);
        Assert.Equal([c], paged.Items.Select(i => i.Id));
        Assert.Equal([b, a, c], (await List(new IncidentQueueQuery { Sort = "due" })).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task IncidentCount_FollowsEveryWrite_AndTheQueueCountsFromItEqualARecount()
    {
        var ids = new List<long>();
        string[] categories = ["sanitation", "fire", "noise"];
        string[] sources = ["GridPatrol", "Hotline", "Camera"];
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await ReportAsync(1 + (i % 3), categories[i % 3], "t" + i, sources[(i / 3) % 3]));
        }

        for (var i = 0; i < 30; i += 2)
        {
            for (var k = 0; k <= i % 6; k++) await _h.AdvanceIncidentAsync(ids[i]);
        }

        // Writes outside the handlers (an import, a fix by hand) are counted too: the triggers see every row change.
        await _db.Factory.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE Incident SET Cycle = 2, Category = 'fire' WHERE Id = @Id", new { Id = ids[3] }, tx);
            await c.ExecuteAsync("UPDATE Incident SET GridId = 2 WHERE Id = @Id", new { Id = ids[6] }, tx);
            await c.ExecuteAsync("UPDATE Incident SET Title = 'renamed' WHERE Id = @Id", new { Id = ids[9] }, tx);
            await c.ExecuteAsync("DELETE FROM IncidentStepLog WHERE IncidentId = @Id", new { Id = ids[12] }, tx);
            await c.ExecuteAsync("DELETE FROM Incident WHERE Id = @Id", new { Id = ids[12] }, tx);
            return 0;
        });

        await using (var c = await _db.Factory.OpenAsync())
        {
            var counter = (await c.QueryAsync<(long GridId, string Category, long Source, long Cycle, long Step, long N)>(
                "SELECT GridId, Category, Source, Cycle, Step, N FROM IncidentCount WHERE N <> 0 ORDER BY 1, 2, 3, 4, 5")).ToList();
            var recount = (await c.QueryAsync<(long GridId, string Category, long Source, long Cycle, long Step, long N)>(
                "SELECT GridId, Category, Source, Cycle, Step, COUNT(*) FROM Incident GROUP BY GridId, Category, Source, Cycle, Step ORDER BY 1, 2, 3, 4, 5")).ToList();
            Assert.Equal(recount, counter);
            Assert.DoesNotContain(counter, r => r.N < 0);
        }

        // Every filter the counter answers gives the counts a grouped count over the incidents gives.
        var queue = new IncidentQueue(_db.Factory, new LoopSettingsProvider(_db.Factory, new IncidentLoopOptions(), _clock), _clock);
        var queries = new IncidentQueueQuery[]
        {
            new(), new() { Step = "Reported" }, new() { Step = "open" }, new() { Category = "fire" }, new() { CommunityId = 1 }, new() { GridId = 2 },
            new() { Cycle = "small" }, new() { Source = "Hotline" }, new() { Category = "noise", GridId = 3, Source = "Camera" },
        };
        foreach (var q in queries)
        {
            foreach (var scope in new int?[] { null, 1 })
            {
                var f = q.Validate();
                Assert.NotNull(IncidentQueueSql.CountsFromCounter(f, scope));
                var page = await queue.ListAsync(f, scope);
                var args = new DynamicParameters();
                var (where, stepWhere) = IncidentQueueSql.Where(f, scope, args, sqlite: true);
                await using var c = await _db.Factory.OpenAsync();
                var expected = (await c.QueryAsync<(int Step, int Count)>(IncidentQueueSql.Counts(where), args)).ToDictionary(r => r.Step, r => r.Count);
                foreach (var step in Enum.GetValues<IncidentStep>())
                {
                    Assert.Equal(expected.GetValueOrDefault((int)step), page.CountsByStep[step.ToString()]);
                }

                Assert.Equal(await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Incident i WHERE 1 = 1" + where + stepWhere, args), page.Total);
            }
        }
    }

    [Fact]
    public async Task TextSearch_ReadsTheNewestWindow_CountsAndPagesInOnePass_ANumberMatchesAtAnyAge()
    {
        var oldClosed = await ReportAsync(title: "积水 old closed");
        for (var k = 0; k < 5; k++) await _h.AdvanceIncidentAsync(oldClosed);
        var inWindow = new List<long>();
        for (var i = 0; i < 4; i++) inWindow.Add(await ReportAsync(title: i % 2 == 0 ? "积水 " + i : "other " + i));
        await _h.AdvanceIncidentAsync(inWindow[0]);
        var queue = new IncidentQueue(_db.Factory, new LoopSettingsProvider(_db.Factory, new IncidentLoopOptions(), _clock), _clock) { TextSearchWindow = 4 };

        var page = await queue.ListAsync(new IncidentQueueQuery { Q = "积水" }.Validate(), null);

        Assert.Equal([inWindow[2], inWindow[0]], page.Items.Select(i => i.Id));
        Assert.Equal(2, page.Total);
        Assert.Equal((1, 1, 0), (page.CountsByStep["Reported"], page.CountsByStep["Verified"], page.CountsByStep["Closed"]));
        Assert.Equal(4, page.TextSearchWindow);
        var reported = await queue.ListAsync(new IncidentQueueQuery { Q = "积水", Step = "Reported", PageSize = 1, Sort = "oldest" }.Validate(), null);
        Assert.Equal([inWindow[2]], reported.Items.Select(i => i.Id));
        Assert.Equal(1, reported.Total);
        var second = await queue.ListAsync(new IncidentQueueQuery { Q = "积水", PageSize = 1, Page = 2 }.Validate(), null);
        Assert.Equal([inWindow[0]], second.Items.Select(i => i.Id));
        await using var c = await _db.Factory.OpenAsync();
        var number = await c.ExecuteScalarAsync<string>("SELECT Number FROM Incident WHERE Id = @oldClosed", new { oldClosed });
        Assert.Equal([oldClosed], (await queue.ListAsync(new IncidentQueueQuery { Q = number }.Validate(), null)).Items.Select(i => i.Id));
        Assert.Null((await queue.ListAsync(new IncidentQueueQuery().Validate(), null)).TextSearchWindow);
    }

    [Fact]
    public void QueueSql_EveryFilterAndSort_ParsesAsTSql()
    {
        var filter = new IncidentQueueQuery
        {
            Step = "3", Category = "fire", CommunityId = 1, GridId = 2, UnitKind = "grid", UnitId = 2, Cycle = "2", Overdue = true, Source = "Camera", Q = "x",
        }.Validate();
        var (where, stepWhere) = IncidentQueueSql.Where(filter, 1, new DynamicParameters(), sqlite: false);
        var counter = new IncidentQueueQuery { Category = "fire", CommunityId = 1, GridId = 2, Cycle = "2", Source = "Camera" }.Validate();
        foreach (var sql in new[] { IncidentQueueSql.Counts(where), IncidentQueueSql.CountsFromCounter(counter, 1)!, IncidentQueueSql.NewestId,
                     IncidentQueueSql.Matches(where), IncidentQueueSql.ItemsByIds("due").Replace("@Ids", "(@Ids1, @Ids2)", StringComparison.Ordinal),
                     IncidentQueueSql.Items(where + stepWhere, "newest", false),
                     IncidentQueueSql.Items(where, "oldest", false), IncidentQueueSql.Items(where + " AND i.Step < 6", "due", false) })
        {
            new TSql170Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
            Assert.True(errors.Count == 0, sql + ": " + string.Join("; ", errors.Select(e => e.Message)));
        }
    }

    [Fact]
    public async Task View_HasTimelineAllowedActionsAndVersion()
    {
        var id = await ReportAsync();
        await _h.AdvanceIncidentAsync(id);
        await _h.AdvanceIncidentAsync(id);
        var queue = new IncidentQueue(_db.Factory, new LoopSettingsProvider(_db.Factory, new IncidentLoopOptions(), _clock), _clock);

        var view = await queue.GetAsync(id, Operator.Actor, Operator.Caller);

        Assert.NotNull(view);
        Assert.Equal(("Dispatched", 3L, "Grid", 1), (view.Step, view.Version, view.UnitKind, view.UnitId));
        Assert.Equal(["accept", "escalate"], view.AllowedActions);
        Assert.Equal([null, "verify", "dispatch"], view.Timeline.Select(t => t.Action));
        Assert.Empty((await queue.GetAsync(id, Operator.Actor, LoopCaller.ReadOnly))!.AllowedActions);
        Assert.Null(await queue.GetAsync(id, new Actor(ActorKind.User, "2", "south", CommunityId: 2), Operator.Caller));
    }
}
