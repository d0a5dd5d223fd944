namespace CommandCenter.Web.Hosting;

/// <summary>Configuration section <c>CommandCenter</c>.</summary>
public sealed class CommandCenterOptions
{
    public const string SectionName = "CommandCenter";

    /// <summary>IANA id of the street's time zone: "today", "this week" and the wall-screen clock use it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Default culture of the pages: <c>en-US</c> or <c>zh-CN</c>; a viewer can switch on the page.</summary>
    public string Culture { get; set; } = "en-US";

    /// <summary>Folder of the rolling log files.</summary>
    public string LogDirectory { get; set; } = "logs";

    /// <summary>The wall screen warns when no change has arrived for this many seconds.</summary>
    public int StaleAfterSeconds { get; set; } = 60;
}

public static class SupportedCultures
{
    public static readonly string[] All = ["en-US", "zh-CN"];
}
