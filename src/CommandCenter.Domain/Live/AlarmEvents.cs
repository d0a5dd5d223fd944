using System.Text.Json.Serialization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

public enum AlarmSource
{
    CameraAlert = 1,
    WaterAlarm = 2,
}

/// <summary>
/// An operator acknowledged (or dismissed) camera alert or waterlogging alarm <see cref="Id"/>; <see cref="Status"/> is its
/// status now. It has no row of its own, so its <see cref="LiveEvent.Sequence"/> is 0: applying it twice is harmless
/// (an acknowledged notice stays acknowledged), as it is for camera statuses.
/// </summary>
public sealed record AlarmHandledEvent(AlarmSource Source, long Id, AlertStatus Status, DateTimeOffset At) : LiveEvent
{
    [JsonIgnore]
    public override EventStream Stream => EventStream.AlarmHandled;
}

/// <summary>
/// Something that must be noticed: a waterlogging point at its Alarm level (<see cref="AlarmSource.WaterAlarm"/>,
/// <see cref="Value"/> the depth in cm) or a high-confidence fire/smoke alert (<see cref="AlarmSource.CameraAlert"/>,
/// <see cref="Value"/> the confidence). <see cref="Id"/> is the row to acknowledge; <see cref="Kind"/> the alarm kind or alert kind code.
/// </summary>
public sealed record NoticeItem(AlarmSource Source, long Id, int GridId, string Name, string NameZh, string Kind, double Value, DateTimeOffset At);
