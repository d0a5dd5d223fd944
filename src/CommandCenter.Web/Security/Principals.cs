using System.Globalization;
using System.Security.Claims;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Security;

/// <summary>The claims CommandCenter puts on a principal, and the actor a principal is in the audit log.</summary>
public static class Principals
{
    public const string KindClaim = "cc:kind";
    public const string CommunityClaim = "cc:community";
    public const string ScopeClaim = "cc:scope";
    /// <summary>People: the security stamp at sign-in. Devices: the SHA-256 of the token the device presented.</summary>
    public const string StampClaim = "cc:stamp";

    /// <summary>People: the id of the sign-in session (<see cref="CommandCenter.Data.Security.SessionService"/>), added when the cookie is issued.</summary>
    public const string SessionClaim = "cc:session";

    public const string UserKind = "user";
    public const string DeviceKind = "device";
    public const string KeyKind = "api-key";

    public static ClaimsPrincipal Create(string scheme, string kind, string id, string name, string role, int? communityId,
        IEnumerable<string>? scopes = null, string? stamp = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
            new(KindClaim, kind),
        };
        if (communityId is not null) claims.Add(new Claim(CommunityClaim, communityId.Value.ToString(CultureInfo.InvariantCulture)));
        if (stamp is not null) claims.Add(new Claim(StampClaim, stamp));
        claims.AddRange((scopes ?? []).Select(s => new Claim(ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? Kind(this ClaimsPrincipal user) => user.FindFirstValue(KindClaim);

    public static int? CommunityId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(CommunityClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static int? Id(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string? Stamp(this ClaimsPrincipal user) => user.FindFirstValue(StampClaim);

    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirstValue(SessionClaim);

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.Kind() == KeyKind && user.HasClaim(ScopeClaim, scope);

    /// <summary>The actor of an audited change made by this principal.</summary>
    public static Actor ToActor(this ClaimsPrincipal user, string? remoteIp)
    {
        var kind = user.Kind() switch
        {
            UserKind => ActorKind.User,
            DeviceKind => ActorKind.Device,
            KeyKind => ActorKind.ApiKey,
            _ => ActorKind.System,
        };
        return new Actor(kind, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "?", user.Identity?.Name ?? "?", user.CommunityId(), remoteIp);
    }
}
