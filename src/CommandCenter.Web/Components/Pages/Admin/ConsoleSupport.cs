using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;

namespace CommandCenter.Web.Components.Pages.Admin;

/// <summary>Formatting shared by the console pages: times in the street's zone, community names, readable JSON.</summary>
internal static class ConsoleFormat
{
    public const string None = "—";

    private static readonly JsonSerializerOptions Readable = new()
    {
        WriteIndented = false,
        // Only for display: Blazor escapes the text when it renders it, so '<' can stay '<' here.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>"2025-06-03 10:30" in the street's time zone, or a dash.</summary>
    public static string Time(BoardClock clock, DateTimeOffset? instant) =>
        instant is { } t ? clock.ToLocal(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : None;

    /// <summary>"2025-06-03 10:30:15" in the street's time zone.</summary>
    public static string TimeSeconds(BoardClock clock, DateTimeOffset instant) =>
        clock.ToLocal(instant).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The community's name in the UI language, its id if unknown, or <paramref name="whole"/> for no community.</summary>
    public static string Community(IReadOnlyList<CommunitySummary> communities, int? id, string whole)
    {
        if (id is null) return whole;
        var c = communities.FirstOrDefault(x => x.Id == id);
        return c is null ? "#" + id.Value.ToString(CultureInfo.InvariantCulture) : IsChinese ? c.NameZh : c.Name;
    }

    public static string CommunityOption(CommunitySummary c) => IsChinese ? c.NameZh : c.Name;

    /// <summary>Stored JSON made readable (non-ASCII and '&lt;' unescaped) — rendered as text, never as markup.</summary>
    public static string Json(string? details)
    {
        if (string.IsNullOrWhiteSpace(details)) return "";
        try
        {
            using var doc = JsonDocument.Parse(details);
            return JsonSerializer.Serialize(doc.RootElement, Readable);
        }
        catch (JsonException)
        {
            return details;
        }
    }
}

/// <summary>The field errors of an <see cref="InputValidationException"/>, shown next to the form's fields or in an alert.</summary>
public sealed class FormErrors
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public bool Any => _errors.Count > 0;

    public void Clear() => _errors = new Dictionary<string, string[]>();

    public void Set(InputValidationException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        _errors = ex.Errors;
    }

    public void Set(string field, string message) =>
        _errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] };

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? Text(string field) => _errors.TryGetValue(field, out var m) ? string.Join(" ", m) : null;

    /// <summary>Errors of fields the form does not show next to an input.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> Except(params string[] shown) =>
        _errors.Where(e => !shown.Contains(e.Key, StringComparer.Ordinal));
}
