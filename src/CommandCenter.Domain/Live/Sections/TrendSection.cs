namespace CommandCenter.Domain.Live.Sections;

/// <summary>
/// Trends over the day, the week and the month, kept by deltas: incidents reported and closed per local hour of the
/// last 8 days (today and the same weekday last week are shown), incidents reported per day and category, camera
/// alerts and waterlogging alarms per day, for the last <see cref="Days"/> days. Counters are kept for the street and
/// for each community (a grid's community is fixed between loads), so an event touches two counters and the cut of a
/// community is a copy of its own. Days roll in <see cref="RollTo"/>, clearing the slots of the days that begin; an
/// event is counted in the local day and hour of its own instant, and dropped when that falls outside the window.
/// Not thread-safe: the <see cref="LiveBoard"/> owns the lock.
/// </summary>
internal sealed class TrendSection(BoardClock clock)
{
    public const int Days = TrendStats.Days;
    public const int HourlyDays = 8;
    private readonly Dictionary<string, int> _categoryIndex = new(StringComparer.Ordinal);
    private readonly List<string> _categories = [];
    private readonly Counters _street = new();
    private readonly Dictionary<int, Counters> _byCommunity = [];
    private IReadOnlyDictionary<int, int> _gridCommunity = new Dictionary<int, int>();
    private DateOnly _today;

    public void Load(BoardSeed seed, IReadOnlyDictionary<int, int> gridCommunity)
    {
        _gridCommunity = gridCommunity;
        _categoryIndex.Clear();
        _categories.Clear();
        _street.Clear();
        _byCommunity.Clear();
        _today = clock.Today;
        foreach (var t in seed.Trends)
        {
            if (t.Count > 0) Add(t.Kind, t.GridId, t.Category, t.Day, t.Hour, t.Count);
        }
    }

    /// <summary>Counts one occurrence at <paramref name="at"/>; false when it falls outside the window.</summary>
    public bool Add(TrendKind kind, int gridId, string? category, DateTimeOffset at)
    {
        var local = clock.ToLocal(at);
        return Add(kind, gridId, category, DateOnly.FromDateTime(local.DateTime), local.Hour, 1);
    }

    /// <summary>A new local day (or several): their slots start empty. A clock that went back clears everything.</summary>
    public void RollTo(DateOnly today)
    {
        if (today == _today) return;
        if (today < _today)
        {
            _street.Clear();
            foreach (var c in _byCommunity.Values) c.Clear();
        }
        else
        {
            var from = Math.Max(_today.DayNumber + 1, today.DayNumber - Days + 1);
            for (var d = from; d <= today.DayNumber; d++)
            {
                _street.ClearDay(d);
                foreach (var c in _byCommunity.Values) c.ClearDay(d);
            }
        }

        _today = today;
    }

    /// <summary>The street's trends (<paramref name="communityId"/> null) or one community's.</summary>
    public TrendStats Stats(int? communityId)
    {
        var c = communityId is { } cid ? _byCommunity.GetValueOrDefault(cid) ?? Counters.Empty : _street;
        var first = _today.AddDays(-(Days - 1));
        int[] Hours(int[] source, DateOnly day)
        {
            var at = HourSlot(day.DayNumber);
            return source.AsSpan(at, 24).ToArray();
        }

        int[] Series(int[] source)
        {
            var values = new int[Days];
            for (var i = 0; i < Days; i++) values[i] = source[DaySlot(first.DayNumber + i)];
            return values;
        }

        var categories = new List<CategorySeries>();
        for (var k = 0; k < c.ReportedByCategory.Count; k++)
        {
            var days = Series(c.ReportedByCategory[k]);
            if (days.Any(n => n != 0)) categories.Add(new CategorySeries(_categories[k], days));
        }

        categories.Sort((a, b) =>
        {
            var bySum = b.Days.Sum().CompareTo(a.Days.Sum());
            return bySum != 0 ? bySum : string.CompareOrdinal(a.Key, b.Key);
        });

        return new TrendStats(
            clock.StartOf(_today), first,
            Hours(c.ReportedByHour, _today), Hours(c.ClosedByHour, _today),
            Hours(c.ReportedByHour, _today.AddDays(-7)), Hours(c.ClosedByHour, _today.AddDays(-7)),
            categories, Series(c.Alerts), Series(c.Alarms));
    }

    private bool Add(TrendKind kind, int gridId, string? category, DateOnly day, int hour, int count)
    {
        if (day > _today || day.DayNumber <= _today.DayNumber - Days || hour is < 0 or > 23)
        {
            return false; // outside the window (or a clock ahead of ours)
        }

        var hourly = day.DayNumber > _today.DayNumber - HourlyDays;
        if (kind == TrendKind.Closed && !hourly) return false;
        var cat = -1;
        if (kind == TrendKind.Reported)
        {
            category ??= "";
            if (!_categoryIndex.TryGetValue(category, out cat))
            {
                cat = _categories.Count;
                _categoryIndex[category] = cat;
                _categories.Add(category);
            }
        }

        Count(_street, kind, cat, day.DayNumber, hourly, hour, count);
        if (_gridCommunity.TryGetValue(gridId, out var cid))
        {
            if (!_byCommunity.TryGetValue(cid, out var c)) _byCommunity[cid] = c = new Counters();
            Count(c, kind, cat, day.DayNumber, hourly, hour, count);
        }

        return true;
    }

    private static void Count(Counters c, TrendKind kind, int cat, int dayNumber, bool hourly, int hour, int count)
    {
        switch (kind)
        {
            case TrendKind.Reported:
                while (c.ReportedByCategory.Count <= cat) c.ReportedByCategory.Add(new int[Days]);
                c.ReportedByCategory[cat][DaySlot(dayNumber)] += count;
                if (hourly) c.ReportedByHour[HourSlot(dayNumber) + hour] += count;
                break;
            case TrendKind.Closed:
                c.ClosedByHour[HourSlot(dayNumber) + hour] += count;
                break;
            case TrendKind.Alert:
                c.Alerts[DaySlot(dayNumber)] += count;
                break;
            case TrendKind.Alarm:
                c.Alarms[DaySlot(dayNumber)] += count;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown trend.");
        }
    }

    private static int DaySlot(int dayNumber) => dayNumber % Days;

    private static int HourSlot(int dayNumber) => dayNumber % HourlyDays * 24;

    private sealed class Counters
    {
        public static readonly Counters Empty = new();

        public int[] ReportedByHour { get; } = new int[HourlyDays * 24];
        public int[] ClosedByHour { get; } = new int[HourlyDays * 24];
        public List<int[]> ReportedByCategory { get; } = [];
        public int[] Alerts { get; } = new int[Days];
        public int[] Alarms { get; } = new int[Days];

        public void Clear()
        {
            Array.Clear(ReportedByHour);
            Array.Clear(ClosedByHour);
            ReportedByCategory.Clear();
            Array.Clear(Alerts);
            Array.Clear(Alarms);
        }

        public void ClearDay(int dayNumber)
        {
            Array.Clear(ReportedByHour, HourSlot(dayNumber), 24);
            Array.Clear(ClosedByHour, HourSlot(dayNumber), 24);
            foreach (var cat in ReportedByCategory) cat[DaySlot(dayNumber)] = 0;
            Alerts[DaySlot(dayNumber)] = 0;
            Alarms[DaySlot(dayNumber)] = 0;
        }
    }
}
