using System.Text.Json.Serialization;

namespace CommandCenter.Domain.Cameras;

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

    /// <summary>Frigate's <c>has_snapshot</c>: set by the Frigate ingestion only (not read from an HTTP body); see <see cref="FrigateSnapshot"/>.</summary>
    [JsonIgnore]
    public bool HasSnapshot { get; init; }
}

/// <summary><see cref="Folded"/>: a repeat within the fold window, counted on the open alert <see cref="Id"/>.</summary>
public sealed record AlertAccepted(long Id, bool Duplicate, bool Folded = false);
