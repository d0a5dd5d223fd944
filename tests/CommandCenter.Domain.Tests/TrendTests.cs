using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Microsoft.Extensions.Time.Testing;

namespace CommandCenter.Domain.Tests;

public sealed class TrendTests
{
    // 2026-11-23 14:00 in Shanghai (UTC+8), a Monday; the window's first day is 2026-10-25.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 23);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly LiveBoard _board;
    private readonly List<LiveChange> _changes = [];

    public TrendTests()
    {
        _board = new LiveBoard(new BoardClock(_time, BoardClock.FindZone("Asia/Shanghai")), new CommandCenter.Domain.Devices.SilenceMargin(2, TimeSpan.Zero)); // 300 s × 2: the 10 minutes of a default point;
        _board.Load(Seed());
        _board.Subscribe(_changes.Add);
    }

    private static BoardSeed Seed() => new()
    {
        Communities = [new(1, "North", "北"), new(2, "South", "南")],
        Grids =
        [
            new(1, 1, "G1", "Grid 1", "网格1", GridKind.Basic, [], true),
            new(2, 1, "G2", "Grid 2", "网格2", GridKind.Basic, [], false),
            new(3, 2, "G3", "Market", "市场", GridKind.Exclusive, [], true),
        ],
        Cameras = [new(1, "CAM-1", "Gate", 1, 0.5, 0.5, true), new(2, "CAM-2", "Market", 3, 2.5, 0.5, true)],
        WaterPoints = [new(1, "WL-01", "Underpass", "下穿", 2, 1.5, 0.5, 15, 30, [new Reading(1, 2, Now.AddMinutes(-1))])],
        OpenIncidents = [new(10, "N10", "fire", 1, "Smoke", IncidentStep.Dispatched, Now.AddHours(-6), Now.AddHours(20))],
        Trends =
        [
            new(TrendKind.Reported, 1, "fire", Today.AddDays(-7), 14, 3),
            new(TrendKind.Closed, 3, null, Today.AddDays(-7), 9, 2),
            new(TrendKind.Reported, 3, "noise", Today.AddDays(-3), 0, 4),
            new(TrendKind.Alert, 1, null, Today.AddDays(-29), 0, 5),
            new(TrendKind.Alarm, 2, null, Today.AddDays(-1), 0, 1),
            new(TrendKind.Reported, 1, "fire", Today.AddDays(-30), 10, 9), // outside the window
        ],
    };

    private static IncidentEvent Reported(long id, int grid = 2, string category = "sanitation", long sequence = 0) =>
        new(id, "N" + id, category, grid, "t", IncidentStep.Reported, null, Now, Now.AddHours(24), Now) { Sequence = sequence };

    [Fact]
    public void Load_Seed_FillsTheWindowAndLeavesOutWhatIsOlder()
    {
        var t = _board.GetSnapshot().Trends;

        Assert.Equal(Today.AddDays(-29), t.FirstDay);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero), t.TodayStart);
        Assert.Equal(3, t.ReportedByHourLastWeek[14]);
        Assert.Equal(3, t.ReportedByHourLastWeek.Sum());
        Assert.Equal(2, t.ClosedByHourLastWeek[9]);
        Assert.Equal(0, t.ReportedByHour.Sum());
        Assert.Equal(["noise", "fire"], t.Categories.Select(c => c.Key));
        Assert.Equal(4, t.Categories[0].Days[26]);
        Assert.Equal(3, t.Categories[1].Days[22]);
        Assert.Equal(3, t.Categories[1].Days.Sum());
        Assert.Equal(5, t.Alerts[0]);
        Assert.Equal(1, t.Alarms[28]);
        Assert.All([t.ReportedByHour, t.ClosedByHour, t.ReportedByHourLastWeek, t.ClosedByHourLastWeek], h => Assert.Equal(24, h.Count));
        Assert.All([t.Alerts, t.Alarms, .. t.Categories.Select(c => c.Days)], d => Assert.Equal(TrendStats.Days, d.Count));
    }

    [Fact]
    public void Publish_ReportAndClose_MoveTodaysBuckets()
    {
        _board.Publish(Reported(12));
        Assert.True(_changes[^1].Sections.HasFlag(LiveSections.Trends));
        _board.Publish(new IncidentEvent(10, "N10", "fire", 1, "Smoke", IncidentStep.Closed, IncidentStep.FeedbackGiven, Now.AddHours(-6), Now.AddHours(20), Now));

        var t = _board.GetSnapshot().Trends;
        Assert.Equal(1, t.ReportedByHour[14]);
        Assert.Equal(1, t.ReportedByHour.Sum());
        Assert.Equal(1, t.ClosedByHour[14]);
        Assert.Equal(1, t.Categories.Single(c => c.Key == "sanitation").Days[^1]);
        Assert.Equal(3, t.ReportedByHourLastWeek[14]); // last week's figures stay
    }

    [Fact]
    public void Publish_StepAlongTheLoop_DoesNotTouchTheTrends()
    {
        var before = _board.GetSnapshot().Trends;

        _board.Publish(new IncidentEvent(10, "N10", "fire", 1, "Smoke", IncidentStep.Processed, IncidentStep.Dispatched, Now.AddHours(-6), Now.AddHours(20), Now));

        Assert.False(_changes[^1].Sections.HasFlag(LiveSections.Trends));
        Assert.Same(before, _board.GetSnapshot().Trends); // not rebuilt
    }

    private static WaterAlarmChange Change(long id, WaterAlarmKind kind, AlarmTransitionType type, DateTimeOffset at) => new(id, 1, kind, type, 31, at);

    [Fact]
    public void Publish_AlertsAndReadings_CountAlertsAndTheAlarmsTheLevelMachineRaised()
    {
        _board.Publish(new CameraAlertEvent(7, 1, "crowd", 0.9, Now));
        // Readings at the line with no alarm raised (pending, or noise the hysteresis holds): the bare threshold counts nothing.
        _board.Publish(new ReadingsEvent([new Reading(1, 18, Now), new Reading(1, 31, Now.AddMinutes(1))]));
        Assert.False(_changes[^1].Sections.HasFlag(LiveSections.Trends));
        _board.Publish(new ReadingsEvent([new Reading(1, 35, Now.AddMinutes(2))])
        {
            Alarms = [Change(1, WaterAlarmKind.Warning, AlarmTransitionType.Raised, Now.AddMinutes(2)), Change(2, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, Now.AddMinutes(2))],
        });
        Assert.True(_changes[^1].Sections.HasFlag(LiveSections.Trends));
        // Its peak, its clear, and a rate-of-rise alarm are not alarms of the counter.
        _board.Publish(new ReadingsEvent([new Reading(1, 40, Now.AddMinutes(3))])
        {
            Alarms = [Change(2, WaterAlarmKind.Alarm, AlarmTransitionType.Peak, Now.AddMinutes(3)), Change(3, WaterAlarmKind.RateOfRise, AlarmTransitionType.Raised, Now.AddMinutes(3))],
        });
        _board.Publish(new ReadingsEvent([new Reading(1, 5, Now.AddMinutes(4))]) { Alarms = [Change(2, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared, Now.AddMinutes(4))] });
        Assert.False(_changes[^1].Sections.HasFlag(LiveSections.Trends));
        _board.Publish(new ReadingsEvent([new Reading(1, 36, Now.AddMinutes(6))]) { Alarms = [Change(4, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, Now.AddMinutes(6))] });
        _board.Publish(new ReadingsEvent([new Reading(1, 33, Now.AddDays(-1))]) { Alarms = [Change(5, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, Now.AddDays(-1))] });

        var t = _board.GetSnapshot().Trends;
        Assert.Equal(1, t.Alerts[^1]);
        Assert.Equal(2, t.Alarms[^1]);
        Assert.Equal(2, t.Alarms[^2]); // the seed's one of yesterday and the late one
    }

    [Fact]
    public void CountsAsAlarm_IsTheAlarmLevelRaised_Only()
    {
        Assert.True(TrendSeedBuilder.CountsAsAlarm(WaterAlarmKind.Alarm));
        Assert.False(TrendSeedBuilder.CountsAsAlarm(WaterAlarmKind.Warning));
        Assert.False(TrendSeedBuilder.CountsAsAlarm(WaterAlarmKind.RateOfRise));
        Assert.Equal(
            [true, false, false],
            new[] { AlarmTransitionType.Raised, AlarmTransitionType.Peak, AlarmTransitionType.Cleared }.Select(x => TrendSeedBuilder.CountsAsAlarm(Change(1, WaterAlarmKind.Alarm, x, Now))));
    }

    [Fact]
    public void Publish_ReplayedEvents_CountOnce()
    {
        _board.Publish(Reported(12, sequence: 100));
        _board.Publish(Reported(12, sequence: 100));
        _board.Publish(new CameraAlertEvent(7, 1, "crowd", 0.9, Now) { Sequence = 7 });
        _board.Publish(new CameraAlertEvent(7, 1, "crowd", 0.9, Now) { Sequence = 7 });
        var raised = new ReadingsEvent([new Reading(1, 31, Now)]) { Sequence = 40, Alarms = [Change(9, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, Now)] };
        _board.Publish(raised);
        _board.Publish(raised);

        var t = _board.GetSnapshot().Trends;
        Assert.Equal(1, t.ReportedByHour.Sum());
        Assert.Equal(1, t.Alerts[^1]);
        Assert.Equal(1, t.Alarms[^1]);
    }

    [Fact]
    public void Tick_NextDay_ShiftsTheSeriesAndStartsAnEmptyDay()
    {
        _board.Publish(Reported(12));
        _board.Publish(new CameraAlertEvent(7, 1, "crowd", 0.9, Now));

        _time.Advance(TimeSpan.FromDays(1));
        Assert.True(_board.Tick());

        var t = _board.GetSnapshot().Trends;
        Assert.Equal(Today.AddDays(-28), t.FirstDay);
        Assert.Equal(0, t.ReportedByHour.Sum());
        Assert.Equal(0, t.ReportedByHourLastWeek.Sum()); // last week's Tuesday had none
        Assert.Equal(1, t.Categories.Single(c => c.Key == "sanitation").Days[^2]);
        Assert.Equal(0, t.Categories.Single(c => c.Key == "sanitation").Days[^1]);
        Assert.Equal(1, t.Alerts[^2]);
        Assert.Equal(0, t.Alerts[0]); // the oldest day (5 alerts) left the window
        Assert.DoesNotContain(5, t.Alerts);
        Assert.Equal(4, t.Categories.Single(c => c.Key == "noise").Days[25]);

        _time.Advance(TimeSpan.FromDays(6));
        _board.Tick();
        var week = _board.GetSnapshot().Trends;
        Assert.Equal(1, week.ReportedByHourLastWeek[14]); // the report of a week ago, at its hour
        Assert.Equal(0, week.ReportedByHour.Sum());
    }

    [Fact]
    public void Tick_ManyDaysLater_EmptiesEveryBucket()
    {
        _time.Advance(TimeSpan.FromDays(45));
        _board.Tick();

        var t = _board.GetSnapshot().Trends;
        Assert.Empty(t.Categories);
        Assert.Equal(0, t.Alerts.Sum() + t.Alarms.Sum() + t.ReportedByHourLastWeek.Sum() + t.ClosedByHourLastWeek.Sum());
    }

    [Fact]
    public void GetSnapshot_PerCommunity_CutsSumToTheStreet()
    {
        _board.Publish(Reported(12, grid: 2));
        _board.Publish(Reported(13, grid: 3, category: "noise"));
        _board.Publish(new CameraAlertEvent(7, 2, "crowd", 0.9, Now));
        _board.Publish(new ReadingsEvent([new Reading(1, 31, Now)]) { Alarms = [Change(9, WaterAlarmKind.Alarm, AlarmTransitionType.Raised, Now)] });

        var street = _board.GetSnapshot().Trends;
        var north = _board.GetSnapshot(1).Trends;
        var south = _board.GetSnapshot(2).Trends;

        static int[] Sum(IReadOnlyList<int> a, IReadOnlyList<int> b) => [.. a.Zip(b, (x, y) => x + y)];
        Assert.Equal(street.ReportedByHour, Sum(north.ReportedByHour, south.ReportedByHour));
        Assert.Equal(street.ClosedByHourLastWeek, Sum(north.ClosedByHourLastWeek, south.ClosedByHourLastWeek));
        Assert.Equal(street.ReportedByHourLastWeek, Sum(north.ReportedByHourLastWeek, south.ReportedByHourLastWeek));
        Assert.Equal(street.Alerts, Sum(north.Alerts, south.Alerts));
        Assert.Equal(street.Alarms, Sum(north.Alarms, south.Alarms));
        foreach (var c in street.Categories)
        {
            var n = north.Categories.SingleOrDefault(x => x.Key == c.Key)?.Days ?? new int[TrendStats.Days];
            var s = south.Categories.SingleOrDefault(x => x.Key == c.Key)?.Days ?? new int[TrendStats.Days];
            Assert.Equal(c.Days, Sum(n, s));
        }

        Assert.Equal(1, south.Alerts[^1]);
        Assert.Equal(1, north.Alarms[^1]);
        Assert.Equal(2, south.ClosedByHourLastWeek[9]);
        Assert.Same(north, _board.GetSnapshot(1).Trends);
    }

    [Fact]
    public void ChangeCoalescer_CarriesTrendsOnlyWhenTheyChanged()
    {
        var coalescer = new ChangeCoalescer();
        using var _ = _board.Subscribe(c => coalescer.Add(c));

        _board.Publish(new IncidentEvent(10, "N10", "fire", 1, "Smoke", IncidentStep.Processed, IncidentStep.Dispatched, Now.AddHours(-6), Now.AddHours(20), Now));
        Assert.Null(coalescer.Take()!.ToBatch(_board, null).Trends);

        _board.Publish(Reported(12, grid: 3));
        var batch = coalescer.Take()!;
        Assert.Equal(1, batch.ToBatch(_board, null).Trends!.ReportedByHour[14]);
        Assert.Equal(1, batch.ToBatch(_board, 2).Trends!.ReportedByHour[14]);
        Assert.Equal(0, batch.ToBatch(_board, 1).Trends!.ReportedByHour[14]);
    }

    [Fact]
    public void Trends_AsJson_AreArraysOfNumbersWithTheStartsOnce()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(_board.GetSnapshot().Trends, System.Text.Json.JsonSerializerOptions.Web);

        Assert.StartsWith("{\"todayStart\":\"2026-11-22T16:00:00+00:00\",\"firstDay\":\"2026-10-25\",\"reportedByHour\":[0,0,", json);
        Assert.Contains("\"categories\":[{\"key\":\"noise\",\"days\":[0,", json);
        Assert.True(json.Length < 1200, json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
