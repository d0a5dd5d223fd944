using CommandCenter.Domain.Readings;

namespace CommandCenter.Demo.Simulation;

/// <summary>What the demo's duty desk does with a camera alert.</summary>
public enum DeskAction
{
    Acknowledge,
    /// <summary>Dismissed as a false alert (which acknowledges it at the same instant).</summary>
    Dismiss,
    /// <summary>Acknowledged and turned into an incident at once.</summary>
    Convert,
}

/// <summary>
/// How the demo street's duty operators handle what the devices raise, in the live simulator and in the seeded history
/// alike: of the camera detections about 85 % are acknowledged, 12 % dismissed as false and 3 % turned into incidents
/// (a confident fire/smoke detection far more often), after 1–15 minutes skewed short (a confident fire/smoke detection
/// within 1–5); every waterlogging alarm is acknowledged, an Alarm or rate-of-rise within 1–10 minutes, a warning within 1–15.
/// Draws from the caller's <see cref="Random"/> only, so a seeded caller stays deterministic.
/// </summary>
public static class DutyDeskPolicy
{
    /// <summary>A fire/smoke detection at this confidence or above is urgent (the wall's notice rule, <c>LiveBoard.RaisesNotice</c>).</summary>
    public const double UrgentConfidence = 0.8;

    public static bool IsUrgent(string kind, double confidence) => kind == "fire_smoke" && confidence >= UrgentConfidence;

    /// <summary>The action and its delay in minutes after the alert occurred (two draws, always).</summary>
    public static (DeskAction Action, double Minutes) ForCameraAlert(Random rnd, string kind, double confidence)
    {
        ArgumentNullException.ThrowIfNull(rnd);
        var urgent = IsUrgent(kind, confidence);
        var x = rnd.NextDouble();
        var u = rnd.NextDouble();
        var action = urgent
            ? (x < 0.35 ? DeskAction.Convert : x < 0.97 ? DeskAction.Acknowledge : DeskAction.Dismiss)
            : (x < 0.03 ? DeskAction.Convert : x < 0.88 ? DeskAction.Acknowledge : DeskAction.Dismiss);
        var minutes = urgent ? 1 + (4 * u * u) : 1 + (14 * Math.Pow(u, 2.2));
        return (action, minutes);
    }

    /// <summary>Minutes from the alarm being raised to its acknowledgement (one draw).</summary>
    public static double ForWaterAlarm(Random rnd, WaterAlarmKind kind)
    {
        ArgumentNullException.ThrowIfNull(rnd);
        var u = rnd.NextDouble();
        return kind == WaterAlarmKind.Warning ? 1 + (14 * Math.Pow(u, 1.6)) : 1 + (9 * u * u);
    }
}
