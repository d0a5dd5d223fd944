using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Security;

/// <summary>The documented demo accounts and key (README). Outside the demo none of these passwords may remain on an Admin.</summary>
public static class DemoAccounts
{
    public const string ApiKey = "demo-key-change-me";

    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Role, int? CommunityId, string Password)> Users =
    [
        ("admin", "Demo administrator", Roles.Admin, null, "Shield-2026-demo"),
        ("leader", "Demo leader", Roles.Leader, null, "Review-2026-demo"),
        ("operator", "Demo duty operator", Roles.Operator, null, "Dispatch-2026-demo"),
        ("viewer", "Demo viewer", Roles.Viewer, null, "Watch-2026-demo"),
        ("guangming.operator", "Guangming community operator", Roles.Operator, 1, "Guangming-2026-demo"),
    ];

    public static IEnumerable<string> Passwords => Users.Select(u => u.Password);
}
