using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;

namespace CommandCenter.Web.Hosting;

/// <summary>The closed loop's options from configuration (<c>CommandCenter:Loop</c>).</summary>
internal static class LoopHostingOptions
{
    /// <summary>The options, checked: a wrong value stops start-up naming the setting.</summary>
    public static IncidentLoopOptions From(IConfigurationSection section)
    {
        var o = new IncidentLoopOptions();
        o.ReopenWindow = Span(section, nameof(o.ReopenWindow), o.ReopenWindow, TimeSpan.Zero, TimeSpan.FromDays(365));
        o.SettingsCacheDuration = Span(section, nameof(o.SettingsCacheDuration), o.SettingsCacheDuration, TimeSpan.Zero, TimeSpan.FromHours(1));
        return o;
    }

    private static TimeSpan Span(IConfigurationSection section, string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var text = section[key];
        if (text is null) return fallback;
        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SettingException($"Setting '{section.Path}:{key}' is '{text}'; use a time span between {min:c} and {max:c}.");
        }

        return value;
    }
}
