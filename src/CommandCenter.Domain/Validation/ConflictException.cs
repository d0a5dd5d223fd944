namespace CommandCenter.Domain.Validation;

/// <summary>
/// Input that is well-formed but contradicts what is stored: an idempotency key (<c>externalId</c>) the caller used
/// before for different content. Answered 409, naming the field.
/// </summary>
public sealed class ConflictException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] };
}
