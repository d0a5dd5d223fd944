using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CommandCenter.Domain.Points;

/// <summary>A period is an ISO week (<c>2026-W47</c>, Monday to Sunday) or a calendar month (<c>2026-11</c>).</summary>
public enum PeriodKind
{
    Week = 1,
    Month = 2,
}

/// <summary>
/// An ISO week or a calendar month of the street's calendar. Its dates are local dates in the street's time zone; its
/// instants (<see cref="Start"/>, <see cref="End"/>) are the UTC instants at which those local days begin. The
/// canonical text is <c>yyyy-Www</c> (ISO week-numbering year) or <c>yyyy-MM</c>; text order is time order within a kind.
/// </summary>
public readonly record struct Period(PeriodKind Kind, int Year, int Number) : IComparable<Period>
{
    /// <summary>The first local day of the period.</summary>
    public DateOnly FirstDay => Kind == PeriodKind.Week
        ? DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday))
        : new DateOnly(Year, Number, 1);

    /// <summary>The first local day after the period.</summary>
    public DateOnly EndDay => Kind == PeriodKind.Week ? FirstDay.AddDays(7) : FirstDay.AddMonths(1);

    /// <summary>The instant the period begins in <paramref name="zone"/> (inclusive).</summary>
    public DateTimeOffset Start(TimeZoneInfo zone) => StartOfDay(FirstDay, zone);

    /// <summary>The instant the next period begins in <paramref name="zone"/> (exclusive end of this one).</summary>
    public DateTimeOffset End(TimeZoneInfo zone) => StartOfDay(EndDay, zone);

    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone) => instant >= Start(zone) && instant < End(zone);

    public Period Previous() => Kind == PeriodKind.Week ? WeekOf(FirstDay.AddDays(-7)) : MonthOf(FirstDay.AddMonths(-1));

    public Period Next() => Kind == PeriodKind.Week ? WeekOf(FirstDay.AddDays(7)) : MonthOf(FirstDay.AddMonths(1));

    /// <summary>The ISO week holding a local date.</summary>
    public static Period WeekOf(DateOnly localDate)
    {
        var dt = localDate.ToDateTime(TimeOnly.MinValue);
        return new Period(PeriodKind.Week, ISOWeek.GetYear(dt), ISOWeek.GetWeekOfYear(dt));
    }

    /// <summary>The month holding a local date.</summary>
    public static Period MonthOf(DateOnly localDate) => new(PeriodKind.Month, localDate.Year, localDate.Month);

    /// <summary>The period of this kind holding a local date.</summary>
    public static Period Of(PeriodKind kind, DateOnly localDate) => kind == PeriodKind.Week ? WeekOf(localDate) : MonthOf(localDate);

    /// <summary>The period of this kind holding an instant, by the street's local date.</summary>
    public static Period Of(PeriodKind kind, DateTimeOffset instant, TimeZoneInfo zone) => Of(kind, LocalDate(instant, zone));

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The UTC instant at which a local day begins (a day that starts in a DST gap begins at the gap's end).</summary>
    public static DateTimeOffset StartOfDay(DateOnly localDate, TimeZoneInfo zone)
    {
        var local = localDate.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public override string ToString() => Kind == PeriodKind.Week
        ? string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Number:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}");

    /// <summary>Parses <c>2026-W47</c> (also <c>2026-w47</c>) or <c>2026-11</c>; anything else (week 54, month 13) is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is null) return false;
        text = text.Trim();
        if (text.Length < 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000 || year > 2200) return false;
        if (text.Length == 8 && (text[5] is 'W' or 'w'))
        {
            if (!int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)) return false;
            if (week < 1 || week > ISOWeek.GetWeeksInYear(year)) return false;
            period = new Period(PeriodKind.Week, year, week);
            return true;
        }

        if (text.Length == 7)
        {
            if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month < 1 || month > 12) return false;
            period = new Period(PeriodKind.Month, year, month);
            return true;
        }

        return false;
    }

    /// <summary>Parses or throws a validation error naming <paramref name="field"/>.</summary>
    public static Period Parse(string? text, string field = "period") =>
        TryParse(text, out var p) ? p : throw Validation.InputValidationException.For(field, "must be an ISO week like 2026-W47 or a month like 2026-11.");

    public int CompareTo(Period other)
    {
        var byStart = FirstDay.CompareTo(other.FirstDay);
        return byStart != 0 ? byStart : Kind.CompareTo(other.Kind);
    }

    public static bool operator <(Period a, Period b) => a.CompareTo(b) < 0;
    public static bool operator >(Period a, Period b) => a.CompareTo(b) > 0;
    public static bool operator <=(Period a, Period b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Period a, Period b) => a.CompareTo(b) >= 0;
}
