using System.Globalization;
using Bunit;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace CommandCenter.Web.Tests.WallScreen;

/// <summary>
/// A bUnit context with a real <see cref="LiveBoard"/> on a <see cref="FakeTimeProvider"/> in Asia/Shanghai, loaded
/// with a small hand-made street: 2 communities, 3 grids (square polygons), 2 cameras, 1 water point, 4 open incidents.
/// Sets the culture for the test and restores it on dispose.
/// </summary>
internal sealed class WallScreenTestHost : IAsyncDisposable
{
    /// <summary>Tuesday 3 June 2025, 10:30:15 in Shanghai (UTC+8).</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 3, 2, 30, 15, TimeSpan.Zero);

    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public WallScreenTestHost(string culture = "en-US", Func<DateTimeOffset, BoardSeed>? seed = null)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        Time = new FakeTimeProvider(Start);
        Clock = new BoardClock(Time, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Board = new LiveBoard(Clock);
        Board.Load((seed ?? Seed)(Start));
        Subscriptions = new CountingBoard(Board);

        Ctx = new BunitContext();
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Ctx.Services.AddSingleton<TimeProvider>(Time);
        Ctx.Services.AddSingleton(Clock);
        Ctx.Services.AddSingleton(Board);
        Ctx.Services.AddSingleton<ILiveBoard>(Subscriptions);
        Ctx.Services.AddSingleton(Options.Create(new CommandCenterOptions { StaleAfterSeconds = 60 }));
    }

    public FakeTimeProvider Time { get; }
    public BoardClock Clock { get; }
    public LiveBoard Board { get; }
    public CountingBoard Subscriptions { get; }
    public BunitContext Ctx { get; }

    public static BoardSeed Seed(DateTimeOffset now) => Seed(now, null);

    /// <summary>The test street with other <paramref name="cameras"/> (null: the two of <see cref="Seed(DateTimeOffset)"/>).</summary>
    public static BoardSeed Seed(DateTimeOffset now, IReadOnlyList<CameraMark>? cameras) => new()
    {
        StreetName = "Longshan Street",
        StreetNameZh = "龙山街道",
        Communities = [new CommunitySummary(1, "Dongfeng Community", "东风社区"), new CommunitySummary(2, "Xinhua Community", "新华社区")],
        Grids =
        [
            new GridSeed(1, 1, "370402001001001", "Grid 1", "第一网格", GridKind.Basic, Square(117.50, 34.80), Staffed: true),
            new GridSeed(2, 1, "370402001001002", "Market grid", "市场专属网格", GridKind.Exclusive, Square(117.51, 34.80), Staffed: true),
            new GridSeed(3, 2, "370402001002001", "Grid 3", "第三网格", GridKind.Basic, Square(117.50, 34.81), Staffed: false),
        ],
        Cameras = cameras ??
        [
            new CameraMark(1, "CAM-001", "Gate camera", 1, 117.505, 34.805, Online: true),
            new CameraMark(2, "CAM-002", "Lane camera", 3, 117.505, 34.815, Online: false),
        ],
        WaterPoints =
        [
            new WaterPointSeed(1, "WP-01", "Railway underpass", "铁路桥涵", 2, 117.515, 34.805, WarningCm: 15, AlarmCm: 30,
                [new Reading(1, 4, now.AddHours(-3)), new Reading(1, 8, now.AddMinutes(-1))]),
        ],
        OpenIncidents =
        [
            new OpenIncidentSeed(101, "E-101", "sanitation", 1, "Garbage pile", IncidentStep.Reported, now.AddHours(-1), now.AddHours(23)),
            new OpenIncidentSeed(102, "E-102", "sanitation", 1, "Overflowing bins", IncidentStep.Dispatched, now.AddHours(-2), now.AddHours(22)),
            new OpenIncidentSeed(103, "E-103", "fire", 2, "Blocked fire exit", IncidentStep.Verified, now.AddHours(-6), now.AddHours(-2)),
            new OpenIncidentSeed(104, "E-104", "noise", 3, "Night works", IncidentStep.Processed, now.AddDays(-1), now.AddDays(1)),
        ],
        ReportedTodayByGrid = new Dictionary<int, int> { [1] = 2, [3] = 1 },
        ClosedTodayByGrid = new Dictionary<int, int> { [1] = 2 },
        GridsPatrolledToday = [1],
        HouseholdsByGrid = new Dictionary<int, int> { [1] = 120, [2] = 50, [3] = 30 },
        KeyHouseholdsByGrid = new Dictionary<int, int> { [1] = 12, [2] = 5, [3] = 3 },
        HouseholdsVisitedThisMonth = [.. Enumerable.Range(1, 37).Select(i => (long)i)],
        KeyHouseholdsVisitedThisWeek = [5, 6, 7],
        VisitedHouseholdGrids = Enumerable.Range(1, 37).ToDictionary(i => (long)i, i => i <= 30 ? 1 : 3),
        RecentAlerts = [new AlertItem(11, 1, "Gate camera", 1, "garbage_overflow", 0.87, now.AddMinutes(-5), AlertStatus.New)],
        AlertsTodayByGrid = new Dictionary<int, int> { [1] = 3, [3] = 1 },
        LastEventAt = now.AddSeconds(-10),
    };

    /// <summary>A 0.01° square with its south-west corner at (lon, lat), closed.</summary>
    public static IReadOnlyList<double[]> Square(double lon, double lat) =>
        [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]];

    public async ValueTask DisposeAsync()
    {
        await Ctx.DisposeAsync();
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }

    /// <summary>The live board as the page sees it, counting the subscriptions still active.</summary>
    internal sealed class CountingBoard(LiveBoard inner) : ILiveBoard
    {
        private int _active;

        public int Active => Volatile.Read(ref _active);

        public long Version => inner.Version;

        public LiveSnapshot GetSnapshot() => inner.GetSnapshot();

        public LiveSnapshot GetSnapshot(int? communityId) => inner.GetSnapshot(communityId);

        public IDisposable Subscribe(Action<LiveChange> onChange)
        {
            var sub = inner.Subscribe(onChange);
            Interlocked.Increment(ref _active);
            return new Counted(this, sub);
        }

        private sealed class Counted(CountingBoard owner, IDisposable inner) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    inner.Dispose();
                    Interlocked.Decrement(ref owner._active);
                }
            }
        }
    }
}
