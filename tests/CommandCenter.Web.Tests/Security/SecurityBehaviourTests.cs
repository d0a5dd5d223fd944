using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bunit;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Demo;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Security;
using CommandCenter.Web.Tests.Integration;
using CommandCenter.Web.Tests.WallScreen;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WallScreenPage = CommandCenter.Web.Components.Pages.WallScreen;

namespace CommandCenter.Web.Tests.Security;

/// <summary>Sign-in, return URLs, revocation, community scoping, origin and header hardening, audit, and hostile text — through the real app.</summary>
[Collection(AppCollection.Name)]
public sealed class SecurityBehaviourTests(CommandCenterFactory app)
{
    public const string SqlPayload = "'); DROP TABLE Incident;--";
    public const string ScriptPayload = "<script>alert(1)</script>";
    private const string EscapedScript = "&lt;script&gt;alert(1)&lt;/script&gt;";
    private static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions();
        CommandCenterHosting.ConfigureJson(o);
        return o;
    }

    /// <summary>The demo Admin as the actor of a change made from an admin page (as <c>user.ToActor(remoteIp)</c> makes it).</summary>
    private static async Task<Actor> AdminActorAsync(CommandCenterFactory app)
    {
        var admin = (await app.Services.GetRequiredService<AccountService>().ListAsync()).Single(u => u.UserName == "admin");
        return new Actor(ActorKind.User, admin.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "admin", null, "10.9.9.9");
    }

    private HttpClient RawClient() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    // ---- People ----

    [Fact]
    public async Task Login_RightPassword_SetsAnHttpOnlyCookieAndGoesToTheLocalReturnUrl()
    {
        using var client = RawClient();

        var (local, cookie) = await Callers.SignInAsync(client, "viewer", Password("viewer"), "/audit?x=1");
        var (foreign, _) = await Callers.SignInAsync(client, "viewer", Password("viewer"), "//evil.example/phish");

        Assert.NotNull(cookie);
        Assert.Equal("/audit?x=1", local.Headers.Location!.OriginalString);
        Assert.Equal("/", foreign.Headers.Location!.OriginalString);
        var setCookie = local.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith(Schemes.UserCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Return URLs that are not a path of this site — some of which made LocalRedirect throw (500) — go to <c>/</c>.</summary>
    public static TheoryData<string> ForeignReturnUrls => new()
    {
        "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example", "https://evil.example/", " /x", "",
    };

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    public async Task Login_RightPasswordAndAForeignReturnUrl_GoesToTheWallScreen(string returnUrl)
    {
        using var client = RawClient();

        var (response, cookie) = await Callers.SignInAsync(client, "viewer", Password("viewer"), returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.NotNull(cookie);
    }

    [Theory]
    [MemberData(nameof(ForeignReturnUrls))]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%09/evil.example")]
    public async Task Culture_ForeignReturnUrl_GoesToTheWallScreen(string returnUrl)
    {
        using var client = RawClient();

        var response = await client.GetAsync("/culture/zh-CN?returnUrl=" + Uri.EscapeDataString(Uri.UnescapeDataString(returnUrl)));
        var local = await client.GetAsync("/culture/en-US?returnUrl=" + Uri.EscapeDataString("/audit?x=1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Equal("/audit?x=1", local.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ForwardedHeaders_WithNoKnownProxyConfigured_AreIgnored()
    {
        using var client = RawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "cc.example.org");
        request.Headers.Add("X-Forwarded-For", "203.0.113.99");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefusedAndSignsNobodyIn()
    {
        using var client = RawClient();

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "admin", ["password"] = Password("admin"), ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Callers.SetCookies(response), c => c.Name == Schemes.UserCookieName);
    }

    [Fact]
    public async Task Logout_SignedIn_DeletesTheSignInCookieAndGoesToTheSignInPage()
    {
        using var client = RawClient();
        var (_, cookie) = await Callers.SignInAsync(client, "leader", Password("leader"));
        var (token, antiforgeryCookie) = await Callers.AntiforgeryForAsync(client, "/account/password", cookie!);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", Schemes.UserCookieName + "=" + cookie + "; " + antiforgeryCookie);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.OriginalString);
        var deleted = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Schemes.UserCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", deleted, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = RawClient();
        var (_, cookie) = await Callers.SignInAsync(client, "leader", Password("leader"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Cookie", Schemes.UserCookieName + "=" + cookie);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Person_Disabled_IsSignedOutAtTheNextRequest()
    {
        var password = TestSecrets.Register("password of soon.disabled", "Soon-Disabled-2026");
        var accounts = app.Services.GetRequiredService<AccountService>();
        var id = await accounts.CreateAsync(Callers.TestActor, "soon.disabled", "Soon disabled", Roles.Operator, null, password);
        using var client = RawClient();
        var (_, cookie) = await Callers.SignInAsync(client, "soon.disabled", password);
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/operations", cookie!)).StatusCode);

        await accounts.UpdateAsync(await AdminActorAsync(app), id, "Soon disabled", Roles.Operator, null, isActive: false);

        var after = await Get(client, "/operations", cookie!);
        Assert.Equal(Outcome.Unauthenticated, Outcomes.Classify(after));
    }

    // ---- Devices ----

    [Fact]
    public async Task DeviceEnroll_OneTimeLinkPostedWithTheForm_GivesADeviceCookieOnce()
    {
        var registration = await app.Services.GetRequiredService<DeviceService>().RegisterAsync(await AdminActorAsync(app), "Enrolled by link", null);
        var code = TestSecrets.Register("enrollment code", registration.EnrollmentCode);
        using var client = RawClient();

        var first = await PostEnrollAsync(client, code);
        var second = await PostEnrollAsync(client, code);

        Assert.Equal("/", first.Headers.Location!.OriginalString);
        var token = Callers.SetCookies(first).Single(c => c.Name == Schemes.DeviceCookieName).Value;
        TestSecrets.Register("device token from the enrollment form", token);
        var setCookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Schemes.DeviceCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookie(client, "/", Schemes.DeviceCookieName, token)).StatusCode);
        Assert.Equal("/device/enroll?error=invalid", second.Headers.Location!.OriginalString);
        Assert.DoesNotContain(Callers.SetCookies(second), c => c.Name == Schemes.DeviceCookieName && c.Value.Length > 0);
    }

    [Fact]
    public async Task Device_Revoked_LosesPagesAndApiAtTheNextRequest()
    {
        var token = await Callers.EnrollDeviceAsync(app, "Soon revoked screen");
        var devices = app.Services.GetRequiredService<DeviceService>();
        var device = (await devices.ListAsync()).Single(d => d.Name == "Soon revoked screen");
        using var client = RawClient();
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookie(client, "/", Schemes.DeviceCookieName, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookie(client, "/api/v1/snapshot", Schemes.DeviceCookieName, token)).StatusCode);

        Assert.True(await devices.RevokeAsync(await AdminActorAsync(app), device.Id));

        var page = await GetWithCookie(client, "/", Schemes.DeviceCookieName, token);
        var api = await GetWithCookie(client, "/api/v1/snapshot", Schemes.DeviceCookieName, token);
        Assert.Equal(Outcome.Unauthenticated, Outcomes.Classify(page));
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    // ---- Keys ----

    [Fact]
    public async Task ApiKey_Revoked_NextCallIs401()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await Callers.CreateKeyAsync(keys, "soon revoked", [Scopes.LiveRead]);
        var id = (await keys.ListAsync()).Single(k => k.Name == "soon revoked").Id;
        using var client = app.CreateApiClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/snapshot")).StatusCode);

        Assert.True(await keys.RevokeAsync(await AdminActorAsync(app), id));

        var after = await client.GetAsync("/api/v1/snapshot");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiKey_InTheQueryString_IsNotAccepted()
    {
        using var client = app.CreateApiClient(null);

        var response = await client.GetAsync("/api/v1/snapshot?api_key=" + CommandCenterFactory.ApiKey + "&X-Api-Key=" + CommandCenterFactory.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // ---- Community scope ----

    [Fact]
    public async Task ScopedOperator_IncidentOfAnotherCommunity_Is404AndOfItsOwn200()
    {
        var queries = app.Services.GetRequiredService<IncidentQueries>();
        var own = (await queries.ListOpenAsync(1, 1)).Single();
        var foreign = (await queries.ListOpenAsync(2, 1)).Single();
        var callers = await Callers.ForAsync(app);

        var ownResponse = await callers.SendAsync(Caller.ScopedOperator, null, HttpMethod.Get, $"/api/v1/incidents/{own.Id}");
        var foreignResponse = await callers.SendAsync(Caller.ScopedOperator, null, HttpMethod.Get, $"/api/v1/incidents/{foreign.Id}");
        var unscoped = await callers.SendAsync(Caller.Operator, null, HttpMethod.Get, $"/api/v1/incidents/{foreign.Id}");

        Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
        Assert.Equal(1, (await ownResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("communityId").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, foreignResponse.StatusCode);
        Assert.DoesNotContain(foreign.Title, await foreignResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unscoped.StatusCode);
    }

    [Fact]
    public async Task ScopedOperator_SnapshotAndHub_HoldOnlyItsCommunitysGrids()
    {
        var callers = await Callers.ForAsync(app);
        var all = app.Services.GetRequiredService<ILiveBoard>().GetSnapshot();

        var response = await callers.SendAsync(Caller.ScopedOperator, null, HttpMethod.Get, "/api/v1/snapshot");
        var snapshot = (await response.Content.ReadFromJsonAsync<LiveSnapshot>(Json))!;
        await using var hub = callers.Hub(Caller.ScopedOperator, null);
        await hub.StartAsync();
        var viaHub = await Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.InvokeAsync<LiveSnapshot>(hub, "GetSnapshot");

        var expected = all.Grids.Where(g => g.CommunityId == 1).Select(g => g.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Grids.Count);
        Assert.Equal(expected, snapshot.Grids.Select(g => g.Id).Order());
        Assert.Equal(expected, viaHub.Grids.Select(g => g.Id).Order());
        var ownGrids = expected.ToHashSet();
        Assert.All(snapshot.CameraMarks, c => Assert.Contains(c.GridId, ownGrids));
        Assert.All(snapshot.WaterPoints, w => Assert.Contains(w.GridId, ownGrids));
    }

    [Fact]
    public async Task ScopedKey_ReportIntoAGridOfAnotherCommunity_Is400NamingGridId()
    {
        var keys = app.Services.GetRequiredService<ApiKeyService>();
        var key = await Callers.CreateKeyAsync(keys, "community 1 field app", [Scopes.IncidentsWrite, Scopes.IncidentsRead], communityId: 1);
        var grids = app.Services.GetRequiredService<ILiveBoard>().GetSnapshot().Grids;
        using var client = app.CreateApiClient(key);

        var foreign = await client.PostAsJsonAsync("/api/v1/incidents", Incident(grids.First(g => g.CommunityId == 2).Id, "Out of my community"));
        var own = await client.PostAsJsonAsync("/api/v1/incidents", Incident(grids.First(g => g.CommunityId == 1).Id, "In my community"));

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        var problem = await foreign.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("gridId", out _), problem.ToString());
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    // ---- Hardening ----

    [Fact]
    public async Task Hub_ConnectionFromAForeignOrigin_Is403AndFromItsOwnOriginAllowed()
    {
        var callers = await Callers.ForAsync(app);

        var foreign = await callers.SendAsync(Caller.KeyWithScope, Scopes.LiveRead, HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1", null, ("Origin", "https://evil.example"));
        var foreignCookie = await callers.SendAsync(Caller.Admin, null, HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1", null, ("Origin", "http://localhost.evil.example"));
        var own = await callers.SendAsync(Caller.KeyWithScope, Scopes.LiveRead, HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1", null, ("Origin", "http://localhost"));

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, foreignCookie.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData("/login", null)]
    [InlineData("/", "admin")]
    [InlineData("/api/v1/snapshot", "key")]
    [InlineData("/api/v1/snapshot", null)]
    public async Task Responses_PagesApiAndRefusals_CarryTheSecurityHeaders(string path, string? who)
    {
        var callers = await Callers.ForAsync(app);
        var caller = who switch { "admin" => Caller.Admin, "key" => Caller.KeyWithScope, _ => Caller.Anonymous };

        var response = await callers.SendAsync(caller, Scopes.LiveRead, HttpMethod.Get, path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Pages_UnderTheCsp_LoadNoInlineScript()
    {
        var callers = await Callers.ForAsync(app);

        foreach (var (caller, path) in new[] { (Caller.Anonymous, "/login"), (Caller.Admin, "/"), (Caller.Admin, "/admin/users"), (Caller.Operator, "/operations") })
        {
            var html = await (await callers.SendAsync(caller, null, HttpMethod.Get, path)).Content.ReadAsStringAsync();
            var inline = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>(?<body>[\\s\\S]*?)</script>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                .Where(m => m.Groups["body"].Value.Trim().Length > 0 && !m.Value.Contains("type=\"importmap\"", StringComparison.OrdinalIgnoreCase))
                .Select(m => m.Value[..Math.Min(120, m.Value.Length)]).ToList();
            Assert.True(inline.Count == 0, $"{path} has inline script(s) that script-src 'self' blocks: {string.Join(" | ", inline)}");
        }
    }

    // ---- Audit ----

    [Fact]
    public async Task Audit_ChangesByKeysAndPeople_AreWrittenWithWhoWhatAndWhere()
    {
        var sp = app.Services;
        var admin = await AdminActorAsync(app);
        using var client = app.CreateApiClient();
        var grid = sp.GetRequiredService<ILiveBoard>().GetSnapshot().Grids[0].Id;
        var reported = await client.PostAsJsonAsync("/api/v1/incidents", Incident(grid, "Audited incident"));
        var incidentId = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var userId = await sp.GetRequiredService<AccountService>().CreateAsync(admin, "audited.user", "Audited user", Roles.Viewer, 2,
            TestSecrets.Register("password of audited.user", "Audited-User-2026"));
        var key = await Callers.CreateKeyAsync(sp.GetRequiredService<ApiKeyService>(), "audited key", [Scopes.ReadingsWrite]);
        var keyId = (await sp.GetRequiredService<ApiKeyService>().ListAsync()).Single(k => k.Name == "audited key").Id;
        await sp.GetRequiredService<ApiKeyService>().RevokeAsync(admin, keyId);
        var device = await sp.GetRequiredService<DeviceService>().RegisterAsync(admin, "audited screen", null);
        TestSecrets.Register("enrollment code", device.EnrollmentCode);
        await sp.GetRequiredService<DeviceService>().RevokeAsync(admin, device.Device.Id);

        var log = sp.GetRequiredService<AuditLog>();
        var incident = await SingleAsync(log, "incident.reported", incidentId);
        Assert.Equal("key:tests", incident.ActorName);
        Assert.Equal(nameof(ActorKind.ApiKey), incident.ActorKind);
        Assert.Contains(grid.ToString(System.Globalization.CultureInfo.InvariantCulture), incident.Details, StringComparison.Ordinal);
        var user = await SingleAsync(log, "user.created", userId);
        Assert.Equal("admin", user.ActorName);
        Assert.Equal("10.9.9.9", user.RemoteIp);
        Assert.Equal("admin", (await SingleAsync(log, "apikey.revoked", keyId)).ActorName);
        Assert.Equal("admin", (await SingleAsync(log, "device.revoked", device.Device.Id)).ActorName);
        Assert.Contains(await log.ListAsync(new AuditFilter(Action: "user.created", Actor: "start-up")), e => e.Details!.Contains("\"admin\"", StringComparison.Ordinal));
        var everything = string.Join("\n", (await log.ListAsync(new AuditFilter(Top: 2000))).Select(e => e.Details));
        Assert.DoesNotContain(key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Audited-User-2026", everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE AuditLog SET ActorName = 'nobody'")]
    [InlineData("DELETE FROM AuditLog")]
    [InlineData("DELETE FROM AuditLog WHERE Action = 'incident.reported'")]
    public async Task AuditLog_UpdateOrDelete_IsRefusedByTheDatabase(string sql)
    {
        var db = app.Services.GetRequiredService<DbConnectionFactory>();
        await using var c = await db.OpenAsync();
        var before = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog");
        Assert.True(before > 0);

        var ex = await Assert.ThrowsAsync<SqliteException>(() => c.ExecuteAsync(sql));

        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AuditLog"));
    }

    // ---- Hostile text ----

    [Theory]
    [InlineData(SqlPayload)]
    [InlineData(ScriptPayload)]
    public async Task Payloads_InEveryTextFieldOfTheApi_AreStoredAndReadBackVerbatim(string payload)
    {
        var db = app.Services.GetRequiredService<DbConnectionFactory>();
        var board = app.Services.GetRequiredService<ILiveBoard>().GetSnapshot();
        using var client = app.CreateApiClient();
        var externalId = payload + Guid.NewGuid().ToString("N");

        var report = new
        {
            category = "sanitation", gridId = board.Grids[0].Id, source = "Hotline",
            reporterName = payload, reporterPhone = payload, title = payload, description = payload, address = payload, externalId,
        };
        var posted = await client.PostAsJsonAsync("/api/v1/incidents", report);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var retry = await client.PostAsJsonAsync("/api/v1/incidents", report); // a replay is one only when it says the same
        using var verify = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{id}/actions/verify")
        {
            Content = JsonContent.Create(new { fromStep = "Reported", note = payload }),
        };
        verify.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var advanced = await client.SendAsync(verify);
        var alert = await client.PostAsJsonAsync("/api/v1/camera-alerts", new { cameraId = board.CameraMarks[0].Code, kind = "crowd", externalId });
        var unknownCamera = await client.PostAsJsonAsync("/api/v1/camera-alerts", new { cameraId = payload, kind = payload });
        await using var c = await db.OpenAsync();
        var staff = await c.QueryFirstAsync<(long Staff, long Grid)>("SELECT a.StaffId, a.GridId FROM StaffAssignment a JOIN Staff s ON s.Id = a.StaffId WHERE s.Active = 1");
        var household = await c.ExecuteScalarAsync<long>("SELECT Id FROM Household LIMIT 1");
        var patrol = await client.PostAsJsonAsync("/api/v1/patrols", new { staffId = staff.Staff, gridId = staff.Grid, note = payload });
        var visit = await client.PostAsJsonAsync("/api/v1/visits", new { staffId = staff.Staff, householdId = household, note = payload });

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        foreach (var field in new[] { "reporterName", "title", "description", "address" })
        {
            Assert.Equal(payload, detail.GetProperty(field).GetString());
        }

        Assert.Equal(payload, await c.ExecuteScalarAsync<string>("SELECT ReporterPhone FROM Incident WHERE Id = @id", new { id }));
        Assert.Equal(id, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), s => s.TryGetProperty("note", out var n) && n.GetString() == payload);
        Assert.Equal(HttpStatusCode.Created, alert.StatusCode);
        Assert.Equal(externalId, await c.ExecuteScalarAsync<string>("SELECT ExternalId FROM CameraAlert WHERE Id = @Id",
            new { Id = (await alert.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64() }));
        Assert.Equal(HttpStatusCode.BadRequest, unknownCamera.StatusCode);
        Assert.Equal(payload, await c.ExecuteScalarAsync<string>("SELECT Note FROM PatrolCheckIn WHERE Id = @Id",
            new { Id = (await patrol.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64() }));
        Assert.Equal(payload, await c.ExecuteScalarAsync<string>("SELECT Note FROM HouseholdVisit WHERE Id = @Id",
            new { Id = (await visit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64() }));
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Incident") > 1000, "the Incident table is intact");
    }

    [Fact]
    public async Task Payloads_InNamesOfUsersDevicesAndKeys_AreStoredVerbatimAndRenderedInertOnEveryPage()
    {
        var sp = app.Services;
        var admin = await AdminActorAsync(app);
        var name = SqlPayload + " " + ScriptPayload;
        await sp.GetRequiredService<AccountService>().CreateAsync(admin, "payload.user", name, Roles.Operator, null,
            TestSecrets.Register("password of payload.user", "Payload-User-2026"));
        var device = await sp.GetRequiredService<DeviceService>().RegisterAsync(admin, name, null);
        TestSecrets.Register("enrollment code", device.EnrollmentCode);
        var key = await Callers.CreateKeyAsync(sp.GetRequiredService<ApiKeyService>(), name, [Scopes.IncidentsWrite]);
        using (var keyClient = app.CreateApiClient(key))
        {
            var grid = sp.GetRequiredService<ILiveBoard>().GetSnapshot().Grids[0].Id;
            Assert.Equal(HttpStatusCode.Created, (await keyClient.PostAsJsonAsync("/api/v1/incidents", Incident(grid, name))).StatusCode);
        }

        Assert.Contains(await sp.GetRequiredService<AccountService>().ListAsync(), u => u.DisplayName == name);
        Assert.Contains(await sp.GetRequiredService<DeviceService>().ListAsync(), d => d.Name == name);
        Assert.Contains(await sp.GetRequiredService<ApiKeyService>().ListAsync(), k => k.Name == name);
        var callers = await Callers.ForAsync(app);
        foreach (var (caller, path, shows) in new[]
                 {
                     (Caller.Admin, "/admin/users", true), (Caller.Admin, "/admin/devices", true), (Caller.Admin, "/admin/keys", true),
                     (Caller.Admin, "/audit", true), (Caller.Operator, "/operations", false), (Caller.Admin, "/", false),
                 })
        {
            var response = await callers.SendAsync(caller, null, HttpMethod.Get, path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(ScriptPayload, html, StringComparison.OrdinalIgnoreCase);
            if (shows)
            {
                Assert.Contains(EscapedScript, html, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task WallScreen_PayloadsInEveryName_AreRenderedAsText()
    {
        await using var host = new WallScreenTestHost(seed: PayloadSeed);

        var cut = host.Ctx.Render<WallScreenPage>();

        var markup = cut.Markup;
        Assert.DoesNotContain("<script", markup, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(EscapedScript, markup, StringComparison.Ordinal);
        Assert.Contains(ScriptPayload, cut.Find(".ws-street").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll(".ws-alert-cam"), e => e.TextContent == ScriptPayload);
        Assert.Contains(cut.FindAll("[data-community]"), e => e.TextContent.Contains(ScriptPayload, StringComparison.Ordinal));
        Assert.Contains(cut.FindAll(".ws-wp-name"), e => e.TextContent == ScriptPayload);
        Assert.Empty(cut.FindAll("script"));
    }

    // ---- helpers ----

    /// <summary>The small test street with a script payload (and an SQL one) in every name the wall screen shows.</summary>
    private static BoardSeed PayloadSeed(DateTimeOffset now)
    {
        var b = WallScreenTestHost.Seed(now);
        return new BoardSeed
        {
            StreetName = ScriptPayload,
            StreetNameZh = ScriptPayload,
            Communities = [new CommunitySummary(1, ScriptPayload, ScriptPayload), new CommunitySummary(2, SqlPayload, SqlPayload)],
            Grids = [.. b.Grids.Select(g => g with { Name = ScriptPayload, NameZh = ScriptPayload })],
            Cameras = [.. b.Cameras.Select(c => c with { Name = ScriptPayload })],
            WaterPoints = [.. b.WaterPoints.Select(w => w with { Name = ScriptPayload, NameZh = ScriptPayload })],
            OpenIncidents = [.. b.OpenIncidents.Select(i => i with { Title = ScriptPayload })],
            RecentAlerts = [.. b.RecentAlerts.Select(a => a with { CameraName = ScriptPayload })],
            ReportedTodayByGrid = b.ReportedTodayByGrid,
            ClosedTodayByGrid = b.ClosedTodayByGrid,
            GridsPatrolledToday = b.GridsPatrolledToday,
            HouseholdsByGrid = b.HouseholdsByGrid,
            KeyHouseholdsByGrid = b.KeyHouseholdsByGrid,
            HouseholdsVisitedThisMonth = b.HouseholdsVisitedThisMonth,
            KeyHouseholdsVisitedThisWeek = b.KeyHouseholdsVisitedThisWeek,
            VisitedHouseholdGrids = b.VisitedHouseholdGrids,
            AlertsTodayByGrid = b.AlertsTodayByGrid,
            LastEventAt = b.LastEventAt,
        };
    }

    private static object Incident(int gridId, string title) =>
        new { category = "sanitation", gridId, source = "GridPatrol", reporterName = "Test member", title };

    private static string Password(string userName) => DemoAccounts.Users.Single(u => u.UserName == userName).Password;

    private static string? Query(HttpResponseMessage response, string name) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), response.Headers.Location!).Query)[name];

    private static async Task<AuditEntry> SingleAsync(AuditLog log, string action, long entityId) =>
        Assert.Single(await log.ListAsync(new AuditFilter(Action: action, Top: 2000)), e => e.EntityId == entityId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static Task<HttpResponseMessage> Get(HttpClient client, string path, string userCookie) =>
        GetWithCookie(client, path, Schemes.UserCookieName, userCookie);

    private static async Task<HttpResponseMessage> GetWithCookie(HttpClient client, string path, string cookieName, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieName + "=" + value);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostEnrollAsync(HttpClient client, string code)
    {
        var page = await client.GetAsync("/device/enroll?code=" + Uri.EscapeDataString(code));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"(?<v>[^\"]+)\"").Groups["v"].Value;
        Assert.False(string.IsNullOrEmpty(token), "the enrollment page has an antiforgery token");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/device/enroll")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token), ["code"] = code }),
        };
        post.Headers.Add("Cookie", string.Join("; ", Callers.SetCookies(page).Select(c => c.Name + "=" + c.Value)));
        var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }
}

/// <summary>An app with tiny limits: requests per key and per address, and body size.</summary>
public sealed class LimitedAppFactory : CommandCenterFactory
{
    public const string SecondKey = "integration-second-key-0123456789";
    public const int PerKey = 3;
    public const int PerAddress = 30;
    public const int MaxBody = 2048;

    protected override void Configure(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TestSecrets.Register("second bootstrap key", SecondKey);
        builder.UseSetting("Demo:Enabled", "false"); // an empty street starts in a moment
        builder.UseSetting("Security:BootstrapApiKeys:1:Name", "second");
        builder.UseSetting("Security:BootstrapApiKeys:1:Key", SecondKey);
        builder.UseSetting("Security:PerKeyPerMinute", PerKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Security:PerAddressPerMinute", PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Security:MaxRequestBodyBytes", MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

[CollectionDefinition(Name)]
public sealed class LimitedAppCollection : ICollectionFixture<LimitedAppFactory>
{
    public const string Name = "limited app";
}

[Collection(LimitedAppCollection.Name)]
public sealed class LimitTests(LimitedAppFactory app)
{
    [Fact]
    public async Task ApiKey_OverItsLimitPerMinute_Gets429WithRetryAfterWhileOtherKeysGoOn()
    {
        using var client = app.CreateApiClient(CommandCenterFactory.ApiKey);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;

        // A fixed one-minute window may roll over once during the loop: allow for one refill.
        for (var i = 0; i < (2 * LimitedAppFactory.PerKey) + 1 && refused is null; i++)
        {
            var response = await client.GetAsync("/api/v1/diagnostics");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }

        Assert.All(statuses.Take(LimitedAppFactory.PerKey), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.NotNull(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        using var other = app.CreateApiClient(LimitedAppFactory.SecondKey);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/diagnostics")).StatusCode);
    }

    [Fact]
    public async Task ClientAddress_OverItsLimitPerMinute_Gets429()
    {
        using var client = app.CreateApiClient(null);
        var refused = false;

        for (var i = 0; i < (2 * LimitedAppFactory.PerAddress) + 1 && !refused; i++)
        {
            refused = (await client.GetAsync("/api/v1/snapshot")).StatusCode == HttpStatusCode.TooManyRequests;
        }

        Assert.True(refused, "anonymous calls from one address were never limited");
    }

    [Fact]
    public async Task RequestBody_OverTheCap_Is413AndAtTheCapIsRead()
    {
        using var client = app.CreateApiClient(LimitedAppFactory.SecondKey);

        var over = await client.PostAsync("/api/v1/incidents", Body(LimitedAppFactory.MaxBody + 1));
        var at = await client.PostAsync("/api/v1/incidents", Body(LimitedAppFactory.MaxBody));
        var boundaries = await client.PostAsync("/api/v1/grids/boundaries", Body(LimitedAppFactory.MaxBody * 5));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, at.StatusCode);
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, boundaries.StatusCode);
    }

    [Fact]
    public async Task RequestBody_ChunkedWithoutALengthOverTheCap_Is413()
    {
        using var client = app.CreateApiClient(LimitedAppFactory.SecondKey);
        var bytes = await Body(LimitedAppFactory.MaxBody * 4).ReadAsByteArrayAsync();
        using var chunked = new StreamContent(new NoLengthStream(bytes));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync("/api/v1/incidents", chunked);

        Assert.Null(chunked.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A stream that does not tell its length, so the body is sent chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A JSON object padded to exactly <paramref name="bytes"/> bytes.</summary>
    private static ByteArrayContent Body(int bytes)
    {
        var head = "{\"title\":\"";
        var tail = "\"}";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(head + new string('x', bytes - head.Length - tail.Length) + tail));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>Start-up: no default password outside the demo, keys provisioned from configuration stored hashed.</summary>
public sealed class SecurityBootstrapTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-bootstrap").FullName;
    private DbConnectionFactory _db = null!;

    public async Task InitializeAsync()
    {
        _db = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "cc.db")}" });
        await new MigrationRunner(_db, Microsoft.Extensions.Logging.Abstractions.NullLogger<MigrationRunner>.Instance).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SecurityBootstrap Bootstrap(bool demo, SecurityOptions options) => new(
        new AccountService(_db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountService>.Instance),
        new ApiKeyService(_db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyService>.Instance),
        Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new DemoOptions { Enabled = demo }),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<SecurityBootstrap>.Instance);

    [Fact]
    public async Task RunAsync_DemoOffAndAnAdminWithADemoPassword_RefusesToStart()
    {
        var bootstrap = Bootstrap(demo: false, new SecurityOptions { BootstrapAdmin = new BootstrapAdmin { UserName = "first.admin", Password = DemoAccounts.Users[0].Password } });

        var ex = await Assert.ThrowsAsync<SettingException>(() => bootstrap.RunAsync(CancellationToken.None));

        Assert.Contains("first.admin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("demo password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoAccounts.Users[0].Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DemoOff_CreatesNoDemoAccountsNorKeyButTheConfiguredAdminAndKeys()
    {
        var key = TestSecrets.Register("provisioned key", "provisioned-key-0123456789abcdef");
        var bootstrap = Bootstrap(demo: false, new SecurityOptions
        {
            BootstrapAdmin = new BootstrapAdmin { UserName = "first.admin", Password = TestSecrets.Register("bootstrap admin password", "First-Admin-Strong-77") },
            BootstrapApiKeys = [new BootstrapApiKey { Name = "gateway", Key = key, Scopes = [Scopes.ReadingsWrite], CommunityId = null }],
        });

        await bootstrap.RunAsync(CancellationToken.None);
        await bootstrap.RunAsync(CancellationToken.None); // a restart provisions nothing twice

        await using var c = await _db.OpenAsync();
        Assert.Equal(["first.admin"], await c.QueryAsync<string>("SELECT UserName FROM AppUser"));
        var keys = (await c.QueryAsync<(string Name, string KeyHash, string Scopes)>("SELECT Name, KeyHash, Scopes FROM ApiKey")).ToList();
        var k = Assert.Single(keys);
        Assert.Equal("gateway", k.Name);
        Assert.Equal(Secrets.Hash(key), k.KeyHash);
        Assert.Equal(Scopes.ReadingsWrite, k.Scopes);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM ApiKey WHERE KeyHash = @H", new { H = Secrets.Hash(DemoAccounts.ApiKey) }));
    }
}
