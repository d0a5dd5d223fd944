using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Ingestion;

/// <summary>The MQTT subscriber (<c>Mqtt:*</c>). Off while <see cref="Host"/> is empty.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>The broker's host name or address; empty = MQTT off.</summary>
    public string? Host { get; set; }

    /// <summary>1883 by default, 8883 with TLS.</summary>
    public int? Port { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Accept a broker certificate that does not validate (a test broker only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>The client id; the broker keeps this client's session (and unacknowledged messages) under it.</summary>
    public string ClientId { get; set; } = "commandcenter";

    /// <summary>How many unacknowledged QoS 1 messages the broker may send before it waits (MQTT 5 receive maximum).</summary>
    public int ReceiveMaximum { get; set; } = 2000;

    /// <summary>How long the broker keeps the session (and queued messages) while this client is away.</summary>
    public int SessionExpirySeconds { get; set; } = 3600;

    /// <summary>First and longest wait between reconnection attempts (doubling in between).</summary>
    public int ReconnectMinSeconds { get; set; } = 1;

    public int ReconnectMaxSeconds { get; set; } = 30;

    public string ReadingsTopic { get; set; } = "commandcenter/readings/+";

    public string FrigateEventsTopic { get; set; } = "frigate/events";

    public string FrigateAvailableTopic { get; set; } = "frigate/available";

    /// <summary>Frigate camera name → registered camera code; a name not listed is taken as the code itself.</summary>
    public Dictionary<string, string> FrigateCameras { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Frigate label → alert kind; labels not listed are ignored (counted).</summary>
    public Dictionary<string, string> FrigateLabels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Frigate events below this score are ignored.</summary>
    public double FrigateMinScore { get; set; }

    public static readonly IReadOnlyDictionary<string, string> DefaultLabels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["person"] = "intrusion",
        ["car"] = "illegal_parking",
        ["fire"] = "fire_smoke",
        ["smoke"] = "fire_smoke",
    };

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? (UseTls ? 8883 : 1883);

    /// <summary>The label map in force: the defaults, overridden and extended by <see cref="FrigateLabels"/>.</summary>
    public IReadOnlyDictionary<string, string> Labels()
    {
        var map = new Dictionary<string, string>(DefaultLabels, StringComparer.OrdinalIgnoreCase);
        foreach (var (label, kind) in FrigateLabels) map[label] = kind;
        return map;
    }

    public string CameraCode(string frigateName) => FrigateCameras.TryGetValue(frigateName, out var code) ? code : frigateName;

    /// <summary>Checked at start: a wrong setting stops the node with a message naming it.</summary>
    public void Validate()
    {
        if (!Enabled) return;
        if (Host!.Contains("://", StringComparison.Ordinal) || Host.Contains(' ', StringComparison.Ordinal))
            throw new SettingException($"Setting 'Mqtt:Host' is '{Host}'; give a host name or address only (no scheme, no port).");
        if (Port is < 1 or > 65535) throw new SettingException($"Setting 'Mqtt:Port' is {Port}; use 1..65535.");
        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 64) throw new SettingException("Setting 'Mqtt:ClientId' must be 1..64 characters.");
        if (string.IsNullOrEmpty(UserName) && !string.IsNullOrEmpty(Password)) throw new SettingException("Setting 'Mqtt:Password' is set without 'Mqtt:UserName'.");
        if (ReceiveMaximum is < 1 or > 65535) throw new SettingException("Setting 'Mqtt:ReceiveMaximum' must be 1..65535.");
        if (ReconnectMinSeconds < 1 || ReconnectMaxSeconds < ReconnectMinSeconds)
            throw new SettingException("Settings 'Mqtt:ReconnectMinSeconds' / 'Mqtt:ReconnectMaxSeconds' must be ≥ 1 and min ≤ max.");
        if (FrigateMinScore is < 0 or > 1) throw new SettingException("Setting 'Mqtt:FrigateMinScore' must be between 0 and 1.");
        foreach (var topic in new[] { ReadingsTopic, FrigateEventsTopic, FrigateAvailableTopic })
        {
            if (string.IsNullOrWhiteSpace(topic)) throw new SettingException("The Mqtt:*Topic settings must not be empty.");
        }

        foreach (var (label, kind) in FrigateLabels)
        {
            if (!AlertKinds.Detections.Any(d => d.Code == kind))
                throw new SettingException($"Setting 'Mqtt:FrigateLabels:{label}' is '{kind}'; use one of: {string.Join(", ", AlertKinds.Detections.Select(d => d.Code))}.");
        }
    }
}
