using System.Globalization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>Small formatting helpers shared by the wall-screen panels (numbers, percentages, culture).</summary>
internal static class WallFormat
{
    /// <summary>Whether a UI culture shows Chinese names (<c>zh-*</c>).</summary>
    public static bool IsChinese(CultureInfo uiCulture) =>
        uiCulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    /// <summary>A count with group separators in the current culture.</summary>
    public static string N(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>value / total as a CSS width ("42.5%"), clamped to 0–100 %; 0 % when the total is 0.</summary>
    public static string Width(int value, int total) =>
        (Fraction(value, total) * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>value / total as a rounded percentage text ("43%").</summary>
    public static string Percent(int value, int total) =>
        Math.Round(Fraction(value, total) * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static double Fraction(int value, int total) =>
        total <= 0 ? 0 : Math.Clamp((double)value / total, 0, 1);

    /// <summary>A depth or threshold in centimetres with one decimal at most ("12.5").</summary>
    /// <remarks>Negative zero, and a negative value that rounds to it, is "0", never "-0".</remarks>
    public static string Cm(double value)
    {
        var text = value.ToString("0.#", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>The CSS class suffix of a water level: normal, warning, alarm, silent.</summary>
    public static string LevelClass(WaterLevel level) => level switch
    {
        WaterLevel.Normal => "normal",
        WaterLevel.Warning => "warning",
        WaterLevel.Alarm => "alarm",
        _ => "silent",
    };

    /// <summary>Alarm first, then warning, normal and silent points; by id within a level.</summary>
    public static int LevelRank(WaterLevel level) => level switch
    {
        WaterLevel.Alarm => 0,
        WaterLevel.Warning => 1,
        WaterLevel.Normal => 2,
        _ => 3,
    };
}
