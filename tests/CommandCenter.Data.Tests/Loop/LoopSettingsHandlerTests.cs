using CommandCenter.Data.Departments;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Data.Tests.Loop;

public sealed class LoopSettingsHandlerTests : LoopFieldFixture
{
    private AddDepartmentHandler AddHandler => new(Db.Factory, Time);
    private EditDepartmentHandler EditHandler => new(Db.Factory, Time);
    private SetDepartmentActiveHandler ActiveHandler => new(Db.Factory, Time);
    private DepartmentQueries Departments => new(Db.Factory);

    [Fact]
    public async Task AddEditDeactivate_Department_EachAuditedWithItsChange()
    {
        var added = await AddHandler.HandleAsync(new DepartmentBody { Code = "greening", NameEn = "Greening", NameZh = "绿化办", SortOrder = 80 }, Admin);
        var edited = await EditHandler.HandleAsync(added.Id, new DepartmentBody { NameEn = "Parks & greening", NameZh = "园林绿化办", SortOrder = 85 }, Admin);
        var off = await ActiveHandler.HandleAsync(added.Id, false, Admin);

        Assert.Equal(("greening", "Parks & greening", "园林绿化办", 85, false), (off!.Code, off.NameEn, off.NameZh, off.SortOrder, off.Active));
        Assert.Equal(off, await Departments.FindAsync(added.Id));
        Assert.DoesNotContain(await Departments.ListAsync(activeOnly: true), d => d.Id == added.Id);
        Assert.Equal(edited!.NameZh, (await Departments.FindAsync(added.Id))!.NameZh);
        await using var c = await Db.Factory.OpenAsync();
        var audit = (await Dapper.SqlMapper.QueryAsync<(string Action, string ActorName, string Details)>(c,
            "SELECT Action, ActorName, Details FROM AuditLog WHERE EntityType = 'department' AND EntityId = @Id ORDER BY Id", new { Id = added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        Assert.Equal(["department.added", "department.edited", "department.deactivated"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("admin", a.ActorName));
        Assert.Contains("\"SortOrder\":85", audit[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Department_BadInput_NamesTheField_CodeTaken_409()
    {
        var bad = await Assert.ThrowsAsync<InputValidationException>(() => AddHandler.HandleAsync(new DepartmentBody { Code = "Bad Code", NameEn = "", NameZh = "x" }, Admin));
        Assert.Contains("code", bad.Errors.Keys);
        Assert.Contains("nameEn", bad.Errors.Keys);

        var taken = await Assert.ThrowsAsync<ConflictException>(() => AddHandler.HandleAsync(new DepartmentBody { Code = "police", NameEn = "Police", NameZh = "派出所" }, Admin));
        Assert.Equal(409, taken.Status);
        var renamed = await Assert.ThrowsAsync<InputValidationException>(() => EditHandler.HandleAsync(2, new DepartmentBody { Code = "x", NameEn = "a", NameZh = "b" }, Admin));
        Assert.Contains("code", renamed.Errors.Keys);
        Assert.Null(await EditHandler.HandleAsync(999, new DepartmentBody { NameEn = "a", NameZh = "b" }, Admin));
    }

    [Fact]
    public async Task Deactivate_TheCenterOrADepartmentHoldingOpenIncidents_409_NothingChanged()
    {
        var center = (await Departments.ListAsync()).Single(d => d.Code == "center");
        var police = (await Departments.ListAsync()).Single(d => d.Code == "police");
        await Assert.ThrowsAsync<ConflictException>(() => ActiveHandler.HandleAsync(center.Id, false, Admin));

        // Escalate twice to the large cycle, to the police station.
        var id = await ReportAsync();
        var system = LoopActor.System("tests");
        await Actions.HandleAsync(id, new EscalateCommand(IncidentStep.Reported, "beyond the grid"), system, null);
        await Actions.HandleAsync(id, new EscalateCommand(IncidentStep.Reported, "beyond the community", police.Id), system, null);

        var ex = await Assert.ThrowsAsync<ConflictException>(() => ActiveHandler.HandleAsync(police.Id, false, Admin));
        Assert.Contains("1 open", ex.Errors["id"][0], StringComparison.Ordinal);
        Assert.True((await Departments.FindAsync(police.Id))!.Active);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'department.deactivated'"));
    }

    [Fact]
    public async Task SetDeadline_Audited_AndTheNextDispatchUsesIt()
    {
        var id = await ReportAsync(category: "sanitation"); // default 24 h in the micro cycle
        await Settings.GetAsync(); // cached before the change: the handler must clear it
        var handler = new SetDeadlineHandler(Db.Factory, Time, Settings);

        var row = await handler.HandleAsync(new DeadlineBody { Category = "sanitation", Cycle = "micro", Hours = 6 }, Admin);

        Assert.Equal(new DeadlineSettingRow("sanitation", IncidentCycle.Micro, 6, false), row);
        Assert.Contains(new DeadlineSettingRow("sanitation", IncidentCycle.Micro, 6, false), await new DeadlineQueries(Db.Factory).ListAsync());
        var system = LoopActor.System("tests");
        await Actions.HandleAsync(id, new VerifyCommand(IncidentStep.Reported), system, null);
        var dispatched = await Actions.HandleAsync(id, new DispatchCommand(IncidentStep.Verified), system, null);
        Assert.Equal(Now.AddHours(6), dispatched!.Transition.After.DueAt);
        var audit = await ScalarAsync<string>("SELECT Details FROM AuditLog WHERE Action = 'deadline.set'");
        Assert.Contains("\"hours\":6", audit, StringComparison.Ordinal);
        Assert.Contains("\"previous\":24", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetDeadline_OutOfRange_NamesTheField()
    {
        var handler = new SetDeadlineHandler(Db.Factory, Time, Settings);

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => handler.HandleAsync(new DeadlineBody { Category = "nope", Cycle = "huge", Hours = 0 }, Admin));

        Assert.Equal(["category", "cycle", "hours"], ex.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'deadline.set'"));
    }
}
