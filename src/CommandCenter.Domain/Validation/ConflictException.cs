namespace CommandCenter.Domain.Validation;

/// <summary>
/// Input that is well-formed but contradicts what is stored: an idempotency key (<c>externalId</c>) the caller used
/// before for different content, an action the incident's step does not allow. Answered 409 (or <see cref="Status"/>,
/// e.g. 412 for a stale version), naming the field.
/// </summary>
public sealed class ConflictException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] };

    /// <summary>The HTTP status: 409 unless the conflict is a failed precondition (412).</summary>
    public int Status { get; init; } = 409;

    /// <summary>More members of the ProblemDetails (e.g. <c>allowedActions</c>, <c>current</c>).</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();
}
