namespace CommandCenter.Domain.Model;

/// <summary>An entry of a fixed catalog: a stable code stored in the database and the names shown on screens.</summary>
public sealed record CatalogEntry(string Code, string NameEn, string NameZh)
{
    public string Name(bool chinese) => chinese ? NameZh : NameEn;
}

/// <summary>Incident categories seen in the seeds, with the hours a micro-cycle incident may stay open.</summary>
public static class IncidentCategories
{
    public static readonly IReadOnlyList<(CatalogEntry Entry, int DeadlineHours)> All =
    [
        (new("safety_hazard", "Safety hazard", "安全隐患"), 24),
        (new("fire", "Fire prevention", "消防安全"), 4),
        (new("dispute", "Neighbour dispute", "邻里纠纷"), 72),
        (new("sanitation", "Environment & sanitation", "环境卫生"), 24),
        (new("road_occupation", "Road occupation", "占道经营"), 24),
        (new("illegal_construction", "Illegal construction", "违章搭建"), 120),
        (new("epidemic", "Epidemic prevention", "疫情防控"), 12),
        (new("flooding", "Flooding", "防汛排涝"), 4),
        (new("noise", "Noise", "噪音扰民"), 48),
        (new("elderly_care", "Elderly care", "养老服务"), 48),
    ];

    private static readonly Dictionary<string, (CatalogEntry Entry, int DeadlineHours)> ByCode =
        All.ToDictionary(c => c.Entry.Code, StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code);

    public static CatalogEntry Get(string code) =>
        ByCode.TryGetValue(code, out var c) ? c.Entry : new CatalogEntry(code, code, code);

    /// <summary>The deadline for an incident of this category reported at <paramref name="reportedAt"/>.</summary>
    public static DateTimeOffset DueAt(string code, DateTimeOffset reportedAt) =>
        reportedAt.AddHours(ByCode.TryGetValue(code, out var c) ? c.DeadlineHours : 48);
}

/// <summary>What a camera platform reports: AI detections and the camera's own online/offline status.</summary>
public static class AlertKinds
{
    public const string CameraOffline = "camera_offline";
    public const string CameraOnline = "camera_online";

    public static readonly IReadOnlyList<CatalogEntry> Detections =
    [
        new("fire_smoke", "Fire / smoke", "烟火"),
        new("crowd", "Crowd gathering", "人员聚集"),
        new("road_occupation", "Road occupation", "占道经营"),
        new("garbage_overflow", "Garbage overflow", "垃圾满溢"),
        new("illegal_parking", "Illegal parking", "违停"),
        new("intrusion", "Intrusion", "区域入侵"),
    ];

    public static readonly IReadOnlyList<CatalogEntry> All =
    [
        .. Detections,
        new(CameraOffline, "Camera offline", "摄像机离线"),
        new(CameraOnline, "Camera back online", "摄像机恢复在线"),
    ];

    public static bool IsKnown(string? code) => code is not null && All.Any(a => a.Code == code);

    public static CatalogEntry Get(string code) =>
        All.FirstOrDefault(a => a.Code == code) ?? new CatalogEntry(code, code, code);
}
