using System.Buffers;
using System.Globalization;
using System.Text;

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

    private static readonly SearchValues<char> BidiControls =
        SearchValues.Create("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

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

    /// <summary>
    /// Text that must hold something visible: missing text, and text made only of invisible characters (spaces,
    /// control and format characters such as U+200B, U+200E, U+202E, U+FEFF), is "required".
    /// </summary>
    public string? RequiredText(string field, string? value, int maxLength)
    {
        var text = OptionalText(field, value, maxLength);
        if (text is null) Add(field, "is required.");

        return text;
    }

    /// <summary>
    /// Optional text as it will be stored: bidi control characters removed (<see cref="StripBidiControls"/>), invisible
    /// characters trimmed from both ends, null when nothing visible is left; at most <paramref name="maxLength"/>
    /// characters; no control characters other than tab and line breaks.
    /// </summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        if (value is null) return null;
        var text = TrimInvisible(StripBidiControls(value));
        if (text.Length == 0) return null;
        if (text.Length > maxLength) Add(field, $"must be at most {maxLength} characters.");
        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) Add(field, "must not contain control characters.");
        return text;
    }

    /// <summary>The characters that reorder text (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): removed from stored text.</summary>
    public static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    public static string StripBidiControls(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.AsSpan().IndexOfAny(BidiControls) < 0 ? value : string.Concat(value.Where(c => !IsBidiControl(c)));
    }

    /// <summary>
    /// Whether the character shows nothing by itself: a space or separator (Zs, Zl, Zp), a control character (Cc) or a
    /// format character (Cf: zero-width space and joiners, bidi marks, the byte-order mark, tag characters).
    /// </summary>
    public static bool IsInvisible(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.Format or UnicodeCategory.Control
        or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>Whether the text is null, empty or made only of invisible characters (<see cref="IsInvisible"/>).</summary>
    public static bool IsBlank(string? value)
    {
        if (value is null) return true;
        foreach (var r in value.EnumerateRunes())
        {
            if (!IsInvisible(r)) return false;
        }

        return true;
    }

    /// <summary>The text without invisible characters at either end ("" when it holds nothing visible).</summary>
    public static string TrimInvisible(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = 0;
        while (start < value.Length && Rune.DecodeFromUtf16(value.AsSpan(start), out var r, out var n) == OperationStatus.Done && IsInvisible(r))
        {
            start += n;
        }

        var end = value.Length;
        while (end > start && Rune.DecodeLastFromUtf16(value.AsSpan(start, end - start), out var r, out var n) == OperationStatus.Done && IsInvisible(r))
        {
            end -= n;
        }

        return start == 0 && end == value.Length ? value : value[start..end];
    }

    /// <summary>Input echoed in an error message, cut to <paramref name="max"/> characters: an answer never repeats a huge value.</summary>
    public static string Quote(string? value, int max = 64) =>
        value is null ? "" : value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…");

    /// <summary>A number that must be finite (not NaN nor ±Infinity, which JSON numbers in quotes may carry); negative zero becomes 0.</summary>
    public double? Finite(string field, double? value)
    {
        if (value is not { } d) return null;
        if (!double.IsFinite(d))
        {
            Add(field, "must be a finite number.");
            return null;
        }

        return d == 0 ? 0 : d;
    }

    public void Coordinates(string prefix, double? lon, double? lat)
    {
        if (lon is null != lat is null) Add(prefix + (lon is null ? "lon" : "lat"), "lon and lat must be given together.");
        if (Finite(prefix + "lon", lon) is < -180 or > 180) Add(prefix + "lon", "must be between -180 and 180.");
        if (Finite(prefix + "lat", lat) is < -90 or > 90) Add(prefix + "lat", "must be between -90 and 90.");
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
