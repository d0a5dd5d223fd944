namespace CommandCenter.Domain.Live.Sections;

/// <summary>
/// Patrols of the day and household visits of the month and week, counted per grid as they arrive (a
/// household counts once per period). Not thread-safe: the <see cref="LiveBoard"/> owns the lock.
/// </summary>
internal sealed class CoverageSection
{
    private readonly HashSet<int> _patrolledToday = [];
    private readonly HashSet<long> _visitedThisMonth = [];
    private readonly HashSet<long> _keyVisitedThisWeek = [];
    private readonly Dictionary<int, int> _visitedByGrid = [];
    private readonly Dictionary<int, int> _keyVisitedByGrid = [];
    private readonly Dictionary<long, int> _householdGrid = [];
    private IReadOnlyDictionary<int, int> _households = new Dictionary<int, int>();
    private IReadOnlyDictionary<int, int> _keyHouseholds = new Dictionary<int, int>();

    public void Load(BoardSeed seed)
    {
        _patrolledToday.Clear();
        _visitedThisMonth.Clear();
        _keyVisitedThisWeek.Clear();
        _visitedByGrid.Clear();
        _keyVisitedByGrid.Clear();
        _householdGrid.Clear();
        foreach (var (h, g) in seed.VisitedHouseholdGrids) _householdGrid[h] = g;
        _patrolledToday.UnionWith(seed.GridsPatrolledToday);
        foreach (var h in seed.HouseholdsVisitedThisMonth) CountVisit(h, _visitedThisMonth, _visitedByGrid);
        foreach (var h in seed.KeyHouseholdsVisitedThisWeek) CountVisit(h, _keyVisitedThisWeek, _keyVisitedByGrid);
        _households = seed.HouseholdsByGrid;
        _keyHouseholds = seed.KeyHouseholdsByGrid;
    }

    public bool PatrolledToday(int gridId) => _patrolledToday.Contains(gridId);

    public void Patrol(int gridId) => _patrolledToday.Add(gridId);

    public void Visit(VisitEvent e, bool thisMonth, bool thisWeek)
    {
        _householdGrid.TryAdd(e.HouseholdId, e.GridId);
        if (thisMonth) CountVisit(e.HouseholdId, _visitedThisMonth, _visitedByGrid);
        if (thisWeek && e.IsKeyHousehold) CountVisit(e.HouseholdId, _keyVisitedThisWeek, _keyVisitedByGrid);
    }

    public void NewDay() => _patrolledToday.Clear();

    public void NewWeek()
    {
        _keyVisitedThisWeek.Clear();
        _keyVisitedByGrid.Clear();
    }

    public void NewMonth()
    {
        _visitedThisMonth.Clear();
        _visitedByGrid.Clear();
    }

    /// <summary>Coverage of the given grids (all of them when <paramref name="include"/> is null).</summary>
    public CoverageStats Stats(IEnumerable<GridSeed> grids, Func<int, bool>? include, Func<int, bool> hasOnlineCamera)
    {
        int count = 0, staffed = 0, patrolled = 0, households = 0, visited = 0, key = 0, keyVisited = 0, withCamera = 0;
        foreach (var g in grids)
        {
            if (include is not null && !include(g.Id)) continue;
            count++;
            if (g.Staffed) staffed++;
            if (_patrolledToday.Contains(g.Id)) patrolled++;
            households += _households.GetValueOrDefault(g.Id);
            key += _keyHouseholds.GetValueOrDefault(g.Id);
            visited += _visitedByGrid.GetValueOrDefault(g.Id);
            keyVisited += _keyVisitedByGrid.GetValueOrDefault(g.Id);
            if (hasOnlineCamera(g.Id)) withCamera++;
        }

        return new CoverageStats(count, staffed, patrolled, households, visited, key, keyVisited, withCamera);
    }

    private void CountVisit(long household, HashSet<long> set, Dictionary<int, int> byGrid)
    {
        if (set.Add(household))
        {
            var grid = _householdGrid.GetValueOrDefault(household);
            byGrid[grid] = byGrid.GetValueOrDefault(grid) + 1;
        }
    }
}
