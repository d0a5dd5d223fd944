using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CommandCenter.Domain.Readings;

namespace CommandCenter.Web.Ingestion;

/// <summary>A message that cannot be read; <see cref="Fault"/> is the kind of fault (logged once per kind and source).</summary>
public sealed class MalformedMessageException(string fault, string detail) : Exception($"{fault}: {detail}")
{
    public string Fault { get; } = fault;
}

/// <summary>A Frigate event (<c>frigate/events</c>): the fields of <c>after</c> that matter here.</summary>
public sealed record FrigateEvent(string Type, string Id, string Camera, string Label, double Score, DateTimeOffset StartedAt, bool HasSnapshot);

/// <summary>Reads the payloads of the MQTT topics (pure: no I/O), refusing what is malformed with a named fault.</summary>
public static class MqttMessages
{
    /// <summary>
    /// <c>commandcenter/readings/{pointCode}</c>: <c>{"depthCm": 12.5, "measuredAt": "…", "id": "…"}</c> or an array of them.
    /// <c>measuredAt</c> is required: with the point it makes a redelivered reading a duplicate.
    /// </summary>
    public static IReadOnlyList<ReadingInput> ParseReadings(string pointCode, ReadOnlySequence<byte> payload)
    {
        if (string.IsNullOrWhiteSpace(pointCode)) throw new MalformedMessageException("no-point-code", "the topic names no point.");
        using var doc = Parse(payload);
        var root = doc.RootElement;
        var list = new List<ReadingInput>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                list.Add(Reading(pointCode, root));
                break;
            case JsonValueKind.Array:
                foreach (var e in root.EnumerateArray()) list.Add(Reading(pointCode, e));
                if (list.Count == 0) throw new MalformedMessageException("empty-array", "the array holds no reading.");
                break;
            default:
                throw new MalformedMessageException("not-an-object", "a reading is a JSON object or an array of them.");
        }

        return list;
    }

    private static ReadingInput Reading(string pointCode, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new MalformedMessageException("not-an-object", "a reading is a JSON object.");
        if (!e.TryGetProperty("depthCm", out var d) || d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out var depth))
            throw new MalformedMessageException("depthCm", "depthCm must be a number.");
        if (!e.TryGetProperty("measuredAt", out var m) || m.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(m.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw new MalformedMessageException("measuredAt", "measuredAt must be an ISO-8601 instant.");
        return new ReadingInput { SensorId = pointCode, DepthCm = depth, MeasuredAt = at };
    }

    /// <summary>A Frigate event; <c>after</c> must hold id, camera, label and start_time (unix seconds).</summary>
    public static FrigateEvent ParseFrigateEvent(ReadOnlySequence<byte> payload)
    {
        using var doc = Parse(payload);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new MalformedMessageException("not-an-object", "a Frigate event is a JSON object.");
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new MalformedMessageException("type", "type is missing.");
        if (!root.TryGetProperty("after", out var after) || after.ValueKind != JsonValueKind.Object) throw new MalformedMessageException("after", "after is missing.");
        var id = Text(after, "id");
        var camera = Text(after, "camera");
        var label = Text(after, "label");
        var score = after.TryGetProperty("top_score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble()
            : after.TryGetProperty("score", out var s2) && s2.ValueKind == JsonValueKind.Number ? s2.GetDouble() : 1.0;
        if (!after.TryGetProperty("start_time", out var st) || st.ValueKind != JsonValueKind.Number || !st.TryGetDouble(out var seconds) || double.IsNaN(seconds) || seconds is < 0 or > 1e11)
            throw new MalformedMessageException("after.start_time", "after.start_time must be unix seconds.");
        var hasSnapshot = after.TryGetProperty("has_snapshot", out var hs) && hs.ValueKind == JsonValueKind.True;
        return new FrigateEvent(type, id, camera, label, score, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), hasSnapshot);
    }

    /// <summary><c>frigate/available</c>: <c>online</c> or <c>offline</c>.</summary>
    public static bool ParseAvailability(ReadOnlySequence<byte> payload)
    {
        var text = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, payload).Trim();
        return text switch
        {
            "online" => true,
            "offline" => false,
            _ => throw new MalformedMessageException("availability", "the payload must be 'online' or 'offline'."),
        };
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 100 } s
            ? s
            : throw new MalformedMessageException("after." + name, $"after.{name} must be a text of 1..100 characters.");

    private static JsonDocument Parse(ReadOnlySequence<byte> payload)
    {
        try
        {
            return JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new MalformedMessageException("json", ex.Message);
        }
    }
}
