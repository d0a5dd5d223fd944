using System.Globalization;
using System.Text.Json.Serialization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live;

/// <summary>
/// The streams of live events. Within a stream, <see cref="LiveEvent.Sequence"/> is the id of the row the
/// event was written as (a step-log row, an alert, a reading, a check-in, a visit): unique and, on one
/// database, rising with the commit order of its writer. The board loads against the highest of each
/// stream (its high-water mark) and ignores any event at or below it, or applied already.
/// </summary>
public enum EventStream
{
    Incident = 1,
    CameraAlert = 2,
    CameraStatus = 3,
    Readings = 4,
    Patrol = 5,
    Visit = 6,
    /// <summary>An operator acknowledged or dismissed an alert or alarm: no row of its own (idempotent by nature, <see cref="AlarmHandledEvent"/>).</summary>
    AlarmHandled = 7,
    /// <summary>The silent-device job marked a waterlogging point on- or offline (<see cref="WaterPointStatusEvent"/>).</summary>
    WaterPointStatus = 8,
    /// <summary>A repeat folded into an open camera alert (<see cref="CameraAlertFoldedEvent"/>; the sequence is its <c>CameraAlertRepeat</c> row).</summary>
    CameraAlertRepeat = 9,
}

/// <summary>Something that changed in the street, published after its transaction committed.</summary>
[JsonDerivedType(typeof(IncidentEvent), "incident")]
[JsonDerivedType(typeof(CameraAlertEvent), "alert")]
[JsonDerivedType(typeof(CameraStatusEvent), "camera")]
[JsonDerivedType(typeof(ReadingsEvent), "readings")]
[JsonDerivedType(typeof(PatrolEvent), "patrol")]
[JsonDerivedType(typeof(VisitEvent), "visit")]
[JsonDerivedType(typeof(AlarmHandledEvent), "alarmHandled")]
[JsonDerivedType(typeof(WaterPointStatusEvent), "pointStatus")]
[JsonDerivedType(typeof(CameraAlertFoldedEvent), "alertFolded")]
public abstract record LiveEvent
{
    [JsonIgnore]
    public abstract EventStream Stream { get; }

    /// <summary>The id of the row this event was written as (see <see cref="EventStream"/>); 0 for an event with no row (tests).</summary>
    public long Sequence { get; init; }

    /// <summary>Stable across nodes and redeliveries: the stream and the sequence, e.g. <c>Incident:1042</c>.</summary>
    [JsonIgnore]
    public string EventId => Stream.ToString() + ":" + Sequence.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An incident was reported or moved to <see cref="Step"/>. <see cref="LiveEvent.Sequence"/> is its step-log row.</summary>
public sealed record IncidentEvent(
    long Id, string Number, string Category, int GridId, string Title,
    IncidentStep Step, IncidentStep? PreviousStep,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt, DateTimeOffset At) : LiveEvent
{
    public override EventStream Stream => EventStream.Incident;

    /// <summary>The cycle the incident is in after the move (a report: micro).</summary>
    public IncidentCycle Cycle { get; init; } = IncidentCycle.Micro;

    /// <summary>The loop action that moved it (null for a report).</summary>
    public Incidents.LoopAction? Action { get; init; }

    /// <summary>For a close by check: whether it was closed by its deadline (null otherwise, e.g. rejected).</summary>
    public bool? ClosedOnTime { get; init; }

    /// <summary>For a reopen: when it had been closed, and whether that close was a checked one on time (null: rejected), so the board un-counts it.</summary>
    public DateTimeOffset? PreviousClosedAt { get; init; }

    public bool? PreviousClosedOnTime { get; init; }
}

/// <summary>A camera raised an alert; <see cref="LiveEvent.Sequence"/> is <see cref="Id"/>.</summary>
public sealed record CameraAlertEvent(
    long Id, int CameraId, string Kind, double Confidence, DateTimeOffset OccurredAt) : LiveEvent
{
    public override EventStream Stream => EventStream.CameraAlert;
}

/// <summary>A camera went on- or offline at <see cref="At"/>; an older status than the one held is ignored.</summary>
public sealed record CameraStatusEvent(int CameraId, bool Online, DateTimeOffset At) : LiveEvent
{
    public override EventStream Stream => EventStream.CameraStatus;
}

/// <summary>
/// A waterlogging point went on- or offline at <see cref="At"/> (the silent-device job); an older status than the one held is
/// ignored. The status is a column of the point, not a row of its own, so <see cref="LiveEvent.Sequence"/> is the stamp
/// <see cref="StampOf"/>(<see cref="At"/>, <see cref="WaterPointId"/>): unique per point and change, rising with time.
/// </summary>
public sealed record WaterPointStatusEvent(int WaterPointId, bool Online, DateTimeOffset At) : LiveEvent
{
    public override EventStream Stream => EventStream.WaterPointStatus;

    /// <summary>Milliseconds since 1970 × 1,000,000 + the point's id (ids below a million; good until the year 2262).</summary>
    public static long StampOf(DateTimeOffset at, int waterPointId) => (at.ToUnixTimeMilliseconds() * 1_000_000L) + (waterPointId % 1_000_000);

    public static WaterPointStatusEvent Of(int waterPointId, bool online, DateTimeOffset at) =>
        new(waterPointId, online, at) { Sequence = StampOf(at, waterPointId) };
}

public sealed record Reading(int WaterPointId, double DepthCm, DateTimeOffset MeasuredAt);

/// <summary>Readings stored in one batch; <see cref="LiveEvent.Sequence"/> is the highest reading row. Applying a reading twice changes nothing.</summary>
public sealed record ReadingsEvent(IReadOnlyList<Reading> Readings) : LiveEvent
{
    public override EventStream Stream => EventStream.Readings;

    /// <summary>The <c>WaterAlarm</c> rows these readings opened, peaked or cleared, written in their transaction.</summary>
    public IReadOnlyList<CommandCenter.Domain.Readings.WaterAlarmChange> Alarms { get; init; } = [];
}

public sealed record PatrolEvent(int GridId, int StaffId, DateTimeOffset At) : LiveEvent
{
    public override EventStream Stream => EventStream.Patrol;
}

public sealed record VisitEvent(long HouseholdId, int GridId, bool IsKeyHousehold, DateTimeOffset At) : LiveEvent
{
    public override EventStream Stream => EventStream.Visit;
}

/// <summary>Where committed changes go: the live board of this node (and, later, other nodes).</summary>
public interface ILiveEventSink
{
    void Publish(LiveEvent liveEvent);
}

/// <summary>
/// Which events were applied already, per stream: everything at or below the high-water mark of the
/// last load, and a bounded set of the ones applied since. Writers commit out of order, so a set and
/// not a single "highest applied" is what decides.
/// </summary>
public sealed class AppliedEvents
{
    public const int CapacityPerStream = 100_000;
    private readonly Dictionary<EventStream, long> _highWater = [];
    private readonly Dictionary<EventStream, (HashSet<long> Set, Queue<long> Order)> _applied = [];

    public void Reset(IReadOnlyDictionary<EventStream, long> highWater)
    {
        _highWater.Clear();
        foreach (var (stream, mark) in highWater) _highWater[stream] = mark;
        _applied.Clear();
    }

    /// <summary>True the first time an event is seen above the high-water mark; false for a replay. Events without a sequence always pass.</summary>
    public bool TryMark(LiveEvent e)
    {
        if (e.Sequence <= 0) return true;
        if (e.Sequence <= _highWater.GetValueOrDefault(e.Stream)) return false;
        if (!_applied.TryGetValue(e.Stream, out var seen))
        {
            _applied[e.Stream] = seen = ([], new Queue<long>());
        }

        if (!seen.Set.Add(e.Sequence)) return false;
        seen.Order.Enqueue(e.Sequence);
        if (seen.Order.Count > CapacityPerStream)
        {
            // The oldest one leaves the set; raising the mark to it keeps it (and all below) refused.
            var oldest = seen.Order.Dequeue();
            seen.Set.Remove(oldest);
            _highWater[e.Stream] = Math.Max(_highWater.GetValueOrDefault(e.Stream), oldest);
        }

        return true;
    }
}
