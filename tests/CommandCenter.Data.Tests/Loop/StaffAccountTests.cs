using CommandCenter.Data.Field;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;

namespace CommandCenter.Data.Tests.Loop;

public sealed class StaffAccountTests : LoopFieldFixture
{
    private static readonly Actor Wang = new(ActorKind.User, "3", "wang");

    [Fact]
    public async Task LinkUser_Audited_AndTheUserActsAsFieldStaffOfTheirGrids()
    {
        await Staff.LinkUserAsync(Admin, 3, 1);

        var who = await Staff.LoopActorAsync(Wang, Roles.Viewer);

        Assert.Equal(1, who.StaffId);
        Assert.Equal(LoopRole.Field, who.Caller.Role);
        Assert.Equal([HoldingUnit.Grid(1)], who.Caller.Units);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM AuditLog WHERE Action = 'user.staff-linked' AND EntityId = '3'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT StaffId FROM AppUser WHERE Id = 3"));
    }

    [Fact]
    public async Task LinkUser_StaffTakenOrUnknown_IsRefused()
    {
        await Staff.LinkUserAsync(Admin, 3, 1);

        await Assert.ThrowsAsync<ConflictException>(() => Staff.LinkUserAsync(Admin, 2, 1));
        var inactive = await Assert.ThrowsAsync<InputValidationException>(() => Staff.LinkUserAsync(Admin, 2, 2)); // staff 2 is inactive
        Assert.Contains("staffId", inactive.Errors.Keys);
        await Assert.ThrowsAsync<InputValidationException>(() => Staff.LinkUserAsync(Admin, 99, 1));
    }

    [Fact]
    public async Task OperatorLinkedToStaff_KeepsOperatorRights_AttributedToTheStaff()
    {
        await Staff.LinkUserAsync(Admin, 2, 1);

        var who = await Staff.LoopActorAsync(Operator, Roles.Operator);

        Assert.Equal(LoopRole.Operator, who.Caller.Role);
        Assert.Equal(1, who.StaffId);
    }

    [Fact]
    public async Task PersonalToken_ShownOnce_ActsAsTheStaff_AndStopsWhenRevoked()
    {
        var (token, secret) = await Staff.CreateTokenAsync(Admin, 1, "phone");

        var key = await Keys.ValidateAsync(secret);
        Assert.Equal([Scopes.Field], key!.Scopes);
        var keyActor = new Actor(ActorKind.ApiKey, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "key:phone");
        var staff = await Staff.StaffOfAsync(keyActor);
        Assert.Equal(new FieldStaff(1, "王五", [1]).StaffId, staff!.StaffId);
        Assert.Equal([1], staff.GridIds);
        Assert.Equal(token.Id, Assert.Single(await Staff.TokensAsync(1)).Id);
        Assert.Empty(await Staff.TokensAsync(2));

        Assert.False(await Staff.RevokeTokenAsync(Admin, 2, token.Id)); // not staff 2's
        Assert.True(await Staff.RevokeTokenAsync(Admin, 1, token.Id));

        Assert.Null(await Keys.ValidateAsync(secret));
        Assert.Null(await Staff.StaffOfAsync(keyActor));
    }

    [Fact]
    public async Task FieldStaff_AcceptsAndAnswersWhatTheirGridHolds_TimelineNamesTheStaff()
    {
        var (_, secret) = await Staff.CreateTokenAsync(Admin, 1, "phone");
        var key = await Keys.ValidateAsync(secret);
        var keyActor = new Actor(ActorKind.ApiKey, key!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "key:phone");
        var who = StaffAccountService.FieldActor(keyActor, (await Staff.StaffOfAsync(keyActor))!);
        var mine = await DispatchedAsync(gridId: 1);
        var other = await DispatchedAsync(gridId: 2);

        var accepted = await Actions.HandleAsync(mine, new AcceptCommand(IncidentStep.Dispatched, "on my way"), who, null);
        await Actions.HandleAsync(mine, new FeedbackCommand(IncidentStep.Processed, "cleared", ["https://photos.example/1.jpg"]), who, null);
        var refused = await Assert.ThrowsAsync<ConflictException>(() => Actions.HandleAsync(other, new AcceptCommand(IncidentStep.Dispatched), who, null));

        Assert.Equal(IncidentStep.Processed, accepted!.Transition.After.Step);
        Assert.Equal(409, refused.Status);
        var rows = (await Dapper.SqlMapper.QueryAsync<(int? StaffId, string ActorKind)>(await Db.Factory.OpenAsync(),
            "SELECT StaffId, ActorKind FROM IncidentStepLog WHERE IncidentId = @Id AND LoopAction IN (4, 5)", new { Id = mine })).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((1, "Staff"), (r.StaffId!.Value, r.ActorKind)));
    }

    [Fact]
    public async Task HeldIncidents_AreTheOpenOnesOfMyGrids()
    {
        var mine = await DispatchedAsync(gridId: 1);
        await DispatchedAsync(gridId: 2);
        var queries = new FieldQueries(Db.Factory, Time);

        var held = await queries.HeldAsync(1);

        Assert.Equal(mine, Assert.Single(held).Id);
        Assert.Equal("Dispatched", held[0].Step);
    }
}
