namespace CommandCenter.Domain.Model;

public static class WaterLevels
{
    /// <summary>The level of a depth against a point's thresholds; a point without a reading for <paramref name="silentAfter"/> is silent.</summary>
    public static WaterLevel Classify(double? depthCm, double warningCm, double alarmCm,
        DateTimeOffset? lastReadingAt, DateTimeOffset now, TimeSpan silentAfter)
    {
        if (depthCm is null || lastReadingAt is null || now - lastReadingAt.Value > silentAfter)
        {
            return WaterLevel.Silent;
        }

        return depthCm.Value >= alarmCm ? WaterLevel.Alarm
            : depthCm.Value >= warningCm ? WaterLevel.Warning
            : WaterLevel.Normal;
    }
}

public static class IncidentSteps
{
    public static bool IsOpen(IncidentStep step) => step != IncidentStep.Closed;

    /// <summary>The open steps, in loop order, as the wall screen lists them.</summary>
    public static readonly IReadOnlyList<IncidentStep> Open =
        [IncidentStep.Reported, IncidentStep.Verified, IncidentStep.Dispatched, IncidentStep.Processed, IncidentStep.FeedbackGiven];

    /// <summary>The next step of the loop; a closed incident has none.</summary>
    public static IncidentStep? Next(IncidentStep step) => step == IncidentStep.Closed ? null : step + 1;
}
