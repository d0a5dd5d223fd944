using System.Net;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Tests.Security;

/// <summary>Signing out ends that sign-in on the server: a copy of the cookie replayed afterwards reads nothing; other browsers stay signed in.</summary>
[Collection(AppCollection.Name)]
public sealed class SignOutTests(CommandCenterFactory app)
{
    private HttpClient RawClient() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Fact]
    public async Task Logout_CookieReplayedAfterwards_IsRefusedByTheApiTheWallAndTheHub()
    {
        using var client = RawClient();
        var password = await PersonAsync("replay.victim");
        var (_, cookie) = await Callers.SignInAsync(client, "replay.victim", password);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/snapshot", cookie!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/", cookie!)).StatusCode);

        var logout = await LogoutAsync(client, cookie!);
        Assert.Equal("/login", logout.Headers.Location!.OriginalString);

        var api = await GetAsync(client, "/api/v1/snapshot", cookie!);
        var wall = await GetAsync(client, "/", cookie!);
        var incident = await GetAsync(client, "/api/v1/incidents/1", cookie!);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(Outcome.Unauthenticated, Outcomes.Classify(wall));
        Assert.Equal(HttpStatusCode.Unauthorized, incident.StatusCode);
        var hub = await Assert.ThrowsAsync<HttpRequestException>(() => LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.UserCookieName + "=" + cookie)));
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task Logout_OnOneBrowser_EndsThatSessionsHubConnectionAtOnceAndLeavesTheOtherBrowserSignedIn()
    {
        using var client = RawClient();
        var password = await PersonAsync("two.browsers");
        var (_, laptop) = await Callers.SignInAsync(client, "two.browsers", password);
        var (_, phone) = await Callers.SignInAsync(client, "two.browsers", password);
        await using var laptopHub = await LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.UserCookieName + "=" + laptop));
        await using var phoneHub = await LiveHubClient.ConnectAsync(app.Server, ("Cookie", Schemes.UserCookieName + "=" + phone));

        await LogoutAsync(client, laptop!);

        await laptopHub.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/api/v1/snapshot", laptop!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/snapshot", phone!)).StatusCode);
        Assert.Equal(HubConnectionState.Connected, phoneHub.Connection.State);
        Assert.True((await phoneHub.Connection.InvokeAsync<LiveSnapshot>("GetSnapshot")).Grids.Count > 0);
    }

    [Fact]
    public async Task SignInCookie_WithoutASession_IsRefused()
    {
        // A ticket as builds before sessions issued it (or one forged with the app's own keys): stamp right, no session.
        var accounts = app.Services.GetRequiredService<Data.Security.AccountService>();
        await PersonAsync("no.session");
        var user = (await accounts.ListAsync()).Single(u => u.UserName == "no.session");
        var principal = Principals.Create(Schemes.Cookie, Principals.UserKind, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            user.UserName, user.Role, null, stamp: user.SecurityStamp);
        var format = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(Schemes.Cookie).TicketDataFormat;
        var cookie = TestSecrets.Register("session-less cookie", format.Protect(new AuthenticationTicket(principal, Schemes.Cookie)));
        using var client = RawClient();

        var response = await GetAsync(client, "/api/v1/snapshot", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> PersonAsync(string userName)
    {
        var password = TestSecrets.Register("password of " + userName, "Sign-Out-Test-2026-" + userName.Length);
        await app.Services.GetRequiredService<Data.Security.AccountService>().CreateAsync(Callers.TestActor, userName, userName, Roles.Viewer, null, password);
        return password;
    }

    private static async Task<HttpResponseMessage> LogoutAsync(HttpClient client, string cookie)
    {
        var (token, antiforgeryCookie) = await Callers.AntiforgeryForAsync(client, "/account/password", cookie);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", Schemes.UserCookieName + "=" + cookie + "; " + antiforgeryCookie);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", Schemes.UserCookieName + "=" + cookie);
        return await client.SendAsync(request);
    }
}
