using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen;

namespace CommandCenter.Web.Tests.WallScreen;

public sealed class CommunityOutlineTests
{
    private static GridState Square(int id, int community, double x) =>
        new(id, community, "G" + id, "Grid " + id, "网格" + id, GridKind.Basic,
            [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]], 0, true, false);

    private static int Segments(string path) => path.Count(c => c == 'M');

    [Fact]
    public void CommunityOutlines_TwoGridsOfOneCommunity_LeaveOutTheEdgeTheyShare()
    {
        var p = new MapProjection(new MapBounds(0, 0, 2, 1));

        var path = MapGeometry.CommunityOutlines(p, [Square(1, 1, 0), Square(2, 1, 1)]);

        Assert.Equal(6, Segments(path)); // 8 edges, the shared one (counted twice) left out
    }

    [Fact]
    public void CommunityOutlines_GridsOfTwoCommunities_DrawTheBorderBetweenThem()
    {
        var p = new MapProjection(new MapBounds(0, 0, 2, 1));

        var path = MapGeometry.CommunityOutlines(p, [Square(1, 1, 0), Square(2, 2, 1)]);

        Assert.Equal(8, Segments(path)); // each community outlines its own grid, the border included
    }

    [Fact]
    public void EarliestStep_OfAGrid_IsItsLeastAdvancedOpenStep()
    {
        var now = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        var board = new LiveBoard(new BoardClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now), BoardClock.FindZone("Asia/Shanghai")));
        board.Load(new BoardSeed
        {
            Communities = [new(1, "North", "北")],
            Grids = [new(1, 1, "G1", "Grid 1", "网格1", GridKind.Basic, [[0, 0], [1, 1]], true), new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [[1, 0], [2, 1]], true)],
            OpenIncidents =
            [
                new(1, "N1", "fire", 1, "t", IncidentStep.Dispatched, now, now.AddHours(5)),
                new(2, "N2", "fire", 1, "t", IncidentStep.Verified, now, now.AddHours(5)),
            ],
        });

        var grids = board.GetSnapshot().Grids;

        Assert.Equal(IncidentStep.Verified, grids.Single(g => g.Id == 1).EarliestStep);
        Assert.Null(grids.Single(g => g.Id == 2).EarliestStep);
    }
}
