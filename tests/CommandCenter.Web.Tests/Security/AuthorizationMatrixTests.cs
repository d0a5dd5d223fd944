using System.Net;
using System.Reflection;
using System.Text;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Live;
using CommandCenter.Web.Tests.Integration;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using static CommandCenter.Web.Tests.Security.Caller;

namespace CommandCenter.Web.Tests.Security;

/// <summary>
/// Who may call what: every page, endpoint and hub method the app maps, checked against a declared rule for each
/// kind of caller, by calling it over the test server with real credentials.
/// <para>
/// What is enumerated: every <see cref="RouteEndpoint"/> of the app's <see cref="EndpointDataSource"/> (minimal APIs,
/// account form posts, Razor component pages, the live hub's negotiate and connection routes, health, OpenAPI),
/// by route pattern and HTTP method. Left out, on purpose: static files (endpoints carrying a
/// <see cref="StaticAssetDescriptor"/>, and the static-file fallback <c>{**path:file}</c>), which are public by design
/// and hold no data; and the framework's own <c>/_framework/*</c> and <c>/_blazor*</c> plumbing (the interactive
/// circuit), whose pages are authorized by the page endpoints checked here. A mapped endpoint without a rule fails
/// <see cref="Endpoints_EveryMappedEndpoint_HasARule"/>: add one to <see cref="Rules"/> when you add an endpoint.
/// </para>
/// <para>
/// Expected answers: anonymous callers that are not let in get 401 (API and hub: always, never a redirect) or a redirect
/// to /login with a return URL (pages); signed-in callers, devices and keys that are not let in get 403 (API and hub:
/// always) or a redirect to /denied (pages); callers that
/// are let in get anything else below 500 (an empty or invalid body answering 400, or an unknown id answering 404,
/// still means the caller got past authorization).
/// </para>
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuthorizationMatrixTests(CommandCenterFactory app)
{
    private static readonly Caller[] People = [Admin, Leader, Operator, Viewer, ScopedOperator];
    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();
    private static readonly Caller[] Operators = [Operator, ScopedOperator];

    /// <summary>
    /// A rule: who is let in, and for keys which scope is "the needed one" (null: no scope opens it; the key with
    /// the scope is then a key with every scope, and the key without it one with only readings:write).
    /// <see cref="Probe"/> lists the methods to try for endpoints that accept any method (hubs, health).
    /// </summary>
    private sealed record Rule(string? Scope, Caller[] Allowed, string[]? Probe = null);

    private static Rule Anyone(params string[] probe) => new(null, Everyone, probe.Length > 0 ? probe : null);

    private static Rule Key(string scope) => new(scope, [KeyWithScope]);

    private static Rule Read(string scope, params Caller[] also) => new(scope, [.. People, .. also, KeyWithScope]);

    /// <summary>"METHOD /route/pattern" → who may call it. Methods "*" are endpoints that accept any method.</summary>
    private static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        // Pages (Razor components; GET renders, POST is the enhanced-form post of the same page).
        ["GET /"] = new(null, [.. People, Device]),
        ["POST /"] = new(null, [.. People, Device]),
        ["GET /operations"] = new(null, Operators),
        ["POST /operations"] = new(null, Operators),
        ["GET /incidents"] = new(null, [Admin, Leader, .. Operators]),
        ["POST /incidents"] = new(null, [Admin, Leader, .. Operators]),
        ["GET /incidents/{Id:long}"] = new(null, [Admin, Leader, .. Operators]),
        ["POST /incidents/{Id:long}"] = new(null, [Admin, Leader, .. Operators]),
        ["GET /incidents/new"] = new(null, [Admin, .. Operators]),
        ["POST /incidents/new"] = new(null, [Admin, .. Operators]),
        ["GET /admin/departments"] = new(null, [Admin]),
        ["POST /admin/departments"] = new(null, [Admin]),
        ["GET /admin/deadlines"] = new(null, [Admin]),
        ["POST /admin/deadlines"] = new(null, [Admin]),
        ["GET /field"] = new(null, [Admin, .. Operators]), // and people linked to a staff record: FieldPagePolicyTests
        ["POST /field"] = new(null, [Admin, .. Operators]),
        ["GET /audit"] = new(null, [Admin, Leader]),
        ["POST /audit"] = new(null, [Admin, Leader]),
        ["GET /admin/users"] = new(null, [Admin]),
        ["POST /admin/users"] = new(null, [Admin]),
        ["GET /admin/keys"] = new(null, [Admin]),
        ["POST /admin/keys"] = new(null, [Admin]),
        ["GET /admin/devices"] = new(null, [Admin]),
        ["POST /admin/devices"] = new(null, [Admin]),
        ["GET /devices"] = new(null, People),
        ["POST /devices"] = new(null, People),
        ["GET /devices/points/{Code}"] = new(null, People),
        ["POST /devices/points/{Code}"] = new(null, People),
        ["GET /admin/mqtt"] = new(null, [Admin]),
        ["POST /admin/mqtt"] = new(null, [Admin]),
        ["GET /admin/jobs"] = new(null, [Admin]),
        ["POST /admin/jobs"] = new(null, [Admin]),
        ["GET /points"] = new(null, [Admin, .. Operators]),
        ["POST /points"] = new(null, [Admin, .. Operators]),
        ["GET /admin/points-rules"] = new(null, [Admin, Leader]),
        ["POST /admin/points-rules"] = new(null, [Admin, Leader]),
        ["GET /admin/assessment-weights"] = new(null, [Admin, Leader]),
        ["GET /reports"] = new(null, [Admin, Leader]),
        ["POST /reports"] = new(null, [Admin, Leader]),
        ["POST /admin/assessment-weights"] = new(null, [Admin, Leader]),
        ["GET /review"] = new(null, [Admin, Leader]),
        ["POST /review"] = new(null, [Admin, Leader]),
        ["GET /account/password"] = new(null, People),
        ["POST /account/password"] = new(null, People),
        ["GET /login"] = Anyone(),
        ["POST /login"] = Anyone(),
        ["GET /denied"] = Anyone(),
        ["POST /denied"] = Anyone(),
        ["GET /device/enroll"] = Anyone(),
        ["POST /device/enroll"] = Anyone(), // the page and the enrollment form post share the route

        // Account form posts.
        ["POST /account/login"] = Anyone(),
        ["POST /account/logout"] = new(null, People),
        ["GET /culture/{culture}"] = Anyone(),

        // Public API.
        ["POST /api/v1/incidents"] = Key(Scopes.IncidentsWrite),
        ["GET /api/v1/incidents/{id:long}"] = Read(Scopes.IncidentsRead),
        ["GET /api/v1/incidents"] = Read(Scopes.IncidentsRead),
        ["POST /api/v1/incidents/{id:long}/actions/{action}"] = new(Scopes.IncidentsWrite, [Admin, Operator, ScopedOperator, KeyWithScope]),
        ["POST /api/v1/readings"] = Key(Scopes.ReadingsWrite),
        ["POST /api/v1/camera-alerts"] = Key(Scopes.AlertsWrite),
        ["POST /api/v1/patrols"] = Key(Scopes.PatrolsWrite),
        ["POST /api/v1/visits"] = Key(Scopes.VisitsWrite),
        ["POST /api/v1/grids/boundaries"] = Key(Scopes.GridsWrite),
        ["GET /api/v1/snapshot"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/diagnostics"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/camera-alerts"] = new(null, People),
        ["POST /api/v1/camera-alerts/{id:long}/acknowledge"] = new(null, [Admin, .. Operators]),
        ["POST /api/v1/camera-alerts/{id:long}/dismiss"] = new(null, [Admin, .. Operators]),
        ["GET /api/v1/water-alarms"] = new(null, People),
        ["POST /api/v1/water-alarms/{id:long}/acknowledge"] = new(null, [Admin, .. Operators]),
        ["GET /api/v1/jobs"] = new(null, [Admin]),
        ["POST /api/v1/jobs/{group}/{name}/run"] = new(null, [Admin]),
        // Issue 9, field part: the field API acts as a staff member — a key with the field scope but no staff record
        // (the matrix's all-scopes key) is refused with 403; FieldApiTests covers a staff member's personal token.
        ["POST /api/v1/field/incidents"] = new(Scopes.Field, []),
        ["GET /api/v1/field/incidents"] = new(Scopes.Field, []),
        ["GET /api/v1/field/incidents/{id:long}"] = new(Scopes.Field, []),
        ["POST /api/v1/field/incidents/{id:long}/accept"] = new(Scopes.Field, []),
        ["POST /api/v1/field/incidents/{id:long}/feedback"] = new(Scopes.Field, []),
        ["POST /api/v1/camera-alerts/{id:long}/incident"] = new(Scopes.IncidentsWrite, [Admin, Operator, ScopedOperator, KeyWithScope]),
        ["POST /api/v1/water-alarms/{id:long}/incident"] = new(Scopes.IncidentsWrite, [Admin, Operator, ScopedOperator, KeyWithScope]),
        ["GET /api/v1/departments"] = Read(Scopes.IncidentsRead),
        ["POST /api/v1/departments"] = new(null, [Admin]),
        ["PUT /api/v1/departments/{id:int}"] = new(null, [Admin]),
        ["POST /api/v1/departments/{id:int}/deactivate"] = new(null, [Admin]),
        ["POST /api/v1/departments/{id:int}/activate"] = new(null, [Admin]),
        ["GET /api/v1/deadlines"] = Read(Scopes.IncidentsRead),
        ["PUT /api/v1/deadlines"] = new(null, [Admin]),
        ["PUT /api/v1/users/{id:int}/staff"] = new(null, [Admin]),
        ["GET /api/v1/staff/{staffId:int}/tokens"] = new(null, [Admin]),
        ["POST /api/v1/staff/{staffId:int}/tokens"] = new(null, [Admin]),
        ["DELETE /api/v1/staff/{staffId:int}/tokens/{id:int}"] = new(null, [Admin]),

        // Points (issue 11): leaderboards as the live reads; a person's points for people; redemptions and new rule
        // versions for Admins; rule versions for Admins and Leaders; volunteer service and contact visits for operators and Admins.
        ["GET /api/v1/points/people/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/points/grids/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/points/communities/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/points/staff/{staffId:int}"] = new(null, People),
        ["POST /api/v1/points/redemptions"] = new(null, [Admin]),
        ["GET /api/v1/points/rules"] = new(null, [Admin, Leader]),
        ["POST /api/v1/points/rules"] = new(null, [Admin]),
        // Assessments (issue 11): rankings and grades read like the leaderboards; settings versions for Leaders and Admins, new ones by Admins.
        ["GET /api/v1/assessments/grids/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/assessments/communities/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/assessments/people/{period}"] = Read(Scopes.LiveRead, Device),
        ["GET /api/v1/assessments/settings"] = new(null, [Admin, Leader]),
        ["POST /api/v1/assessments/settings"] = new(null, [Admin]),
        // Assessment reports (issue 12): Leaders and Admins.
        ["GET /api/v1/reports"] = new(null, [Admin, Leader]),
        ["POST /api/v1/reports"] = new(null, [Admin, Leader]),
        ["GET /api/v1/reports/{id:long}"] = new(null, [Admin, Leader]),
        ["GET /api/v1/reports/{id:long}/{format}"] = new(null, [Admin, Leader]),
        ["GET /api/v1/audit.csv"] = new(null, [Admin, Leader]),
        // The loop and field endpoints of the base branch (rows as on main; identical keys overwrite, so merging main is harmless).
        ["GET /api/v1/volunteer-services"] = new(null, [Admin, .. Operators]),
        ["POST /api/v1/volunteer-services"] = new(null, [Admin, .. Operators]),
        ["GET /api/v1/contact-visits"] = new(null, [Admin, .. Operators]),
        ["POST /api/v1/contact-visits"] = new(null, [Admin, .. Operators]),
        // Open311 GeoReport v2: reads as the API's reads; reporting with a key (header here; the api_key form field in Open311ApiTests).
        ["GET /open311/v2/services.{format}"] = Read(Scopes.IncidentsRead),
        ["GET /open311/v2/services/{code}.{format}"] = Read(Scopes.IncidentsRead),
        ["GET /open311/v2/requests.{format}"] = Read(Scopes.IncidentsRead),
        ["GET /open311/v2/requests/{id}.{format}"] = Read(Scopes.IncidentsRead),
        ["POST /open311/v2/requests.{format}"] = Key(Scopes.IncidentsWrite),
        // The device registry: people read it, Admin or a devices:write key changes it.
        ["GET /api/v1/cameras"] = Read(Scopes.DevicesWrite),
        ["GET /api/v1/cameras/{code}"] = Read(Scopes.DevicesWrite),
        ["POST /api/v1/cameras"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["PUT /api/v1/cameras/{code}"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["POST /api/v1/cameras/{code}/retire"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["POST /api/v1/cameras/import"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["GET /api/v1/water-points"] = Read(Scopes.DevicesWrite),
        ["GET /api/v1/water-points/{code}"] = Read(Scopes.DevicesWrite),
        ["POST /api/v1/water-points"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["PUT /api/v1/water-points/{code}"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["POST /api/v1/water-points/{code}/retire"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["POST /api/v1/water-points/import"] = new(Scopes.DevicesWrite, [Admin, KeyWithScope]),
        ["GET /api/v1/water-points/{code}/readings"] = Read(Scopes.DevicesWrite),
        ["GET /api/v1/water-points/{code}/alarms"] = Read(Scopes.DevicesWrite),

        // Points (issue 11): leaderboards as the live reads; a person's points for people; redemptions and new rule
        // versions for Admins; rule versions for Admins and Leaders; volunteer service and contact visits for operators and Admins.
        // Assessments (issue 11): rankings and grades read like the leaderboards; settings versions for Leaders and Admins, new ones by Admins.

        // The live hub: negotiate, then the connection itself (long polling GET/POST, close DELETE).
        ["* /hubs/live/negotiate"] = new(Scopes.LiveRead, [.. People, Device, KeyWithScope], ["POST"]),
        ["* /hubs/live"] = new(Scopes.LiveRead, [.. People, Device, KeyWithScope], ["GET", "POST", "DELETE"]),

        // Operations.
        ["* /health/live"] = Anyone("GET"),
        ["* /health/ready"] = Anyone("GET"),
        ["GET /openapi/{documentName}.json"] = Anyone(),
    };

    /// <summary>
    /// Calls whose authorization also depends on the query string: "METHOD /route/pattern?query" → who may call it that way.
    /// The route itself has its rule in <see cref="Rules"/> (what everyone else may do without the query).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Rule> QueryRules = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        // A forced full GC stalls the node: Admin only (plain diagnostics stay live:read).
        ["GET /api/v1/diagnostics?gc=true"] = new(Scopes.LiveRead, [Admin]),
    };

    /// <summary>Hub methods clients can invoke → who may invoke them (and the arguments to call them with).</summary>
    private static readonly IReadOnlyDictionary<string, (Rule Rule, object?[] Args)> HubRules = new Dictionary<string, (Rule, object?[])>(StringComparer.Ordinal)
    {
        [nameof(LiveHub.GetSnapshot)] = (new Rule(Scopes.LiveRead, [.. People, Device, KeyWithScope]), []),
    };

    /// <summary>Sample values for route parameters: ids that do not exist (so nothing changes), valid names.</summary>
    private static readonly IReadOnlyDictionary<string, string> RouteValues = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["id"] = "999999999",
        ["Id"] = "999999999",
        ["staffId"] = "999999",
        ["culture"] = "en-US",
        ["documentName"] = "v1",
        ["period"] = "2026-W47",
        ["format"] = "json",
        ["code"] = "noise",
        ["Code"] = "NO-SUCH-DEVICE",
        ["action"] = "verify",
        ["group"] = "no-such-group",
        ["name"] = "no-such-job",
    };

    private static readonly IReadOnlyDictionary<string, string> QueryFor = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["* /hubs/live/negotiate"] = "?negotiateVersion=1",
    };

    private IReadOnlyList<(string Key, RouteEndpoint Endpoint)> MappedEndpoints()
    {
        var endpoints = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .Where(e => !(e.RoutePattern.RawText ?? "").Contains(":file}", StringComparison.Ordinal))
            .Where(e => !IsFrameworkPlumbing(e.RoutePattern.RawText ?? ""))
            .ToList();
        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found: the enumeration itself is broken");
        return endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["*"])
                .Where(m => m != "HEAD") // HEAD is answered as GET
                .Select(m => ($"{m} {Normalise(e.RoutePattern.RawText!)}", e)))
            .ToList();
    }

    private static bool IsApi(string pattern) =>
        pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/hubs/", StringComparison.Ordinal) || pattern.StartsWith("/open311/", StringComparison.Ordinal);

    private static bool IsFrameworkPlumbing(string pattern)
    {
        var p = Normalise(pattern);
        return p.StartsWith("/_framework/", StringComparison.Ordinal) || p == "/_blazor" || p.StartsWith("/_blazor/", StringComparison.Ordinal);
    }

    private static string Normalise(string pattern)
    {
        var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }

    [Fact]
    public void Endpoints_EveryMappedEndpoint_HasARule()
    {
        var mapped = MappedEndpoints().Select(m => m.Key).ToHashSet(StringComparer.Ordinal);

        var missing = mapped.Where(k => !Rules.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var stale = Rules.Keys.Where(k => !mapped.Contains(k)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "New endpoint(s) without a rule — add them to AuthorizationMatrixTests.Rules:\n  " + string.Join("\n  ", missing));
        Assert.True(stale.Count == 0, "Rule(s) for endpoints the app no longer maps — remove them:\n  " + string.Join("\n  ", stale));
    }

    [Fact]
    public void Endpoints_EveryMappedEndpoint_DeclaresItsAuthorizationExplicitly()
    {
        // Nothing may rely on the fallback policy by accident: each endpoint names a policy or says it is public.
        var implicitOnes = MappedEndpoints()
            .Where(m => m.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
                        && !m.Endpoint.Metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(m => m.Key).Distinct().ToList();

        Assert.True(implicitOnes.Count == 0, "Endpoint(s) with neither a named policy nor AllowAnonymous:\n  " + string.Join("\n  ", implicitOnes));
    }

    [Fact]
    public async Task Endpoints_EachCaller_GetsExactlyWhatTheRuleAllows()
    {
        var callers = await Callers.ForAsync(app);
        var mapped = MappedEndpoints().Select(m => m.Key).Distinct(StringComparer.Ordinal)
            .Where(Rules.ContainsKey)
            .OrderBy(k => k == "POST /account/logout" ? 1 : 0) // signing out last, although the test keeps its own cookies
            .ThenBy(k => k, StringComparer.Ordinal)
            .ToList();
        var failures = new List<string>();
        var checkedCalls = 0;

        foreach (var key in mapped)
        {
            var rule = Rules[key];
            var pattern = key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            var methods = key.StartsWith("* ", StringComparison.Ordinal) ? rule.Probe ?? throw new InvalidOperationException($"{key}: list the methods to probe") : [key[..key.IndexOf(' ', StringComparison.Ordinal)]];
            var path = Concrete(pattern) + QueryFor.GetValueOrDefault(key, "");
            foreach (var method in methods)
            {
                foreach (var caller in Everyone)
                {
                    var expected = rule.Allowed.Contains(caller) ? Outcome.Allowed : caller == Anonymous ? Outcome.Unauthenticated : Outcome.Forbidden;
                    using var response = await callers.SendAsync(caller, rule.Scope, new HttpMethod(method), path, BodyFor(method, pattern));
                    var actual = Outcomes.Classify(response);
                    checkedCalls++;
                    var status = (int)response.StatusCode;
                    var redirectedApi = actual != Outcome.Allowed && status is >= 300 and < 400 && IsApi(pattern); // machines get 401/403, never a sign-in page
                    if (actual != expected || redirectedApi || (expected == Outcome.Allowed && (status >= 500 || status == 429)))
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        failures.Add($"{method} {path} as {caller}: expected {expected}, got {status} {response.Headers.Location} {body[..Math.Min(200, body.Length)]}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCalls} calls broke their rule:\n  " + string.Join("\n  ", failures));
        Assert.True(checkedCalls > 300, $"only {checkedCalls} calls were checked");
    }

    [Fact]
    public async Task QueryVariants_EachCaller_GetsExactlyWhatTheRuleAllows()
    {
        var callers = await Callers.ForAsync(app);
        var failures = new List<string>();

        foreach (var (key, rule) in QueryRules)
        {
            var method = key[..key.IndexOf(' ', StringComparison.Ordinal)];
            var pathAndQuery = key[(method.Length + 1)..];
            var pattern = pathAndQuery[..pathAndQuery.IndexOf('?', StringComparison.Ordinal)];
            Assert.True(Rules.ContainsKey($"{method} {pattern}"), $"{key}: the route itself has no rule in Rules");
            foreach (var caller in Everyone)
            {
                var expected = rule.Allowed.Contains(caller) ? Outcome.Allowed : caller == Anonymous ? Outcome.Unauthenticated : Outcome.Forbidden;
                using var response = await callers.SendAsync(caller, rule.Scope, new HttpMethod(method), Concrete(pattern) + pathAndQuery[pattern.Length..], BodyFor(method, pattern));
                var actual = Outcomes.Classify(response);
                var problem = actual == Outcome.Allowed || !IsApi(pattern) || response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if (actual != expected || !problem || (expected == Outcome.Allowed && (int)response.StatusCode >= 400))
                {
                    failures.Add($"{key} as {caller}: expected {expected}, got {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void HubMethods_EveryInvokableMethod_HasARule()
    {
        var invokable = typeof(LiveHub).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName)
            .Where(m => m.DeclaringType is { } t && t != typeof(object) && t != typeof(Hub) && !(t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Hub<>)))
            .Where(m => m.GetBaseDefinition().DeclaringType == m.DeclaringType) // overrides of OnConnectedAsync etc. are not invokable
            .Select(m => m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name)
            .ToHashSet(StringComparer.Ordinal);

        var missing = invokable.Where(n => !HubRules.ContainsKey(n)).ToList();
        var stale = HubRules.Keys.Where(n => !invokable.Contains(n)).ToList();

        Assert.NotEmpty(invokable);
        Assert.True(missing.Count == 0, "Hub method(s) without a rule — add them to AuthorizationMatrixTests.HubRules: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "Rule(s) for hub methods LiveHub no longer has: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task HubMethods_EachCaller_CanInvokeExactlyWhatTheRuleAllows()
    {
        var callers = await Callers.ForAsync(app);
        var failures = new List<string>();

        foreach (var (method, (rule, args)) in HubRules)
        {
            foreach (var caller in Everyone)
            {
                var expected = rule.Allowed.Contains(caller) ? Outcome.Allowed : caller == Anonymous ? Outcome.Unauthenticated : Outcome.Forbidden;
                var actual = await InvokeAsync(callers, caller, rule.Scope, method, args);
                if (actual != expected)
                {
                    failures.Add($"{method} as {caller}: expected {expected}, got {actual}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<Outcome> InvokeAsync(Callers callers, Caller caller, string? scope, string method, object?[] args)
    {
        await using var hub = callers.Hub(caller, scope);
        try
        {
            await hub.StartAsync();
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return Outcome.Unauthenticated;
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return Outcome.Forbidden;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await hub.InvokeCoreAsync(method, typeof(object), args, timeout.Token);
            return Outcome.Allowed;
        }
        catch (HubException ex) when (ex.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Forbidden;
        }
    }

    private static string Concrete(string pattern)
    {
        var parts = pattern.Split('/').Select(segment =>
        {
            var start = segment.IndexOf('{', StringComparison.Ordinal);
            if (start < 0) return segment;
            var end = segment.IndexOf('}', start);
            var name = segment[(start + 1)..end].TrimStart('*').Split(':', '=', '?')[0];
            var value = RouteValues.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"Give a sample value for route parameter '{name}' in RouteValues.");
            return segment[..start] + value + segment[(end + 1)..];
        });
        return string.Join('/', parts);
    }

    /// <summary>An empty JSON object for the API, an empty form for pages and form posts: enough to get past routing.</summary>
    private static HttpContent? BodyFor(string method, string pattern) =>
        method is "GET" or "DELETE" ? null
        : IsApi(pattern)
            ? new StringContent("{}", Encoding.UTF8, "application/json")
            : new FormUrlEncodedContent([]);
}
