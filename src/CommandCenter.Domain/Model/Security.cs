namespace CommandCenter.Domain.Model;

/// <summary>Who made a change: a person, a wall-screen device, an integration's API key, or the system itself.</summary>
public enum ActorKind
{
    System = 0,
    User = 1,
    Device = 2,
    ApiKey = 3,
}

/// <summary>The author of a change, written to the audit log with the change, in the same transaction.</summary>
public sealed record Actor(ActorKind Kind, string Id, string Name, int? CommunityId = null, string? RemoteIp = null)
{
    public static Actor System(string name) => new(ActorKind.System, name, name);

    /// <summary>The system itself: the simulator, jobs.</summary>
    public static readonly Actor SystemActor = System("system");

    /// <summary>Whether this actor may see and write in <paramref name="communityId"/>; one scoped elsewhere is told "not known".</summary>
    public bool Sees(int communityId) => CommunityId is null || CommunityId == communityId;
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Leader = "Leader";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    /// <summary>The role of a wall-screen device's principal (read-only).</summary>
    public const string Device = "Device";

    public static readonly IReadOnlyList<string> People = [Admin, Leader, Operator, Viewer];

    /// <summary>Only operators and viewers may be scoped to one community.</summary>
    public static bool MayBeScoped(string role) => role is Operator or Viewer;
}

/// <summary>What an API key may call.</summary>
public static class Scopes
{
    public const string IncidentsWrite = "incidents:write";
    public const string IncidentsRead = "incidents:read";
    public const string ReadingsWrite = "readings:write";
    public const string AlertsWrite = "alerts:write";
    public const string PatrolsWrite = "patrols:write";
    public const string VisitsWrite = "visits:write";
    public const string GridsWrite = "grids:write";
    public const string LiveRead = "live:read";

    /// <summary>A staff member's personal token for the field app (/api/v1/field/…): acts as that staff member.</summary>
    public const string Field = "field";

    /// <summary>The device registry for integrators: list, register, edit, retire and import cameras and waterlogging points, read their history.</summary>
    public const string DevicesWrite = "devices:write";

    public static readonly IReadOnlyList<string> All =
        [IncidentsWrite, IncidentsRead, ReadingsWrite, AlertsWrite, PatrolsWrite, VisitsWrite, GridsWrite, LiveRead, Field, DevicesWrite];

    /// <summary>Suggested scopes per kind of integration, for the key administration page.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Presets = new Dictionary<string, IReadOnlyList<string>>
    {
        ["field-app"] = [IncidentsWrite, IncidentsRead, PatrolsWrite, VisitsWrite],
        ["camera-platform"] = [AlertsWrite, IncidentsWrite],
        ["sensor-gateway"] = [ReadingsWrite],
        ["hotline"] = [IncidentsWrite, IncidentsRead],
        ["screen-client"] = [LiveRead],
    };
}
