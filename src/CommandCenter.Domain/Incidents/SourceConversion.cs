using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Incidents;

/// <summary>
/// How a camera alert or a waterlogging alarm becomes an incident (issue 9): its category, priority and title. The
/// incident keeps the alert's grid and coordinates; the handler links both ways.
/// </summary>
public static class SourceConversion
{
    /// <summary>The incident category of a camera detection; null for a kind that is not a detection (camera offline/online).</summary>
    public static string? CategoryOf(string alertKind) => alertKind switch
    {
        "fire_smoke" => "fire",
        "crowd" => "safety_hazard",
        "road_occupation" => "road_occupation",
        "garbage_overflow" => "sanitation",
        "illegal_parking" => "road_occupation",
        "intrusion" => "safety_hazard",
        _ => null,
    };

    public static IncidentPriority PriorityOf(string alertKind) => alertKind == "fire_smoke" ? IncidentPriority.Urgent : IncidentPriority.Normal;

    /// <summary>The title: the kind in Chinese and English, then the camera (its Chinese name where the data has one).</summary>
    public static string CameraTitle(string alertKind, string cameraName, string? cameraNameZh)
    {
        var kind = AlertKinds.Get(alertKind);
        return Cut($"{kind.NameZh} {kind.NameEn} · {(string.IsNullOrWhiteSpace(cameraNameZh) ? cameraName : cameraNameZh)}");
    }

    public static string CameraDescription(string alertKind, string cameraCode, double confidence, DateTimeOffset occurredAt, int repeatCount) =>
        $"Camera {cameraCode} detected {alertKind} (confidence {confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}) at " +
        $"{occurredAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}" + (repeatCount > 1 ? $", {repeatCount} times." : ".");

    /// <summary>Waterlogging alarms are flooding incidents.</summary>
    public const string WaterCategory = "flooding";

    /// <summary>1 warning, 2 alarm, 3 rate of rise (WaterAlarm.Kind): an alarm or a fast rise is urgent.</summary>
    public static IncidentPriority WaterPriorityOf(int alarmKind) => alarmKind == 1 ? IncidentPriority.Normal : IncidentPriority.Urgent;

    public static string WaterTitle(int alarmKind, string pointName, string? pointNameZh)
    {
        var kind = alarmKind switch
        {
            1 => "积水预警 Waterlogging warning",
            2 => "积水报警 Waterlogging alarm",
            _ => "水位快速上涨 Water rising fast",
        };
        return Cut($"{kind} · {(string.IsNullOrWhiteSpace(pointNameZh) ? pointName : pointNameZh)}");
    }

    public static string WaterDescription(string pointCode, double depthCm, double peakDepthCm, DateTimeOffset raisedAt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Water point {pointCode}: {depthCm:0.#} cm when raised at {raisedAt:u}, peak {peakDepthCm:0.#} cm.");

    private const int MaxTitleLength = 200;

    private static string Cut(string title) => title.Length <= MaxTitleLength ? title : title[..MaxTitleLength];
}
