using CommandCenter.Domain.Model;
using Microsoft.AspNetCore.Authorization;

namespace CommandCenter.Web.Security;

/// <summary>Every page, endpoint and hub names one of these; the authorization matrix test checks each against each kind of caller.</summary>
public static class Policies
{
    /// <summary>The wall screen: any signed-in person or a registered wall-screen device.</summary>
    public const string WallScreen = "wall-screen";

    /// <summary>The live state for other clients (snapshot, hub): a person, a device, or a key with live:read.</summary>
    public const string LiveRead = "live-read";

    /// <summary>Reading incidents: a person, or a key with incidents:read.</summary>
    public const string IncidentsRead = "incidents-read";

    /// <summary>Handling incidents and alerts: an Operator.</summary>
    public const string Operate = "operate";

    /// <summary>Acting on incidents along the loop: an Operator or Admin, or a key with incidents:write (the loop's rules decide which action).</summary>
    public const string IncidentActions = "incident-actions";

    /// <summary>The audit log and reviews: Admin or Leader.</summary>
    public const string Review = "review";

    /// <summary>Users, keys, devices, settings: Admin.</summary>
    public const string Administer = "administer";

    /// <summary>Acknowledging and dismissing camera alerts and waterlogging alarms: an Operator or an Admin.</summary>
    public const string HandleAlarms = "handle-alarms";

    /// <summary>Any signed-in person (own account).</summary>
    public const string Person = "person";

    /// <summary>The device registry and a point's history, to read: any signed-in person, or a key with devices:write.</summary>
    public const string DevicesRead = "devices-read";

    /// <summary>The device registry, to change (register, edit, retire, import): Admin, or a key with devices:write.</summary>
    public const string DevicesAdmin = "devices-admin";
    /// <summary>The incidents' console (queue, incident pages): Admin, Leader (read-only) or Operator.</summary>
    public const string IncidentConsole = "incident-console";

    /// <summary>Reporting an incident by hand at the console: a person who is Operator or Admin (not a key).</summary>
    public const string IncidentDesk = "incident-desk";

    /// <summary>
    /// The phone page of the field: a person linked to a staff record (it shows what their units hold), or an Operator or
    /// Admin (who see a note when not linked); see <see cref="FieldPageAuthorizationHandler"/>.
    /// </summary>
    public const string FieldPage = "field-page";
    /// <summary>Points leaderboards (issue 11): a person, a wall-screen device, or a key with live:read.</summary>
    public const string PointsRead = "points-read";

    /// <summary>Recording volunteer service and contact visits (issue 11): an Operator or Admin (scoped operators in their community).</summary>
    public const string PointsRecord = "points-record";

    /// <summary>A key with the given scope.</summary>
    public static string Scope(string scope) => "scope:" + scope;

    public static void Add(AuthorizationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.AddPolicy(WallScreen, p => p.RequireAssertion(c => IsPerson(c) || c.User.Kind() == Principals.DeviceKind));
        o.AddPolicy(LiveRead, p => p.RequireAssertion(c => IsPerson(c) || c.User.Kind() == Principals.DeviceKind || c.User.HasScope(Scopes.LiveRead)));
        o.AddPolicy(IncidentsRead, p => p.RequireAssertion(c => IsPerson(c) || c.User.HasScope(Scopes.IncidentsRead)));
        o.AddPolicy(IncidentActions, p => p.RequireAssertion(c => IsPerson(c, Roles.Operator, Roles.Admin) || c.User.HasScope(Scopes.IncidentsWrite)));
        o.AddPolicy(Operate, p => p.RequireAssertion(c => IsPerson(c, Roles.Operator)));
        o.AddPolicy(Review, p => p.RequireAssertion(c => IsPerson(c, Roles.Admin, Roles.Leader)));
        o.AddPolicy(Administer, p => p.RequireAssertion(c => IsPerson(c, Roles.Admin)));
        o.AddPolicy(Person, p => p.RequireAssertion(c => IsPerson(c)));
        o.AddPolicy(DevicesRead, p => p.RequireAssertion(c => IsPerson(c) || c.User.HasScope(Scopes.DevicesWrite)));
        o.AddPolicy(DevicesAdmin, p => p.RequireAssertion(c => IsPerson(c, Roles.Admin) || c.User.HasScope(Scopes.DevicesWrite)));
        o.AddPolicy(HandleAlarms, p => p.RequireAssertion(c => IsPerson(c, Roles.Operator, Roles.Admin)));
        o.AddPolicy(IncidentConsole, p => p.RequireAssertion(c => IsPerson(c, Roles.Admin, Roles.Leader, Roles.Operator)));
        o.AddPolicy(IncidentDesk, p => p.RequireAssertion(c => IsPerson(c, Roles.Operator, Roles.Admin)));
        o.AddPolicy(FieldPage, p => p.AddRequirements(new FieldPageRequirement()));
        o.AddPolicy(PointsRead, p => p.RequireAssertion(c => IsPerson(c) || c.User.Kind() == Principals.DeviceKind || c.User.HasScope(Scopes.LiveRead)));
        o.AddPolicy(PointsRecord, p => p.RequireAssertion(c => IsPerson(c, Roles.Operator, Roles.Admin)));
        foreach (var s in Scopes.All)
        {
            o.AddPolicy(Scope(s), p => p.RequireAssertion(c => c.User.HasScope(s)));
        }

        o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    private static bool IsPerson(AuthorizationHandlerContext c, params string[] roles) =>
        c.User.Kind() == Principals.UserKind && (roles.Length == 0 || roles.Any(c.User.IsInRole));
}
