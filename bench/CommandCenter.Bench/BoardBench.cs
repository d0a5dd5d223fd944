using System.Diagnostics;
using System.Text;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using static CommandCenter.Bench.Report;

namespace CommandCenter.Bench;

/// <summary>
/// The cost of one event on the live board, in-process (no HTTP, no database), with 0, 10,000 and 50,000 open
/// incidents held: reports and moves published to boards of each size, in interleaved rounds so that the machine's
/// noise falls on every level alike. The promise under test: one event costs the same however much the board holds.
/// </summary>
internal static class BoardBench
{
    private const double TargetRatio = 0.8;
    private const int Rounds = 15;
    private const int EventsPerRound = 20_000;
    private static readonly int[] Levels = [0, 10_000, 50_000];

    public static Task RunAsync(Options options, Report report)
    {
        var clock = new BoardClock(TimeProvider.System, BoardClock.FindZone("Asia/Shanghai"));
        var boards = Levels.Select(n => new Level(n, clock)).ToList();
        foreach (var b in boards) b.Run(EventsPerRound / 4); // warm-up: JIT, dictionaries sized
        for (var r = 0; r < Rounds; r++)
        {
            foreach (var b in boards) b.Rounds.Add(b.Run(EventsPerRound));
        }

        var sb = new StringBuilder();
        sb.AppendLine(I($"`LiveBoard.Publish` of {EventsPerRound:N0} events per round (one in six a report of a new incident, the others a move of an open one a step on; a move to Closed leaves the open set, so the open set stays about its size), {Rounds} rounds per level, levels interleaved round by round; a board with the demo street's shape (6 communities, 52 grids). Every 100 events the street snapshot and one community's snapshot are taken, as the hub's 100 ms sends would at 1,000 events a second. Time per event = round time ÷ events."));
        sb.AppendLine();
        sb.AppendLine("| Open incidents held | Open at the end | per event: median round | best round | worst round |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var b in boards)
        {
            var sorted = b.Rounds.Order().ToList();
            sb.AppendLine(I($"| {b.Open:N0} | {b.Board.GetSnapshot().Incidents.Open:N0} | **{sorted[sorted.Count / 2]:0.00} µs** | {sorted[0]:0.00} µs | {sorted[^1]:0.00} µs |"));
        }

        var median = boards.Select(b => b.Rounds.Order().ElementAt(b.Rounds.Count / 2)).ToList();
        var ratio = median[0] / median[^1]; // events per second at 50k ÷ at 0
        report.Add(new Headline("Live board: µs per event with 0 / 10,000 / 50,000 open (in-process)",
            string.Join(" / ", median.Select(m => I($"{m:0.00}"))), "—", "—"));
        report.Add(new Headline(I($"Live board: events/s with {Levels[^1]:N0} open ÷ with 0"), I($"{ratio:0.00}"), I($"≥ {TargetRatio:0.0}"), AtLeast(ratio, TargetRatio)));
        report.Section("Live board: cost of one event against the state held", sb.ToString());
        return Task.CompletedTask;
    }

    private sealed class Level
    {
        private readonly Random _rnd = new(7);
        private readonly List<(long Id, int Grid, string Category, IncidentStep Step)> _open = [];
        private long _nextId = 1, _seq = 1;
        private static readonly string[] Categories = [.. IncidentCategories.All.Select(c => c.Entry.Code)];

        public Level(int open, BoardClock clock)
        {
            Open = open;
            Clock = clock;
            Board = new LiveBoard(clock);
            var now = clock.Now;
            var seeds = new List<OpenIncidentSeed>(open);
            for (var i = 0; i < open; i++)
            {
                var id = _nextId++;
                var grid = 1 + (i % 52);
                var cat = Categories[i % Categories.Length];
                var step = (IncidentStep)(1 + (i % 5));
                seeds.Add(new OpenIncidentSeed(id, "B" + id, cat, grid, "t", step, now.AddHours(-i % 200), now.AddHours((i % 96) - 24)));
                _open.Add((id, grid, cat, step));
            }

            Board.Load(new BoardSeed
            {
                Communities = [.. Enumerable.Range(1, 6).Select(c => new CommunitySummary(c, "C" + c, "社区" + c))],
                Grids = [.. Enumerable.Range(1, 52).Select(g => new GridSeed(g, 1 + ((g - 1) % 6), "G" + g, "Grid " + g, "网格" + g, GridKind.Basic,
                    [[g, 0], [g + 1, 0], [g + 1, 1], [g, 1], [g, 0]], true))],
                OpenIncidents = seeds,
                HighWater = new Dictionary<EventStream, long> { [EventStream.Incident] = 0 },
            });
        }

        public int Open { get; }
        public BoardClock Clock { get; }
        public LiveBoard Board { get; }
        public List<double> Rounds { get; } = [];

        /// <summary>Publishes <paramref name="count"/> events; returns µs per event.</summary>
        public double Run(int count)
        {
            var now = Clock.Now;
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                if (_open.Count == 0 || _rnd.Next(6) == 0)
                {
                    var id = _nextId++;
                    var grid = 1 + _rnd.Next(52);
                    var cat = Categories[_rnd.Next(Categories.Length)];
                    Board.Publish(new IncidentEvent(id, "B" + id, cat, grid, "t", IncidentStep.Reported, null, now, now.AddHours(24), now) { Sequence = _seq++ });
                    _open.Add((id, grid, cat, IncidentStep.Reported));
                }
                else
                {
                    var k = _rnd.Next(_open.Count);
                    var (id, grid, cat, step) = _open[k];
                    var next = step + 1;
                    Board.Publish(new IncidentEvent(id, "B" + id, cat, grid, "t", next, step, now, now.AddHours(24), now) { Sequence = _seq++ });
                    if (next == IncidentStep.Closed)
                    {
                        _open[k] = _open[^1];
                        _open.RemoveAt(_open.Count - 1);
                    }
                    else
                    {
                        _open[k] = (id, grid, cat, next);
                    }
                }

                if (i % 100 == 99)
                {
                    Board.GetSnapshot();
                    Board.GetSnapshot(1 + (i % 6));
                }
            }

            return (Stopwatch.GetTimestamp() - t0) * 1_000_000.0 / Stopwatch.Frequency / count;
        }
    }
}
