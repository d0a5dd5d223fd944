using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;

namespace CommandCenter.Web.Live;

/// <summary>
/// What the wall's rankings panel shows: this week's stored assessment of the grids (ranks, tiers, movement, points)
/// and of the people (their points), as loaded into memory once for every screen of the node.
/// </summary>
public sealed record WallRankings(string Period, string Status, DateTimeOffset ComputedAt, IReadOnlyList<AssessmentItemView> Grids, IReadOnlyList<AssessmentItemView> People)
{
    /// <summary>Only the items of one community (a screen scoped to it); null keeps all.</summary>
    public WallRankings For(int? communityId) => communityId is null
        ? this
        : this with { Grids = Grids.Where(g => g.CommunityId == communityId).ToList(), People = People.Where(p => p.CommunityId == communityId).ToList() };

    /// <summary>Ranked grids, best first.</summary>
    public IEnumerable<AssessmentItemView> Ranked => Grids.Where(g => g.Rank is not null).OrderBy(g => g.Rank).ThenBy(g => g.Id);

    /// <summary>The grids that moved most (either way), largest change first.</summary>
    public IEnumerable<AssessmentItemView> Movers => Grids.Where(g => g.Rank is not null && g.Movement is not null and not 0)
        .OrderByDescending(g => Math.Abs(g.Movement!.Value)).ThenBy(g => g.Rank);

    /// <summary>People with points in the period, most first.</summary>
    public IEnumerable<AssessmentItemView> PeopleByPoints => People.Where(p => p.Points > 0).OrderByDescending(p => p.Points).ThenBy(p => p.Id);

    /// <summary>Grids by their points in the period, most first.</summary>
    public IEnumerable<AssessmentItemView> GridsByPoints => Grids.OrderByDescending(g => g.Points).ThenBy(g => g.Id);
}

/// <summary>
/// The node's one copy of <see cref="WallRankings"/>. Every <see cref="CheckInterval"/> it reads one cell — when this
/// week's grid assessment was computed — and reloads the assessment only when that changed (the assessment job stored
/// a new result) or the week turned. Screens read <see cref="Current"/> (no query per circuit) and re-render on
/// <see cref="Changed"/>. Until this week has an assessment, last week's is shown.
/// </summary>
public sealed class RankingsBoard(IServiceProvider services, BoardClock clock, ILogger<RankingsBoard> log) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);

    /// <summary>The rankings now, or null when no assessment is stored for this week or the last.</summary>
    public WallRankings? Current { get; private set; }

    /// <summary>Raised (on the refreshing thread) after <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    /// <summary>Checks the version and reloads when it changed; true when <see cref="Current"/> changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct = default)
    {
        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var versions = services.GetRequiredService<AssessmentVersions>();
            var week = Period.WeekOf(clock.Today);
            var at = await versions.ComputedAtAsync(AssessmentKind.Grid, week, ct).ConfigureAwait(false);
            if (at is null)
            {
                week = week.Previous();
                at = await versions.ComputedAtAsync(AssessmentKind.Grid, week, ct).ConfigureAwait(false);
            }

            if (at is null)
            {
                if (Current is null) return false;
                Current = null;
            }
            else
            {
                if (Current is { } c && c.Period == week.ToString() && c.ComputedAt == at.Value) return false;
                var queries = services.GetRequiredService<AssessmentQueries>();
                var grids = await queries.GetAsync(AssessmentKind.Grid, week, Actor.SystemActor, ct).ConfigureAwait(false);
                if (grids is null) return false;
                var people = await queries.GetAsync(AssessmentKind.Person, week, Actor.SystemActor, ct).ConfigureAwait(false);
                Current = new WallRankings(grids.Period, grids.Status, grids.ComputedAt, grids.Items, people?.Items ?? []);
            }
        }
        finally
        {
            _refresh.Release();
        }

        try
        {
            Changed?.Invoke();
        }
        catch (Exception ex)
        {
            log.LogError(ex, "A rankings subscriber failed");
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "The wall's rankings could not be refreshed; trying again in {Interval}", CheckInterval);
            }

            try
            {
                await Task.Delay(CheckInterval, clock.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _refresh.Dispose();
        base.Dispose();
    }
}
