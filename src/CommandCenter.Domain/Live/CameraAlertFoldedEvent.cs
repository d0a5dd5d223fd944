namespace CommandCenter.Domain.Live;

/// <summary>
/// A repeat of camera alert <see cref="AlertId"/> (same camera and kind, within the fold window) was folded into it:
/// the alert now counts <see cref="RepeatCount"/> occurrences, the last at <see cref="LastOccurredAt"/>.
/// <see cref="LiveEvent.Sequence"/> is the repeat's <c>CameraAlertRepeat</c> row. The figures are the alert's totals
/// after the fold, not a delta, so a late or out-of-order delivery never lowers what the board shows.
/// </summary>
public sealed record CameraAlertFoldedEvent(long AlertId, int CameraId, int RepeatCount, DateTimeOffset LastOccurredAt) : LiveEvent
{
    public override EventStream Stream => EventStream.CameraAlertRepeat;
}
