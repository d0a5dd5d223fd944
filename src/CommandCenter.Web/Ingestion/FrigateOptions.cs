using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Cameras;

namespace CommandCenter.Web.Ingestion;

/// <summary>
/// Frigate's web address (<c>Frigate:*</c>): with <see cref="BaseUrl"/> set, the console's alert list links the alerts of a
/// Frigate event that has a snapshot to <c>{BaseUrl}/api/events/{id}/snapshot.jpg</c>; without it, no link is shown.
/// </summary>
public sealed class FrigateOptions
{
    public const string SectionName = "Frigate";

    /// <summary>Frigate's address as the people at the console reach it, e.g. <c>http://frigate.local:5000</c>; empty: no links.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The snapshot link of an alert (<see cref="Data.Incidents.AlertRowView.SnapshotEventId"/>); null when none is to be shown.</summary>
    public string? SnapshotUrl(string? eventId) => FrigateSnapshot.Url(BaseUrl, eventId);

    /// <summary>Checked at start: an address that is not absolute http(s) stops the node with a message naming the setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BaseUrl)) return;
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
        {
            throw new SettingException($"Setting 'Frigate:BaseUrl' is '{BaseUrl}'; give an absolute http:// or https:// address without a query, e.g. http://frigate.local:5000.");
        }
    }
}
