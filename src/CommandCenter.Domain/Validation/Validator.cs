namespace CommandCenter.Domain.Validation;

/// <summary>Input that cannot be accepted; each entry names a field (JSON path) and says what is wrong.</summary>
public sealed class InputValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The input is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field, one message.</summary>
    public static InputValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field errors and throws them together.</summary>
public sealed class Validator
{
    /// <summary>How old an observed instant may be: a source that was offline a while still delivers.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

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
