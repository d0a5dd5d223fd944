using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>
/// Builds an HTML fragment with interpolated strings: literal parts are written as they are, every hole is
/// HTML-encoded (<c>h.Add($"&lt;b&gt;{name}&lt;/b&gt;")</c>), except a <see cref="RawHtml"/> hole (already HTML).
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _sb = new(2048);

    public Html Add([InterpolatedStringHandlerArgument("")] ref Handler handler) => this;

    public override string ToString() => _sb.ToString();

    [InterpolatedStringHandler]
    public ref struct Handler
    {
        private readonly StringBuilder _sb;

        public Handler(int literalLength, int formattedCount, Html html)
        {
            _sb = html._sb;
            _sb.EnsureCapacity(_sb.Length + literalLength + (formattedCount * 12));
        }

        public readonly void AppendLiteral(string value) => _sb.Append(value);

        public readonly void AppendFormatted(string? value)
        {
            if (!string.IsNullOrEmpty(value)) _sb.Append(Encoder.Encode(value));
        }

        public readonly void AppendFormatted(RawHtml value) => _sb.Append(value.Value);

        public readonly void AppendFormatted(int value) => _sb.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted(long value) => _sb.Append(value.ToString(CultureInfo.InvariantCulture));

        public readonly void AppendFormatted<T>(T value) where T : struct, Enum => _sb.Append(value.ToString());
    }
}

/// <summary>Text that is already HTML (a nested fragment, an SVG path built from numbers).</summary>
internal readonly record struct RawHtml(string Value);

/// <summary>
/// Panel HTML shared by every circuit. All wall screens receive the same cached <see cref="LiveSnapshot"/> section
/// objects, so a panel's HTML is built once per section object and variant (culture, options) and every circuit's
/// render tree holds just one markup frame pointing at the shared string: memory per wall screen stays small
/// whatever the size of the street, and a burst of changes is rendered once per node, not once per screen.
/// Entries live as long as their section object (weak keys).
/// </summary>
internal static class SharedMarkup
{
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, Entry>> Cache = new();

    /// <summary>
    /// The HTML of <paramref name="key"/> in <paramref name="variant"/>, built by <paramref name="build"/> on first use.
    /// <paramref name="dep1"/> and <paramref name="dep2"/> are further inputs, compared by reference.
    /// </summary>
    public static MarkupString Get(object key, string variant, object? dep1, object? dep2, Func<string> build)
    {
        var byVariant = Cache.GetValue(key, static _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        if (byVariant.TryGetValue(variant, out var e) && ReferenceEquals(e.Dep1, dep1) && ReferenceEquals(e.Dep2, dep2))
        {
            return e.Html;
        }

        var entry = new Entry(dep1, dep2, new MarkupString(build()));
        byVariant[variant] = entry;
        return entry.Html;
    }

    /// <summary>The part of every variant that names the culture: texts and number formats follow it.</summary>
    public static string Culture => CultureInfo.CurrentUICulture.Name + "|" + CultureInfo.CurrentCulture.Name;

    private sealed record Entry(object? Dep1, object? Dep2, MarkupString Html);
}
