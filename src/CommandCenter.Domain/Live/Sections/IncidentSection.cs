using System.Globalization;
using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Live.Sections;

/// <summary>
/// Open incidents and their counts, kept per grid by deltas: a move touches the counts of the steps, the
/// category, the grid and the overdue figure it changes, and nothing else. Deadlines wait in a min-heap by due
/// time (entries of incidents that left are dropped when they surface, and the heap is compacted when they
/// outnumber the live ones), so the passing of time costs one step per incident that falls due. Statistics are sums over
/// the grids asked for (tens), never a pass over the open set (tens of thousands). Not thread-safe: the
/// <see cref="LiveBoard"/> owns the lock.
/// </summary>
internal sealed class IncidentSection
{
    private readonly Dictionary<long, OpenIncident> _open = [];
    private readonly Dictionary<int, GridCounts> _byGrid = [];
    private readonly PriorityQueue<long, DateTimeOffset> _pending = new();
    private int _pendingLive;
    // The overdue open incidents, most late first: the wall's overdue list is its head (O(log n) per change).
    private readonly SortedSet<(DateTimeOffset DueAt, long Id)> _overdue = [];
    // Escalations of the last hour, oldest first (pruned as time passes).
    private readonly LinkedList<(DateTimeOffset At, int GridId, long Id)> _escalations = new();
    private static readonly TimeSpan EscalationWindow = TimeSpan.FromHours(1);
    // Incidents that left the open set (closed, rejected) with the sequence of the move that took them out, the oldest
    // forgotten first. The loop's actions publish in commit order, but other events may not (a report publishes after
    // its write returns; events relayed from other nodes), so an older move of an incident may arrive after the one that
    // closed it; without this it would open the incident again on the board.
    private readonly Dictionary<long, long> _left = [];
    private readonly Queue<(long Id, long Sequence)> _leftOrder = new();
    internal const int LeftCapacity = 100_000;

    public int OpenCount => _open.Count;

    public void Load(BoardSeed seed, DateTimeOffset now, ICollection<string> skipped) =>
        Load(seed, now, skipped, _ => DateOnly.MinValue, DateOnly.MaxValue, DateOnly.MaxValue);

    public void Load(BoardSeed seed, DateTimeOffset now, ICollection<string> skipped, Func<DateTimeOffset, DateOnly> localDate, DateOnly today, DateOnly weekStart)
    {
        _open.Clear();
        _byGrid.Clear();
        _pending.Clear();
        _overdue.Clear();
        _escalations.Clear();
        _left.Clear();
        _leftOrder.Clear();
        _pendingLive = 0;
        foreach (var c in seed.ClosedThisWeek)
        {
            CountClosure(c.GridId, c.ReportedAt, c.ClosedAt, c.OnTime, localDate, today, weekStart);
        }

        foreach (var e in seed.RecentEscalations.OrderBy(e => e.At))
        {
            if (now - e.At <= EscalationWindow) _escalations.AddLast((e.At, e.GridId, e.IncidentId));
        }

        foreach (var (grid, n) in seed.ReportedTodayByGrid) Grid(grid).ReportedToday = n;
        foreach (var (grid, n) in seed.ClosedTodayByGrid) Grid(grid).ClosedToday = n;
        foreach (var i in seed.OpenIncidents)
        {
            if (!IncidentSteps.IsOpen(i.Step) || !Enum.IsDefined(i.Step))
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"incident {i.Id}: step {(int)i.Step} is not an open step"));
                continue;
            }

            if (_open.ContainsKey(i.Id))
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"incident {i.Id}: listed twice"));
                continue;
            }

            Add(new OpenIncident(i.Id, i.Category, i.GridId, i.Step, i.DueAt, 0) { Number = i.Number, Title = i.Title, Cycle = ValidCycle(i.Cycle) }, now);
        }
    }

    private static IncidentCycle ValidCycle(IncidentCycle c) => Enum.IsDefined(c) ? c : IncidentCycle.Micro;

    /// <summary>A checked-and-closed incident into today's and this week's closure figures of its grid.</summary>
    private void CountClosure(int gridId, DateTimeOffset reportedAt, DateTimeOffset closedAt, bool onTime,
        Func<DateTimeOffset, DateOnly> localDate, DateOnly today, DateOnly weekStart, int sign = 1)
    {
        var day = localDate(closedAt);
        var g = Grid(gridId);
        var ticks = Math.Max(0, (closedAt - reportedAt).Ticks);
        if (day == today) g.Today.Add(onTime, ticks, sign);
        if (day >= weekStart && day <= today) g.Week.Add(onTime, ticks, sign);
    }

    /// <summary>
    /// Applies a report or a move. Returns the grid(s) it touched, the incident's grid last; none when it was stale.
    /// <paramref name="counted"/> says whether it counts as a report (a new open incident) or a close (an open one closed).
    /// </summary>
    public IReadOnlyList<int> Apply(IncidentEvent e, DateTimeOffset now, DateOnly today, Func<DateTimeOffset, DateOnly> localDate, out TrendKind? counted) =>
        Apply(e, now, today, today, localDate, out counted);

    public IReadOnlyList<int> Apply(IncidentEvent e, DateTimeOffset now, DateOnly today, DateOnly weekStart, Func<DateTimeOffset, DateOnly> localDate, out TrendKind? counted)
    {
        var touched = ApplyMove(e, now, today, weekStart, localDate, out counted);
        // An escalation counts even when its move arrived after a later one (which then changed nothing): it happened.
        // The board has already refused a replay of the same event.
        if (e.Action == Incidents.LoopAction.Escalate && now - e.At <= EscalationWindow)
        {
            _escalations.AddLast((e.At, e.GridId, e.Id));
            if (!touched.Contains(e.GridId)) touched.Add(e.GridId);
        }

        return touched;
    }

    private List<int> ApplyMove(IncidentEvent e, DateTimeOffset now, DateOnly today, DateOnly weekStart, Func<DateTimeOffset, DateOnly> localDate, out TrendKind? counted)
    {
        counted = null;
        var touched = new List<int>(2);
        var wasOpen = _open.TryGetValue(e.Id, out var before);
        if (wasOpen && e.Sequence > 0 && before!.Sequence >= e.Sequence)
        {
            return touched; // an older move arriving late changes nothing
        }

        var left = _left.TryGetValue(e.Id, out var leftAt);
        if (!wasOpen && left && e.Sequence > 0 && leftAt >= e.Sequence)
        {
            return touched; // the same for an incident that has closed since
        }

        // The first the board hears of an incident is its report, even when a later move's event arrived before the
        // report's own (which is then older, and changes nothing). A reopen of one closed before the board loaded is not.
        if (!wasOpen && !left && e.PreviousStep != IncidentStep.Closed && IncidentSteps.IsOpen(e.Step))
        {
            counted = TrendKind.Reported;
            if (localDate(e.ReportedAt) == today) Grid(e.GridId).ReportedToday++;
        }

        if (wasOpen && IncidentSteps.IsOpen(e.Step) && before!.GridId == e.GridId && before.DueAt == e.DueAt
            && string.Equals(before.Category, e.Category, StringComparison.Ordinal))
        {
            // A step along the loop (the common case): two step counts move; the deadline entry stays where it is.
            var g = Grid(e.GridId);
            g.BySteps[StepIndex(before.Step)]--;
            g.BySteps[StepIndex(e.Step)]++;
            var cycle = ValidCycle(e.Cycle);
            if (before.Cycle != cycle)
            {
                g.ByCycle[CycleIndex(before.Cycle)]--;
                g.ByCycle[CycleIndex(cycle)]++;
                before.Cycle = cycle;
            }

            before.Step = e.Step;
            before.Sequence = e.Sequence;
            touched.Add(e.GridId);
            return touched;
        }

        if (wasOpen)
        {
            Remove(before!);
            touched.Add(before!.GridId);
        }

        if (!wasOpen && e.PreviousStep == IncidentStep.Closed && IncidentSteps.IsOpen(e.Step) && e.PreviousClosedAt is { } closedAt)
        {
            // A reopen: the close it undoes no longer counts (as a database read would not count it).
            var g = Grid(e.GridId);
            if (localDate(closedAt) == today && g.ClosedToday > 0) g.ClosedToday--;
            if (e.PreviousClosedOnTime is { } wasOnTime) CountClosure(e.GridId, e.ReportedAt, closedAt, wasOnTime, localDate, today, weekStart, -1);
        }

        if (IncidentSteps.IsOpen(e.Step))
        {
            Add(new OpenIncident(e.Id, e.Category, e.GridId, e.Step, e.DueAt, e.Sequence) { Number = e.Number, Title = e.Title, Cycle = ValidCycle(e.Cycle) }, now);
            if (left) _left.Remove(e.Id); // reopened: the open set holds its sequence again
        }
        else if (wasOpen)
        {
            counted = TrendKind.Closed;
            if (localDate(e.At) == today) Grid(e.GridId).ClosedToday++;
            if (e.ClosedOnTime is { } onTime) CountClosure(e.GridId, e.ReportedAt, e.At, onTime, localDate, today, weekStart);
        }

        if (!IncidentSteps.IsOpen(e.Step)) RememberLeft(e.Id, e.Sequence);
        if (!touched.Contains(e.GridId)) touched.Add(e.GridId);
        return touched;
    }

    private void RememberLeft(long id, long sequence)
    {
        if (sequence <= 0) return;
        _left[id] = sequence;
        _leftOrder.Enqueue((id, sequence));
        while (_leftOrder.Count > LeftCapacity)
        {
            var (oldId, oldSequence) = _leftOrder.Dequeue();
            // Only the entry it was queued for: a reopened and closed-again incident has a newer one.
            if (_left.TryGetValue(oldId, out var current) && current == oldSequence) _left.Remove(oldId);
        }
    }

    /// <summary>Counts the incidents whose deadline passed by <paramref name="now"/>; true if any did.</summary>
    public bool AdvanceTime(DateTimeOffset now)
    {
        var changed = false;
        while (_pending.TryPeek(out var id, out var dueAt) && dueAt < now)
        {
            _pending.Dequeue();
            if (_open.TryGetValue(id, out var i) && !i.Overdue && i.DueAt == dueAt)
            {
                _pendingLive--;
                i.Overdue = true;
                _overdue.Add((i.DueAt, i.Id));
                Grid(i.GridId).Overdue++;
                changed = true;
            }
        }

        while (_escalations.First is { } first && now - first.Value.At > EscalationWindow)
        {
            _escalations.RemoveFirst();
            changed = true;
        }

        return changed;
    }

    /// <summary>A new week (street time): this week's closure figures start again.</summary>
    public void NewWeek()
    {
        foreach (var g in _byGrid.Values) g.Week.Clear();
    }

    public void NewDay()
    {
        foreach (var g in _byGrid.Values)
        {
            g.ReportedToday = 0;
            g.ClosedToday = 0;
            g.Today.Clear();
        }
    }

    public int OpenIn(int gridId) => _byGrid.TryGetValue(gridId, out var g) ? g.Open : 0;

    /// <summary>The least advanced step among the grid's open incidents (what most needs acting on), or null when none is open.</summary>
    public IncidentStep? EarliestStepIn(int gridId)
    {
        if (!_byGrid.TryGetValue(gridId, out var g)) return null;
        for (var i = 0; i < g.BySteps.Length; i++)
        {
            if (g.BySteps[i] > 0) return IncidentSteps.Open[i];
        }

        return null;
    }

    /// <summary>How many of the grid's open incidents are overdue.</summary>
    public int OverdueIn(int gridId) => _byGrid.TryGetValue(gridId, out var g) ? g.Overdue : 0;

    /// <summary>The statistics of the grids that <paramref name="include"/> admits (all when null), by community too.</summary>
    public IncidentStats Stats(Func<int, bool>? include, IReadOnlyList<CommunitySummary> communities, IReadOnlyDictionary<int, int> gridCommunity) =>
        Stats(include, communities, gridCommunity, DateTimeOffset.MinValue);

    public IncidentStats Stats(Func<int, bool>? include, IReadOnlyList<CommunitySummary> communities, IReadOnlyDictionary<int, int> gridCommunity, DateTimeOffset now)
    {
        int reported = 0, closed = 0, open = 0, overdue = 0;
        var bySteps = new int[IncidentSteps.Open.Count];
        var byCycle = new int[3];
        var today = new Closures();
        var week = new Closures();
        var byCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var byCommunity = new Dictionary<int, int>();
        foreach (var (gridId, g) in _byGrid)
        {
            if (include is not null && !include(gridId)) continue;
            reported += g.ReportedToday;
            closed += g.ClosedToday;
            open += g.Open;
            overdue += g.Overdue;
            for (var s = 0; s < bySteps.Length; s++) bySteps[s] += g.BySteps[s];
            for (var c = 0; c < byCycle.Length; c++) byCycle[c] += g.ByCycle[c];
            today.Add(g.Today);
            week.Add(g.Week);
            foreach (var (cat, n) in g.ByCategory)
            {
                if (n > 0) byCategory[cat] = byCategory.GetValueOrDefault(cat) + n;
            }

            if (gridCommunity.TryGetValue(gridId, out var cid))
            {
                byCommunity[cid] = byCommunity.GetValueOrDefault(cid) + g.Open;
            }
        }

        return new IncidentStats(
            reported, closed, open, overdue,
            IncidentSteps.Open.Select((st, ix) => new StepCount(st, bySteps[ix])).ToList(),
            byCategory.Select(kv => new KeyCount(kv.Key, kv.Value))
                .OrderByDescending(k => k.Count).ThenBy(k => k.Key, StringComparer.Ordinal).ToList(),
            communities.Select(c => new KeyCount(c.Id.ToString(CultureInfo.InvariantCulture), byCommunity.GetValueOrDefault(c.Id))).ToList())
        {
            Loop = new LoopStats(
                [.. Enum.GetValues<IncidentCycle>().Select(c => new CycleCount(c, byCycle[CycleIndex(c)]))],
                OverdueList(include, now),
                _escalations.Count(e => include is null || include(e.GridId)),
                today.ToStats(),
                week.ToStats()),
        };
    }

    /// <summary>The most late overdue incidents (of the grids <paramref name="include"/> admits), most late first.</summary>
    private List<OverdueItem> OverdueList(Func<int, bool>? include, DateTimeOffset now)
    {
        var list = new List<OverdueItem>(LoopStats.OverdueListSize);
        foreach (var (dueAt, id) in _overdue)
        {
            if (list.Count == LoopStats.OverdueListSize) break;
            if (!_open.TryGetValue(id, out var i) || (include is not null && !include(i.GridId))) continue;
            var late = now > dueAt ? (int)Math.Min(int.MaxValue, (now - dueAt).TotalMinutes) : 0;
            list.Add(new OverdueItem(i.Id, i.Number, i.Category, i.GridId, i.Title, i.Step, i.Cycle, dueAt, late));
        }

        return list;
    }

    private void Add(OpenIncident i, DateTimeOffset now)
    {
        _open[i.Id] = i;
        var g = Grid(i.GridId);
        g.Open++;
        g.BySteps[StepIndex(i.Step)]++;
        g.ByCycle[CycleIndex(i.Cycle)]++;
        g.ByCategory[i.Category] = g.ByCategory.GetValueOrDefault(i.Category) + 1;
        if (i.DueAt < now)
        {
            i.Overdue = true;
            _overdue.Add((i.DueAt, i.Id));
            g.Overdue++;
        }
        else
        {
            _pending.Enqueue(i.Id, i.DueAt);
            _pendingLive++;
            if (_pending.Count > (2 * _pendingLive) + 1024)
            {
                Compact();
            }
        }
    }

    /// <summary>Rebuilds the deadline heap from the open incidents still waiting for their deadline.</summary>
    private void Compact()
    {
        _pending.Clear();
        _pending.EnqueueRange(_open.Values.Where(o => !o.Overdue).Select(o => (o.Id, o.DueAt)));
        _pendingLive = _pending.Count;
    }

    private void Remove(OpenIncident i)
    {
        _open.Remove(i.Id);
        var g = Grid(i.GridId);
        g.Open--;
        g.BySteps[StepIndex(i.Step)]--;
        g.ByCycle[CycleIndex(i.Cycle)]--;
        g.ByCategory[i.Category]--;
        if (i.Overdue)
        {
            g.Overdue--;
            _overdue.Remove((i.DueAt, i.Id));
        }
        else _pendingLive--; // its heap entry is dropped when it surfaces
    }

    private static int StepIndex(IncidentStep step) => (int)step - (int)IncidentStep.Reported;

    private static int CycleIndex(IncidentCycle cycle) => (int)cycle - (int)IncidentCycle.Micro;

    private GridCounts Grid(int gridId)
    {
        if (!_byGrid.TryGetValue(gridId, out var g))
        {
            _byGrid[gridId] = g = new GridCounts();
        }

        return g;
    }

    private sealed class OpenIncident(long id, string category, int gridId, IncidentStep step, DateTimeOffset dueAt, long sequence)
    {
        public long Id { get; } = id;
        public string Category { get; } = category;
        public int GridId { get; } = gridId;
        public IncidentStep Step { get; set; } = step;
        public DateTimeOffset DueAt { get; } = dueAt;
        public long Sequence { get; set; } = sequence;
        public bool Overdue { get; set; }
        public string Number { get; init; } = "";
        public string Title { get; init; } = "";
        public IncidentCycle Cycle { get; set; } = IncidentCycle.Micro;
    }

    /// <summary>Checked-and-closed incidents of a period: count, on time, total handling ticks.</summary>
    private sealed class Closures
    {
        public int Closed { get; private set; }
        public int OnTime { get; private set; }
        public long HandlingTicks { get; private set; }

        public void Add(bool onTime, long ticks, int sign = 1)
        {
            Closed += sign;
            if (onTime) OnTime += sign;
            HandlingTicks += sign * ticks;
        }

        public void Add(Closures other)
        {
            Closed += other.Closed;
            OnTime += other.OnTime;
            HandlingTicks += other.HandlingTicks;
        }

        public void Clear()
        {
            Closed = 0;
            OnTime = 0;
            HandlingTicks = 0;
        }

        public ClosureStats ToStats() => Closed == 0
            ? ClosureStats.Empty
            : new ClosureStats(Closed, OnTime, Math.Round((double)OnTime / Closed, 4), Math.Round(TimeSpan.FromTicks(HandlingTicks / Closed).TotalHours, 2));
    }

    private sealed class GridCounts
    {
        public int Open { get; set; }
        public int Overdue { get; set; }
        public int ReportedToday { get; set; }
        public int ClosedToday { get; set; }
        public int[] BySteps { get; } = new int[IncidentSteps.Open.Count];
        public int[] ByCycle { get; } = new int[3];
        public Closures Today { get; } = new();
        public Closures Week { get; } = new();
        public Dictionary<string, int> ByCategory { get; } = new(StringComparer.Ordinal);
    }
}
