using System.Net;
using CommandCenter.Data.Field;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// /field is for staff accounts (a person linked to a staff record, whatever the role) and Operators/Admins; other people
/// get the denied page. The link is read at each request (no new sign-in), so linking opens it and unlinking closes it.
/// The authorization matrix covers the fixed callers (no demo account is linked to a staff record).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FieldPagePolicyTests(CommandCenterFactory app)
{
    private async Task<(int UserId, string Cookie)> SignedInAsync(string role)
    {
        var userName = "field.policy." + role.ToLowerInvariant() + "." + Guid.NewGuid().ToString("N")[..6];
        var password = TestSecrets.Register("password of " + userName, "Field-Policy-" + userName.Length + "-2026x");
        var id = await app.Services.GetRequiredService<AccountService>().CreateAsync(Callers.TestActor, userName, userName, role, null, password);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (_, cookie) = await Callers.SignInAsync(client, userName, password);
        return (id, cookie ?? throw new InvalidOperationException("no sign-in cookie for " + userName));
    }

    private async Task<HttpResponseMessage> GetFieldAsync(string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/field");
        request.Headers.Add("Cookie", Schemes.UserCookieName + "=" + cookie);
        return await client.SendAsync(request);
    }

    private async Task<int> FreeStaffAsync()
    {
        await using var c = await app.Services.GetRequiredService<DbConnectionFactory>().OpenAsync();
        return await c.QueryFirstAsync<int>(
            "SELECT s.Id FROM Staff s WHERE s.Active = 1 AND NOT EXISTS (SELECT 1 FROM AppUser u WHERE u.StaffId = s.Id) ORDER BY s.Id");
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Leader)]
    public async Task PersonLinkedToStaff_OpensField_AndUnlinkedIsDenied(string role)
    {
        var staff = app.Services.GetRequiredService<StaffAccountService>();
        var (userId, cookie) = await SignedInAsync(role);

        using (var before = await GetFieldAsync(cookie))
        {
            Assert.Equal(Outcome.Forbidden, Outcomes.Classify(before));
        }

        await staff.LinkUserAsync(Callers.TestActor, userId, await FreeStaffAsync());
        using (var linked = await GetFieldAsync(cookie))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
            Assert.Contains("data-cc=\"field\"", await linked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await staff.LinkUserAsync(Callers.TestActor, userId, null);
        using var unlinked = await GetFieldAsync(cookie);
        Assert.Equal(Outcome.Forbidden, Outcomes.Classify(unlinked));
    }

    [Fact]
    public async Task OperatorWithoutStaff_OpensField_WithTheNote()
    {
        var (_, cookie) = await SignedInAsync(Roles.Operator);

        using var response = await GetFieldAsync(cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-cc=\"not-linked\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
