using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace CommandCenter.Web.Hosting;

/// <summary>
/// Log hygiene for every event of the app: text values of properties (user input among them — paths, origins, names)
/// are cut to <see cref="MaxLength"/> characters and their control characters (newlines, tabs, escape sequences) and
/// invisible line and direction marks are written escaped (<c>\n</c>, <c>\u001B</c>), so no value can start a forged
/// log line or hide text. The message templates themselves are code.
/// </summary>
public sealed class LogSanitizer : ILogEventEnricher
{
    public const int MaxLength = 1024;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var clean = Clean(value);
            if (!ReferenceEquals(clean, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, clean));
            }
        }

        if (changed is null) return;
        foreach (var property in changed)
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with every text in it made safe; the same instance when nothing needed it.</summary>
    public static LogEventPropertyValue Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var safe = Escape(text);
                return ReferenceEquals(safe, text) ? value : new ScalarValue(safe);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Clean).ToList();
                return elements.Where((e, i) => !ReferenceEquals(e, sequence.Elements[i])).Any() ? new SequenceValue(elements) : value;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new { p, v = Clean(p.Value) }).ToList();
                return properties.Any(x => !ReferenceEquals(x.v, x.p.Value))
                    ? new StructureValue(properties.Select(x => new LogEventProperty(x.p.Name, x.v)), structure.TypeTag)
                    : value;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new { e, k = (ScalarValue)Clean(e.Key), v = Clean(e.Value) }).ToList();
                return entries.Any(x => !ReferenceEquals(x.k, x.e.Key) || !ReferenceEquals(x.v, x.e.Value))
                    ? new DictionaryValue(entries.Select(x => new KeyValuePair<ScalarValue, LogEventPropertyValue>(x.k, x.v)))
                    : value;
            default:
                return value;
        }
    }

    /// <summary>The text cut to <see cref="MaxLength"/> and with control characters escaped; the same instance when it is fine.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= MaxLength && !text.Any(NeedsEscape)) return text;
        var cut = text.Length > MaxLength ? text[..MaxLength] : text;
        var sb = new StringBuilder(cut.Length + 32);
        foreach (var c in cut)
        {
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case var _ when NeedsEscape(c): sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }

        if (text.Length > MaxLength)
        {
            sb.Append("…[").Append(text.Length - MaxLength).Append(" more characters]");
        }

        return sb.ToString();
    }

    /// <summary>Control characters, the Unicode line and paragraph separators, and the direction overrides and isolates.</summary>
    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
