namespace CommandCenter.Data.Ingestion;

// What sources send. Every field is nullable so that a missing field is reported by name, not as a
// deserialisation failure. Field names are the JSON names (camelCase) of the public API.

/// <summary>An incident reported by a field app, the hotline, a camera platform or the simulator.</summary>
public sealed record ReportIncident
{
    /// <summary>Category code, e.g. <c>sanitation</c> (see docs/api.md for the list).</summary>
    public string? Category { get; init; }
    public int? GridId { get; init; }
    /// <summary><c>GridPatrol</c>, <c>Resident</c>, <c>Hotline</c>, <c>Camera</c> or <c>Sensor</c>.</summary>
    public string? Source { get; init; }
    public string? ReporterName { get; init; }
    public string? ReporterPhone { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Address { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    /// <summary>When it was observed; defaults to the time of receipt.</summary>
    public DateTimeOffset? ReportedAt { get; init; }
    /// <summary>The sender's own id: a retry with the same id returns the incident already stored.</summary>
    public string? ExternalId { get; init; }
}

public sealed record IncidentAccepted(long Id, string Number, string Step, DateTimeOffset ReportedAt, DateTimeOffset DueAt, bool Duplicate);

public sealed record AdvanceIncident(long IncidentId, string Actor, string? Note = null);

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
}

public sealed record ReadingsAccepted(int Accepted);

public sealed record RaiseCameraAlert
{
    /// <summary>The camera's code on the video platform, e.g. <c>CAM-0042</c>.</summary>
    public string? CameraId { get; init; }
    /// <summary>An AI detection (<c>fire_smoke</c>, <c>crowd</c>, ...) or <c>camera_offline</c> / <c>camera_online</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>0..1; defaults to 1.</summary>
    public double? Confidence { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public string? ExternalId { get; init; }
}

public sealed record AlertAccepted(long Id, bool Duplicate);

public sealed record CheckInPatrol
{
    public int? StaffId { get; init; }
    public int? GridId { get; init; }
    public DateTimeOffset? CheckedInAt { get; init; }
    public double? Lon { get; init; }
    public double? Lat { get; init; }
    public string? Note { get; init; }
}

public sealed record RecordVisit
{
    public int? StaffId { get; init; }
    public long? HouseholdId { get; init; }
    public DateTimeOffset? VisitedAt { get; init; }
    public string? Note { get; init; }
}

public sealed record Accepted(long Id);

/// <summary>Input that cannot be accepted; each entry names a field (JSON path) and says what is wrong.</summary>
public sealed class InputValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The input is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Collects field errors and throws them together.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required.");
        return value;
    }

    public string? RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
            return null;
        }

        return OptionalText(field, value, maxLength);
    }

    public string? OptionalText(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (trimmed.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) Add(field, "must not contain control characters.");
        return trimmed.Length == 0 ? null : trimmed;
    }

    public void Coordinates(string prefix, double? lon, double? lat)
    {
        if (lon is null != lat is null) Add(prefix + (lon is null ? "lon" : "lat"), "lon and lat must be given together.");
        if (lon is < -180 or > 180) Add(prefix + "lon", "must be between -180 and 180.");
        if (lat is < -90 or > 90) Add(prefix + "lat", "must be between -90 and 90.");
    }

    /// <summary>A time the source observed: not more than 5 minutes ahead of the server, not older than <paramref name="maxAge"/>.</summary>
    public DateTimeOffset Instant(string field, DateTimeOffset? value, DateTimeOffset now, TimeSpan maxAge)
    {
        if (value is null) return now;
        if (value.Value > now.AddMinutes(5)) Add(field, "is in the future.");
        else if (value.Value < now - maxAge) Add(field, $"is older than {maxAge.TotalDays:0} days.");
        return value.Value.ToUniversalTime();
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new InputValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
