using System.Security.Claims;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// Open pages (Blazor circuits): the app's <see cref="RevalidatingAuthStateProvider"/> on a fake clock, given the
/// principal the app's own authentication handlers make from a real device cookie or sign-in cookie. When the
/// credential stops being valid, the page's user turns anonymous once the re-validation interval has passed (the
/// router then shows RedirectToLogin, which leaves for /login); a valid one stays signed in.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PageRevalidationTests(CommandCenterFactory app)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Changes() =>
    [
        "device revoked", "device re-enrolled", "person disabled", "role changed", "password reset", "password changed", "signed out",
    ];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task OpenPage_CredentialNoLongerValid_IsSignedOutWithinTheInterval(string change)
    {
        var (user, revoke) = await PrincipalAsync(change);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = Provider(clock);
        var signedOut = SignedOut(provider);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));

        await revoke();
        clock.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.False(signedOut.IsCompleted, "signed out before the interval had passed");
        clock.Advance(TimeSpan.FromSeconds(1));

        await signedOut.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    [Theory]
    [InlineData("device revoked")]
    [InlineData("person disabled")]
    public async Task OpenPage_StillValid_StaysSignedInAcrossIntervals(string kind)
    {
        var (user, _) = await PrincipalAsync(kind);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new RecordingLogger<RevalidatingAuthStateProvider>();
        using var provider = Provider(clock, log);
        var signedOut = SignedOut(provider);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(user)));

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(Interval);
            await log.NextAsync((_, text) => text.Contains("re-validated", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }

        Assert.False(signedOut.IsCompleted);
        Assert.True((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    private RevalidatingAuthStateProvider Provider(TimeProvider clock, Microsoft.Extensions.Logging.ILogger<RevalidatingAuthStateProvider>? log = null) => new(
        app.Services.GetRequiredService<CredentialValidator>(), Options.Create(new SecurityOptions { RevalidationInterval = Interval }), clock,
        log ?? NullLogger<RevalidatingAuthStateProvider>.Instance);

    private static Task SignedOut(AuthenticationStateProvider provider)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true) done.TrySetResult();
        };
        return done.Task;
    }

    /// <summary>A principal as the app's handlers make it from a real credential, and the change that ends that credential.</summary>
    private async Task<(ClaimsPrincipal User, Func<Task> Revoke)> PrincipalAsync(string change)
    {
        var sp = app.Services;
        var name = "page." + change.Replace(' ', '.') + "." + Guid.NewGuid().ToString("N")[..6];
        if (change.StartsWith("device", StringComparison.Ordinal))
        {
            var token = await Callers.EnrollDeviceAsync(app, name);
            var devices = sp.GetRequiredService<DeviceService>();
            var id = (await devices.ListAsync()).Single(d => d.Name == name).Id;
            var device = await AuthenticateAsync(Schemes.Device, Schemes.DeviceCookieName, token);
            return (device, change == "device revoked"
                ? async () => Assert.True(await devices.RevokeAsync(Callers.TestActor, id))
                : async () => TestSecrets.Register("new enrollment code", await devices.NewEnrollmentCodeAsync(Callers.TestActor, id)));
        }

        var accounts = sp.GetRequiredService<AccountService>();
        var password = TestSecrets.Register("password of " + name, "Open-Page-Pass-2026!");
        var userId = await accounts.CreateAsync(Callers.TestActor, name, name, Roles.Viewer, null, password);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var (_, cookie) = await Callers.SignInAsync(client, name, password);
        var person = await AuthenticateAsync(Schemes.Cookie, Schemes.UserCookieName, cookie!);
        Func<Task> revoke = change switch
        {
            "person disabled" => () => accounts.UpdateAsync(Callers.TestActor, userId, name, Roles.Viewer, null, isActive: false),
            "role changed" => () => accounts.UpdateAsync(Callers.TestActor, userId, name, Roles.Leader, null, isActive: true),
            "password reset" => () => accounts.ResetPasswordAsync(Callers.TestActor, userId, TestSecrets.Register("reset password", "Reset-Open-Page-2026")),
            "password changed" => () => accounts.ChangePasswordAsync(Callers.TestActor, userId, password, TestSecrets.Register("changed password", "Changed-Open-Page-2026")),
            "signed out" => async () => Assert.True(await sp.GetRequiredService<SessionService>().EndAsync(person.SessionId())),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };
        return (person, revoke);
    }

    /// <summary>Runs the app's authentication handler of <paramref name="scheme"/> on a request carrying the cookie.</summary>
    private async Task<ClaimsPrincipal> AuthenticateAsync(string scheme, string cookieName, string value)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Cookie = cookieName + "=" + value;
        var result = await http.RequestServices.GetRequiredService<IAuthenticationService>().AuthenticateAsync(http, scheme);
        Assert.True(result.Succeeded, $"{scheme}: {result.Failure?.Message}");
        return result.Principal!;
    }
}
