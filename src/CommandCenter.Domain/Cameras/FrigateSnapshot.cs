namespace CommandCenter.Domain.Cameras;

/// <summary>
/// Frigate's snapshot of an event: an alert stored from a Frigate event (external id <c>frigate:{id}</c>) whose event had
/// <c>has_snapshot</c> can show a link to <c>{Frigate:BaseUrl}/api/events/{id}/snapshot.jpg</c>.
/// </summary>
public static class FrigateSnapshot
{
    /// <summary>The prefix of the external ids the Frigate ingestion gives its alerts.</summary>
    public const string ExternalIdPrefix = "frigate:";

    /// <summary>The Frigate event id of an alert with a snapshot; null when it has none or did not come from Frigate.</summary>
    public static string? EventId(string? externalId, bool hasSnapshot) =>
        hasSnapshot && externalId is { Length: > 8 } id && id.StartsWith(ExternalIdPrefix, StringComparison.Ordinal) ? id[ExternalIdPrefix.Length..] : null;

    /// <summary>The snapshot's address under <paramref name="baseUrl"/>; null without a base or an event id.</summary>
    public static string? Url(string? baseUrl, string? eventId) =>
        string.IsNullOrWhiteSpace(baseUrl) || string.IsNullOrEmpty(eventId)
            ? null
            : $"{baseUrl.TrimEnd('/')}/api/events/{Uri.EscapeDataString(eventId)}/snapshot.jpg";
}
