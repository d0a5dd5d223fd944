using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Alarms;

/// <summary>Configuration section <c>Alarms</c>: how camera alerts fold and what raises a notice.</summary>
public sealed class AlarmOptions
{
    public const string SectionName = "Alarms";

    /// <summary>Repeats of one camera and kind within this many seconds of the open alert's last occurrence fold into it.</summary>
    public int FoldWindowSeconds { get; set; } = 300;

    /// <summary>A fire/smoke alert at or above this confidence raises a notice (wall banner, console notification).</summary>
    public double NoticeConfidence { get; set; } = 0.8;

    /// <summary>The alert kinds a high-confidence alert of raises a notice for.</summary>
    public IList<string> NoticeKinds { get; } = ["fire_smoke"];

    /// <summary>Whether the wall plays a sound while a banner is up (off by default).</summary>
    public bool Sound { get; set; }

    public TimeSpan FoldWindow => TimeSpan.FromSeconds(Math.Max(0, FoldWindowSeconds));

    public bool RaisesNotice(string kind, double confidence) => confidence >= NoticeConfidence && NoticeKinds.Contains(kind);
}

public enum AlertAction
{
    Acknowledge = 1,
    Dismiss = 2,
}

/// <summary>What an action does to an alert in a given status.</summary>
public enum ActionOutcome
{
    /// <summary>The status moves; write it and its audit row.</summary>
    Changes = 1,
    /// <summary>The alert is so already (or handled beyond it): 200 with the current state, nothing written.</summary>
    AlreadyDone = 2,
    /// <summary>The action contradicts what was decided (dismissing an alert turned into an incident): 409.</summary>
    Conflict = 3,
}

/// <summary>
/// A camera alert's life: New → Acknowledged → Dismissed (false alarm) or Converted (turned into an incident by the
/// incident loop). Acting twice is idempotent: the second answer is the current state. Acknowledging an alert that was
/// dismissed or converted already changes nothing (it was handled); dismissing a converted one is a conflict.
/// Time to acknowledge is <c>AcknowledgedAt - OccurredAt</c>; dismissing a New alert acknowledges it at the same instant.
/// </summary>
public static class AlertLifecycle
{
    public static ActionOutcome Decide(AlertStatus current, AlertAction action) => (current, action) switch
    {
        (AlertStatus.New, _) => ActionOutcome.Changes,
        (AlertStatus.Acknowledged, AlertAction.Dismiss) => ActionOutcome.Changes,
        (AlertStatus.Converted, AlertAction.Dismiss) => ActionOutcome.Conflict,
        _ => ActionOutcome.AlreadyDone,
    };

    public static AlertStatus Target(AlertAction action) => action == AlertAction.Dismiss ? AlertStatus.Dismissed : AlertStatus.Acknowledged;

    /// <summary>Whole seconds from the alert to its acknowledgement; null while unacknowledged.</summary>
    public static double? SecondsToAcknowledge(DateTimeOffset occurredAt, DateTimeOffset? acknowledgedAt) =>
        acknowledgedAt is { } at ? Math.Max(0, Math.Round((at - occurredAt).TotalSeconds, 1)) : null;
}

/// <summary>A camera alert as the alarm lists and actions answer it.</summary>
public sealed record CameraAlertView(
    long Id, int CameraId, string CameraCode, string CameraName, int GridId, string Kind, double Confidence,
    DateTimeOffset OccurredAt, DateTimeOffset? LastOccurredAt, int RepeatCount, string Status,
    DateTimeOffset? AcknowledgedAt, int? AcknowledgedByUserId, DateTimeOffset? ClosedAt, long? IncidentId,
    double? SecondsToAcknowledge, bool HasSnapshot = false);

/// <summary>A waterlogging alarm (a level or a rate of rise a point raised) as the lists and actions answer it.</summary>
public sealed record WaterAlarmView(
    long Id, int WaterPointId, string PointCode, string PointName, string PointNameZh, int GridId, string Kind,
    DateTimeOffset RaisedAt, double DepthCm, double PeakDepthCm, DateTimeOffset? ClearedAt,
    DateTimeOffset? AcknowledgedAt, int? AcknowledgedByUserId, long? IncidentId, double? SecondsToAcknowledge);
