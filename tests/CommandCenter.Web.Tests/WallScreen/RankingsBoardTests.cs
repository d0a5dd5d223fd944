using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Points;
using CommandCenter.Web.Live;
using CommandCenter.Web.Tests.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>The node's one copy of the wall's rankings: loaded when an assessment is stored, reloaded only when it changes.</summary>
public sealed class RankingsBoardTests
{
    [Fact]
    public async Task Refresh_LoadsOnceAndAgainOnlyWhenTheAssessmentIsRecomputed()
    {
        await using var host = await ConsoleTestHost.CreateAsync();
        var services = new ServiceCollection()
            .AddSingleton(new AssessmentVersions(host.Db))
            .AddSingleton(new AssessmentQueries(host.Db))
            .BuildServiceProvider();
        using var board = new RankingsBoard(services, host.Clock, NullLogger<RankingsBoard>.Instance);
        var changes = 0;
        board.Changed += () => changes++;

        Assert.False(await board.RefreshAsync());
        Assert.Null(board.Current);

        var engine = new AssessmentEngine(host.Db, host.Clock, new AssessmentSettingsStore(host.Db, host.Clock));
        var week = Period.WeekOf(host.Clock.Today);
        var stored = await engine.RunAsync(AssessmentKind.Grid, week);
        await engine.RunAsync(AssessmentKind.Person, week);

        Assert.True(await board.RefreshAsync());
        Assert.Equal(week.ToString(), board.Current!.Period);
        Assert.Equal(stored.Items.Select(i => i.Id).Order(), board.Current.Grids.Select(i => i.Id).Order());
        Assert.False(await board.RefreshAsync()); // nothing new: no reload, no event
        Assert.Equal(1, changes);

        host.Time.Advance(TimeSpan.FromMinutes(5));
        await engine.RunAsync(AssessmentKind.Grid, week);
        Assert.True(await board.RefreshAsync());
        Assert.Equal(2, changes);
    }
}
