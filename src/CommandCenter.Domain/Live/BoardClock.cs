namespace CommandCenter.Domain.Live;

/// <summary>The street's calendar: "today", "this week" (from Monday) and "this month" in the street's time zone.</summary>
public sealed class BoardClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeProvider Time { get; } = time;
    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset Now => Time.GetUtcNow();

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    public DateOnly Today => LocalDate(Now);

    public DateTimeOffset StartOf(DateOnly localDate)
    {
        var local = localDate.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public DateTimeOffset DayStart => StartOf(Today);

    public DateOnly WeekStartDate
    {
        get
        {
            var today = Today;
            var offset = ((int)today.DayOfWeek + 6) % 7; // Monday = 0
            return today.AddDays(-offset);
        }
    }

    public DateTimeOffset WeekStart => StartOf(WeekStartDate);

    public DateTimeOffset MonthStart => StartOf(new DateOnly(Today.Year, Today.Month, 1));

    /// <summary>The street's zone by id, or China Standard Time as a fixed UTC+8 zone where the host lacks time-zone data.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }
}
