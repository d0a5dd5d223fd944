using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;

namespace CommandCenter.Data.Tests.Loop;

/// <summary>
/// The report is the timeline's first row: who reported is recorded there as every later action records it — the actor
/// kind and id, the account, and the staff member when a staff member reports (field API, /field).
/// </summary>
public sealed class ReportAttributionTests : LoopFieldFixture
{
    private sealed class StepRow
    {
        public long Id { get; init; }
        public int? LoopAction { get; init; }
        public string? ActorKind { get; init; }
        public string? ActorId { get; init; }
        public int? UserId { get; init; }
        public int? StaffId { get; init; }
        public int? Version { get; init; }
    }

    private async Task<IReadOnlyList<StepRow>> TimelineAsync(long incidentId)
    {
        await using var c = await Db.Factory.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<StepRow>(c,
            "SELECT Id, LoopAction, ActorKind, ActorId, UserId, StaffId, Version FROM IncidentStepLog WHERE IncidentId = @incidentId ORDER BY Id",
            new { incidentId })).ToList();
    }

    private ReportIncidentHandler Reports() => new(Db.Factory, Sink, Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ReportIncidentHandler>.Instance);

    private static ReportIncident Report(string title) => new()
    {
        Category = "sanitation", GridId = 1, Source = "GridPatrol", ReporterName = "王五", Title = title,
    };

    [Fact]
    public async Task StaffReport_FirstTimelineRow_CarriesTheStaffIdAndKind_LikeTheLaterActions()
    {
        await Staff.LinkUserAsync(Admin, 3, 1);
        var wang = new Actor(ActorKind.User, "3", "wang");
        var member = (await Staff.StaffOfAsync(wang))!;

        var accepted = await Reports().HandleAsync(Report("Bins overflowing"), wang, member.StaffId);
        await Handlers.AdvanceIncidentAsync(accepted.Id);
        await Handlers.AdvanceIncidentAsync(accepted.Id);
        await Actions.HandleAsync(accepted.Id, new AcceptCommand(IncidentStep.Dispatched, null), StaffAccountServiceFieldActor(wang, member), null);

        var rows = await TimelineAsync(accepted.Id);
        var reported = rows[0];
        Assert.Null(reported.LoopAction);
        Assert.Equal(1, reported.StaffId);
        Assert.Equal("Staff", reported.ActorKind);
        Assert.Equal("3", reported.ActorId);
        Assert.Equal(3, reported.UserId);
        Assert.Equal(1, reported.Version);
        var accept = rows[^1];
        Assert.Equal((reported.StaffId, reported.ActorKind, reported.ActorId), (accept.StaffId, accept.ActorKind, accept.ActorId));
        // The live event of the report carries that row's id as its sequence.
        var published = Sink.Events.OfType<CommandCenter.Domain.Live.IncidentEvent>().First(e => e.Id == accepted.Id);
        Assert.Equal(reported.Id, published.Sequence);
    }

    [Fact]
    public async Task PersonalTokenReport_NamesTheStaff_AndTheKey()
    {
        var (token, _) = await Staff.CreateTokenAsync(Admin, 1, "phone");
        var keyActor = new Actor(ActorKind.ApiKey, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "key:phone");

        var accepted = await Reports().HandleAsync(Report("Broken lamp"), keyActor, 1);

        var reported = Assert.Single(await TimelineAsync(accepted.Id));
        Assert.Equal(("Staff", token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (int?)null, (int?)1),
            (reported.ActorKind, reported.ActorId, reported.UserId, reported.StaffId));
    }

    [Fact]
    public async Task ReportWithoutStaff_RecordsTheCallerKind_AndNoStaff()
    {
        var byOperator = await Reports().HandleAsync(Report("Walk-in complaint"), Operator);
        var bySystem = await Reports().HandleAsync(Report("Simulated"), Actor.System("simulator"));

        var op = Assert.Single(await TimelineAsync(byOperator.Id));
        Assert.Equal(("User", "2", (int?)2, (int?)null), (op.ActorKind, op.ActorId, op.UserId, op.StaffId));
        var sys = Assert.Single(await TimelineAsync(bySystem.Id));
        Assert.Equal(("System", "simulator", (int?)null, (int?)null), (sys.ActorKind, sys.ActorId, sys.UserId, sys.StaffId));
    }

    private static LoopActor StaffAccountServiceFieldActor(Actor actor, Data.Field.FieldStaff staff) => Data.Field.StaffAccountService.FieldActor(actor, staff);
}
