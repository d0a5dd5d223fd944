using System.Net;
using System.Text.RegularExpressions;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Web.Tests.Security;

/// <summary>The kinds of caller every page, endpoint and hub method is checked against.</summary>
public enum Caller
{
    Admin,
    Leader,
    Operator,
    Viewer,
    ScopedOperator,
    Device,
    KeyWithScope,
    KeyWithoutScope,
    Anonymous,
}

/// <summary>
/// Real credentials for each <see cref="Caller"/> in one app: people signed in through the real /login form
/// (antiforgery token and all), a wall-screen device registered and enrolled, and API keys created per scope.
/// Requests are sent without automatic redirects or cookie handling, so what the app answers is what the test sees.
/// </summary>
public sealed partial class Callers
{
    public static readonly Actor TestActor = Actor.System("tests");

    private readonly CommandCenterFactory _app;
    private readonly Dictionary<Caller, string> _userCookies = [];
    private readonly Dictionary<string, string> _keyWithOnly = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyWithAllBut = new(StringComparer.Ordinal);
    private string _allScopesKey = "";
    private string _deviceToken = "";

    private Callers(CommandCenterFactory app)
    {
        _app = app;
        Client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    /// <summary>No redirects followed, no cookies kept.</summary>
    public HttpClient Client { get; }

    public static readonly IReadOnlyDictionary<Caller, string> UserNames = new Dictionary<Caller, string>
    {
        [Caller.Admin] = "admin",
        [Caller.Leader] = "leader",
        [Caller.Operator] = "operator",
        [Caller.Viewer] = "viewer",
        [Caller.ScopedOperator] = "guangming.operator",
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CommandCenterFactory, Task<Callers>> PerApp = [];

    /// <summary>The callers of one app, made once and shared by the tests of its collection.</summary>
    public static Task<Callers> ForAsync(CommandCenterFactory app) => PerApp.GetValue(app, CreateAsync);

    private static async Task<Callers> CreateAsync(CommandCenterFactory app)
    {
        var callers = new Callers(app);
        foreach (var (caller, userName) in UserNames)
        {
            var password = DemoAccounts.Users.Single(u => u.UserName == userName).Password;
            var (response, cookie) = await callers.SignInAsync(userName, password);
            callers._userCookies[caller] = cookie ?? throw new InvalidOperationException(
                $"Signing in as {userName} gave no {Schemes.UserCookieName} cookie: {(int)response.StatusCode} {response.Headers.Location}");
        }

        callers._deviceToken = await EnrollDeviceAsync(app, "matrix wall screen");
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        callers._allScopesKey = await CreateKeyAsync(keys, "matrix: all scopes", Scopes.All);
        foreach (var scope in Scopes.All)
        {
            callers._keyWithOnly[scope] = await CreateKeyAsync(keys, "matrix: only " + scope, [scope]);
            callers._keyWithAllBut[scope] = await CreateKeyAsync(keys, "matrix: all but " + scope, Scopes.All.Where(s => s != scope).ToList());
        }

        return callers;
    }

    public static async Task<string> CreateKeyAsync(ApiKeyService keys, string name, IReadOnlyList<string> scopes, int? communityId = null)
    {
        var (_, plaintext) = await keys.CreateAsync(TestActor, name, scopes, communityId);
        return TestSecrets.Register("API key " + name, plaintext);
    }

    /// <summary>Registers and enrolls a wall-screen device the way the enrollment link does; returns its token.</summary>
    public static async Task<string> EnrollDeviceAsync(CommandCenterFactory app, string name, int? communityId = null)
    {
        var devices = app.Services.GetRequiredService<DeviceService>();
        var registration = await devices.RegisterAsync(TestActor, name, communityId);
        TestSecrets.Register("enrollment code of " + name, registration.EnrollmentCode);
        var enrolled = await devices.EnrollAsync(registration.EnrollmentCode, "127.0.0.1")
            ?? throw new InvalidOperationException("enrollment failed");
        return TestSecrets.Register("device token of " + name, enrolled.Token);
    }

    /// <summary>GET /login for the antiforgery cookie and token, then POST the form to /account/login; returns the answer and the sign-in cookie, if any.</summary>
    public async Task<(HttpResponseMessage Response, string? Cookie)> SignInAsync(string userName, string password, string returnUrl = "/")
        => await SignInAsync(Client, userName, password, returnUrl);

    public static async Task<(HttpResponseMessage Response, string? Cookie)> SignInAsync(HttpClient client, string userName, string password, string returnUrl = "/")
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetAsync("/login");
        var html = await page.Content.ReadAsStringAsync();
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /login answered {(int)page.StatusCode}: {html}");
        }

        var token = AntiforgeryField().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups["v"].Value)
            : throw new InvalidOperationException("The /login page has no antiforgery token field:\n" + html);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["userName"] = userName,
                ["password"] = password,
                ["returnUrl"] = returnUrl,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", SetCookies(page).Select(c => c.Name + "=" + c.Value)));
        var response = await client.SendAsync(post);
        var cookie = SetCookies(response).Where(c => c.Name == Schemes.UserCookieName && c.Value.Length > 0).Select(c => c.Value).LastOrDefault();
        if (cookie is not null)
        {
            TestSecrets.Register("sign-in cookie of " + userName, cookie);
        }

        return (response, cookie);
    }

    public static IEnumerable<(string Name, string Value)> SetCookies(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).Select(v => (v[..v.IndexOf('=', StringComparison.Ordinal)], v[(v.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            : [];
    }

    /// <summary>The key a caller presents for an endpoint needing <paramref name="scope"/> (null: an endpoint no scope opens).</summary>
    public string KeyFor(Caller caller, string? scope) => (caller, scope) switch
    {
        (Caller.KeyWithScope, null) => _allScopesKey,
        (Caller.KeyWithScope, _) => _keyWithOnly[scope],
        (Caller.KeyWithoutScope, null) => _keyWithOnly[Scopes.ReadingsWrite],
        (Caller.KeyWithoutScope, _) => _keyWithAllBut[scope],
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not a key"),
    };

    /// <summary>Puts the caller's credential on a request: a cookie, or the X-Api-Key header.</summary>
    public void Apply(Caller caller, string? scope, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in Headers(caller, scope))
        {
            request.Headers.Add(name, value);
        }
    }

    public IEnumerable<(string Name, string Value)> Headers(Caller caller, string? scope) => caller switch
    {
        Caller.Anonymous => [],
        Caller.Device => [("Cookie", Schemes.DeviceCookieName + "=" + _deviceToken)],
        Caller.KeyWithScope or Caller.KeyWithoutScope => [(Schemes.ApiKeyHeader, KeyFor(caller, scope))],
        _ => [("Cookie", Schemes.UserCookieName + "=" + _userCookies[caller])],
    };

    public async Task<HttpResponseMessage> SendAsync(Caller caller, string? scope, HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        Apply(caller, scope, request);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>A client of /hubs/live over long polling through the test server, presenting the caller's credential.</summary>
    public HubConnection Hub(Caller caller, string? scope)
    {
        var server = _app.Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/live"), o =>
            {
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                foreach (var (name, value) in Headers(caller, scope))
                {
                    o.Headers[name] = value;
                }
            })
            .AddJsonProtocol(o => CommandCenterHosting.ConfigureJson(o.PayloadSerializerOptions))
            .Build();
    }

    /// <summary>The antiforgery token of a signed-in page (its sign-out form) and the antiforgery cookie that goes with it.</summary>
    public static async Task<(string Token, string Cookie)> AntiforgeryForAsync(HttpClient client, string path, string signInCookie)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        get.Headers.Add("Cookie", Schemes.UserCookieName + "=" + signInCookie);
        var page = await client.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups["v"].Value)
            : throw new InvalidOperationException($"{path} has no antiforgery token field:\n" + html);
        return (token, string.Join("; ", SetCookies(page).Select(c => c.Name + "=" + c.Value)));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<v>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex AntiforgeryField();
}

/// <summary>What an answer means for the caller: let in, asked to authenticate, or refused.</summary>
public enum Outcome
{
    Allowed,
    Unauthenticated,
    Forbidden,
}

public static class Outcomes
{
    /// <summary>
    /// 401, or a redirect to /login that carries a return URL (the sign-in challenge), is "unauthenticated"; 403 or a
    /// redirect to /denied is "forbidden"; anything else (200, 302 elsewhere, 400, 404, 405...) means the caller got in.
    /// </summary>
    public static Outcome Classify(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.Unauthorized) return Outcome.Unauthenticated;
        if (response.StatusCode == HttpStatusCode.Forbidden) return Outcome.Forbidden;
        if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            var uri = location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location);
            if (uri.AbsolutePath == "/denied") return Outcome.Forbidden;
            if (uri.AbsolutePath == "/login" && uri.Query.Contains("returnurl=", StringComparison.OrdinalIgnoreCase)) return Outcome.Unauthenticated;
        }

        return Outcome.Allowed;
    }
}
