using System.Globalization;
using System.Security.Claims;
using CommandCenter.Data.Departments;
using CommandCenter.Data.Field;
using CommandCenter.Data.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.Pages.Incidents;
using CommandCenter.Web.Security;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Web.Tests.Console;

/// <summary>A report made on /field (through the console service) is attributed to the staff member on its first timeline row.</summary>
public sealed class FieldReportAttributionTests
{
    [Fact]
    public async Task FieldReport_ByALinkedAccount_FirstTimelineRowNamesTheStaff()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        await host.Db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO Staff (Id, Name, Phone, IsPartyMember, Active) VALUES (7, '王五', '138****0001', 1, 1)", transaction: tx);
            return await c.ExecuteAsync("INSERT INTO StaffAssignment (StaffId, GridId, Role) VALUES (7, 1, 2)", transaction: tx);
        });
        var staff = new StaffAccountService(host.Db, host.Keys, host.Time, NullLogger<StaffAccountService>.Instance);
        var console = new IncidentConsoleService(
            new IncidentQueue(host.Db, new LoopSettingsProvider(host.Db, new IncidentLoopOptions(), host.Clock), host.Clock),
            host.Ingestion.Actions, host.Ingestion.Report, new DepartmentQueries(host.Db), staff);
        var member = await host.Accounts.CreateAsync(Actor.System("test"), "member", "Member", Roles.Viewer, null, "a-long-test-password-2026");
        var other = await host.Accounts.CreateAsync(Actor.System("test"), "desk", "Desk", Roles.Operator, null, "a-long-test-password-2026");
        await staff.LinkUserAsync(Actor.System("test"), member, 7);

        var byMember = await console.ReportAsync(Report("Bins in my grid"), Person(member, Roles.Viewer), ConsoleTestHost.RemoteIp);
        var byDesk = await console.ReportAsync(Report("Walk-in complaint"), Person(other, Roles.Operator), ConsoleTestHost.RemoteIp);

        await using var c = await host.Db.OpenAsync();
        var first = await c.QuerySingleAsync<(string ActorKind, int? UserId, int? StaffId)>(
            "SELECT ActorKind, UserId, StaffId FROM IncidentStepLog WHERE IncidentId = @Id", new { Id = byMember });
        Assert.Equal(("Staff", (int?)member, (int?)7), first);
        var desk = await c.QuerySingleAsync<(string ActorKind, int? UserId, int? StaffId)>(
            "SELECT ActorKind, UserId, StaffId FROM IncidentStepLog WHERE IncidentId = @Id", new { Id = byDesk });
        Assert.Equal(("User", (int?)other, (int?)null), desk);
    }

    private static ConsoleReport Report(string title) => new()
    {
        Category = "sanitation", GridId = 1, Source = "GridPatrol", ReporterName = "王五", Title = title,
    };

    private static ClaimsPrincipal Person(int id, string role) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, "person " + id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Role, role),
        new Claim(Principals.KindClaim, Principals.UserKind),
    ], "test"));
}
