namespace CommandCenter.Domain.Readings;

public sealed record ReadingInput
{
    /// <summary>The waterlogging point's sensor code, e.g. <c>WL-03</c>.</summary>
    public string? SensorId { get; init; }
    public double? DepthCm { get; init; }
    public DateTimeOffset? MeasuredAt { get; init; }
}

public sealed record RecordReadings
{
    public IReadOnlyList<ReadingInput>? Readings { get; init; }

    /// <summary>Not part of the JSON body: how the caller wants a full write queue handled (HTTP refuses, MQTT waits).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public WriteAdmission Admission { get; init; }
}

/// <summary>What happened to each reading, in the order sent.</summary>
public static class ReadingOutcome
{
    public const string Accepted = "accepted";
    /// <summary>A reading of the same point at the same instant is stored already (or came earlier in the batch).</summary>
    public const string Duplicate = "duplicate";
}

/// <summary><see cref="Results"/> holds one <see cref="ReadingOutcome"/> per reading sent, in order.</summary>
public sealed record ReadingsAccepted(int Accepted, int Duplicates, IReadOnlyList<string> Results);

/// <summary>What a batch does when the write queue is full: be refused (HTTP: 503 + Retry-After) or wait (MQTT back-pressure).</summary>
public enum WriteAdmission
{
    Refuse,
    Wait,
}
