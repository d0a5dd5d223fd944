using System.Globalization;
using CommandCenter.Domain.Reports;

namespace CommandCenter.Reports;

/// <summary>
/// Every label of the reports in Simplified Chinese and English. Kept here (not in the Web resources) so the renderers
/// stand alone; a missing key in either language is caught by a test.
/// </summary>
public sealed class ReportTexts
{
    private static readonly Dictionary<string, (string Zh, string En)> All = new()
    {
        ["Title"] = ("网格化管理考核报告", "Grid Management Assessment Report"),
        ["WeeklyReport"] = ("周报", "Weekly report"),
        ["MonthlyReport"] = ("月报", "Monthly report"),
        ["Street"] = ("街道", "Street"),
        ["Period"] = ("考核周期", "Period"),
        ["MadeAt"] = ("生成时间", "Made at"),
        ["Page"] = ("第 {0} 页，共 {1} 页", "Page {0} of {1}"),
        ["Contents"] = ("目录", "Contents"),
        ["Headline"] = ("主要指标", "Headline figures"),
        ["Measure"] = ("指标", "Measure"),
        ["ThisPeriod"] = ("本期", "This period"),
        ["PreviousPeriod"] = ("上期", "Previous period"),
        ["Change"] = ("变化", "Change"),
        ["IncidentsReported"] = ("上报事件", "Incidents reported"),
        ["IncidentsClosed"] = ("办结事件", "Incidents closed"),
        ["OnTimeRate"] = ("按时办结率", "On-time rate"),
        ["Escalations"] = ("升级事件", "Escalations"),
        ["Overdue"] = ("超期事件", "Overdue"),
        ["Satisfaction"] = ("群众满意度", "Satisfaction"),
        ["PatrolCoverage"] = ("巡查覆盖率", "Patrol coverage"),
        ["Visits"] = ("入户走访", "Household visits"),
        ["WaterAlarms"] = ("积水报警", "Waterlogging alarms"),
        ["CameraAlerts"] = ("视频告警", "Camera alerts"),
        ["Points"] = ("积分", "Points"),
        ["GridRanking"] = ("网格排名", "Grid ranking"),
        ["CommunityRanking"] = ("社区排名", "Community ranking"),
        ["Rank"] = ("名次", "Rank"),
        ["Grid"] = ("网格", "Grid"),
        ["Community"] = ("社区", "Community"),
        ["Name"] = ("名称", "Name"),
        ["Score"] = ("得分", "Score"),
        ["Tier"] = ("等次", "Tier"),
        ["PreviousRank"] = ("上期名次", "Prev. rank"),
        ["Movement"] = ("升降", "Move"),
        ["TierRedFlag"] = ("红旗", "Red flag"),
        ["TierNeedsAttention"] = ("待改进", "Needs attention"),
        ["TierNone"] = ("", ""),
        ["New"] = ("新", "new"),
        ["Incidents"] = ("事件", "Incidents"),
        ["IncidentsByCategory"] = ("事件分类统计", "Incidents by category"),
        ["IncidentsByCycle"] = ("事件办理环节", "Incidents by step of the loop"),
        ["Category"] = ("类别", "Category"),
        ["Step"] = ("环节", "Step"),
        ["Count"] = ("数量", "Count"),
        ["OverdueIncidents"] = ("超期事件清单", "Overdue incidents"),
        ["EscalatedIncidents"] = ("升级事件清单", "Escalated incidents"),
        ["Number"] = ("编号", "Number"),
        ["IncidentTitle"] = ("标题", "Title"),
        ["Due"] = ("期限", "Due"),
        ["Late"] = ("超期", "Late"),
        ["Escalated"] = ("已升级", "Escalated"),
        ["Yes"] = ("是", "yes"),
        ["No"] = ("否", "no"),
        ["None"] = ("无", "None"),
        ["AlarmsAndAlerts"] = ("积水报警与视频告警", "Waterlogging alarms and camera alerts"),
        ["TopWaterAlarms"] = ("主要积水报警", "Main waterlogging alarms"),
        ["TopCameraAlerts"] = ("主要视频告警", "Main camera alerts"),
        ["At"] = ("时间", "At"),
        ["Source"] = ("来源", "Source"),
        ["Detail"] = ("内容", "Detail"),
        ["Value"] = ("数值", "Value"),
        ["AckAfter"] = ("响应用时", "Acknowledged after"),
        ["PointsLeaderboard"] = ("积分排行榜", "Points leaderboard"),
        ["People"] = ("个人", "People"),
        ["Grids"] = ("网格", "Grids"),
        ["Person"] = ("姓名", "Name"),
        ["Area"] = ("所属", "Area"),
        ["Summary"] = ("汇总", "Summary"),
        ["Indicators"] = ("指标", "Indicators"),
        ["Days"] = ("{0}天{1}小时", "{0} d {1} h"),
        ["Hours"] = ("{0}小时{1}分", "{0} h {1} min"),
        ["Minutes"] = ("{0}分钟", "{0} min"),
        ["Ind_ClosureRate"] = ("办结率", "Closure rate"),
        ["Ind_OnTimeRate"] = ("按时办结率", "On time"),
        ["Ind_EscalationRate"] = ("升级率", "Escalation rate"),
        ["Ind_PatrolCoverage"] = ("巡查覆盖率", "Patrol coverage"),
        ["Ind_VisitCoverage"] = ("走访覆盖率", "Visit coverage"),
        ["Ind_KeyHouseholdVisits"] = ("重点户走访率", "Key household visits"),
        ["Ind_MeanAckMinutes"] = ("平均响应(分钟)", "Mean ack. (min)"),
        ["Ind_Satisfaction"] = ("满意度", "Satisfaction"),
        ["Ind_PointsPerMember"] = ("人均积分", "Points per member"),
        ["Sheet_Summary"] = ("汇总", "Summary"),
        ["Sheet_GridRanking"] = ("网格排名", "Grid ranking"),
        ["Sheet_CommunityRanking"] = ("社区排名", "Community ranking"),
        ["Sheet_Incidents"] = ("事件统计", "Incidents"),
        ["Sheet_Overdue"] = ("超期事件", "Overdue"),
        ["Sheet_Points"] = ("积分排行", "Points"),
        ["Kind"] = ("类型", "Kind"),
        ["FirstDay"] = ("起始日期", "First day"),
        ["LastDay"] = ("结束日期", "Last day"),
        ["LateHours"] = ("超期(小时)", "Late (hours)"),
        ["Ranking"] = ("排名", "Ranking"),
        ["ChartReported"] = ("本期", "This period"),
        ["ChartPrevious"] = ("上期", "Previous"),
    };

    private ReportTexts(bool chinese, CultureInfo culture)
    {
        Chinese = chinese;
        Culture = culture;
    }

    public bool Chinese { get; }

    /// <summary>The culture for numbers and dates.</summary>
    public CultureInfo Culture { get; }

    public static IReadOnlyCollection<string> Keys => All.Keys;

    /// <summary>zh-CN (or any zh-*) → Chinese; anything else → English.</summary>
    public static ReportTexts For(string culture)
    {
        var zh = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        return new ReportTexts(zh, CultureInfo.GetCultureInfo(zh ? "zh-CN" : "en-GB"));
    }

    public string this[string key] => All.TryGetValue(key, out var t)
        ? (Chinese ? t.Zh : t.En)
        : throw new KeyNotFoundException($"No report text '{key}'.");

    public static (string Zh, string En) Both(string key) => All[key];

    public string Format(string key, params object[] args) => string.Format(Culture, this[key], args);

    public string Indicator(ReportIndicator indicator) => this["Ind_" + indicator];

    public string Tier(ReportTier tier) => this["Tier" + tier];

    /// <summary>2026年第47周 (2026-W47) / Week 47, 2026 (2026-W47); 2026年11月 / November 2026.</summary>
    public string PeriodLabel(ReportPeriod period) => period.Kind == ReportPeriodKind.Week
        ? (Chinese ? $"{period.Year}年第{period.Number}周" : $"Week {period.Number}, {period.Year}")
        : (Chinese ? $"{period.Year}年{period.Number}月" : new DateOnly(period.Year, period.Number, 1).ToString("MMMM yyyy", Culture));

    public string PeriodRange(ReportPeriod period) => $"{Date(period.FirstDay)} – {Date(period.LastDay)}";

    public string Date(DateOnly day) => Chinese ? $"{day.Year}年{day.Month}月{day.Day}日" : day.ToString("d MMM yyyy", Culture);

    public string DateTime(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Duration(TimeSpan span) => span.TotalDays >= 1
        ? Format("Days", (int)span.TotalDays, span.Hours)
        : span.TotalHours >= 1 ? Format("Hours", (int)span.TotalHours, span.Minutes) : Format("Minutes", (int)Math.Round(span.TotalMinutes));

    /// <summary>A rate as a percentage with one decimal ("87.5%").</summary>
    public string Percent(decimal fraction) => (fraction * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public string Number(decimal value, int decimals = 0) => value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);

    /// <summary>Movement: ▲3, ▼2, – (no change), new (no previous rank).</summary>
    public string Movement(int? movement, int? previousRank) => previousRank is null
        ? this["New"]
        : movement switch { > 0 => $"▲{movement}", < 0 => $"▼{-movement}", 0 => "–", null => "" };

    /// <summary>An indicator value as shown: rates as %, minutes and means with decimals, points per member with one.</summary>
    public string IndicatorValue(ReportIndicator indicator, decimal? value) => value is not { } v ? "—" : indicator switch
    {
        ReportIndicator.MeanAckMinutes => Number(v, 1),
        ReportIndicator.Satisfaction => Number(v, 2),
        ReportIndicator.PointsPerMember => Number(v, 1),
        _ => Percent(v),
    };
}
