using System.Globalization;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using FsCheck;
using FsCheck.Xunit;

namespace CommandCenter.Domain.Tests;

public sealed class LevelMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 7, 20, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The settings the recorded storms were written for (see the header of each file in Storms/).</summary>
    private static readonly LevelSettings Storm = new(15, 30, 3, TimeSpan.FromSeconds(60), 2);

    private static List<(DateTimeOffset At, double Depth)> LoadStorm(string name) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Storms", name))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(','))
            .Select(p => (T0.AddSeconds(int.Parse(p[0], CultureInfo.InvariantCulture)), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    private static List<AlarmTransition> Run(LevelSettings settings, IEnumerable<(DateTimeOffset At, double Depth)> readings, LevelMachine? machine = null)
    {
        machine ??= new LevelMachine(settings);
        var transitions = new List<AlarmTransition>();
        foreach (var (at, depth) in readings) machine.Apply(depth, at, transitions);
        return transitions;
    }

    private static int Count(List<AlarmTransition> t, WaterAlarmKind kind, AlarmTransitionType type) => t.Count(x => x.Kind == kind && x.Type == type);

    [Fact]
    public void SlowStorm_WithNoiseAtTheLines_RaisesAndClearsEachLevelOnceAndNoRateOfRise()
    {
        var storm = LoadStorm("slow-rise-and-fall.csv");
        var t = Run(Storm, storm);

        Assert.Equal(1, Count(t, WaterAlarmKind.Warning, AlarmTransitionType.Raised));
        Assert.Equal(1, Count(t, WaterAlarmKind.Warning, AlarmTransitionType.Cleared));
        Assert.Equal(1, Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Raised));
        Assert.Equal(1, Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared));
        Assert.DoesNotContain(t, x => x.Kind == WaterAlarmKind.RateOfRise);
        // Raised only once the line held for the pending time; cleared only below the line minus the margin.
        var raised = t.Single(x => x.Kind == WaterAlarmKind.Alarm && x.Type == AlarmTransitionType.Raised);
        Assert.True(storm.Where(r => r.At >= raised.At - Storm.Pending && r.At <= raised.At).All(r => r.Depth >= 30));
        Assert.True(t.Single(x => x.Kind == WaterAlarmKind.Alarm && x.Type == AlarmTransitionType.Cleared).DepthCm < 27);
        var peak = t.Where(x => x.Kind == WaterAlarmKind.Alarm && x.Type == AlarmTransitionType.Peak).Max(x => x.DepthCm);
        Assert.Equal(storm.Max(r => r.Depth), peak);
    }

    [Fact]
    public void FlashRise_RaisesRateOfRiseBeforeTheAlarmAndEachOnce()
    {
        var t = Run(Storm, LoadStorm("flash-rise.csv"));

        Assert.Equal(1, Count(t, WaterAlarmKind.RateOfRise, AlarmTransitionType.Raised));
        Assert.Equal(1, Count(t, WaterAlarmKind.RateOfRise, AlarmTransitionType.Cleared));
        Assert.Equal(1, Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Raised));
        Assert.Equal(1, Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared));
        var rise = t.First(x => x.Kind == WaterAlarmKind.RateOfRise && x.Type == AlarmTransitionType.Raised);
        var alarm = t.First(x => x.Kind == WaterAlarmKind.Alarm && x.Type == AlarmTransitionType.Raised);
        Assert.True(rise.At < alarm.At, $"rate of rise at {rise.At:HH:mm:ss}, alarm at {alarm.At:HH:mm:ss}");
    }

    [Fact]
    public void SingleSpike_OfOneReading_RaisesNothing()
    {
        var t = Run(Storm, LoadStorm("single-spike.csv"));

        Assert.Empty(t);
    }

    [Fact]
    public void NoiseAtTheAlarmLine_ForTwoHours_RaisesAtMostOnceAndNeverClears()
    {
        var t = Run(Storm, LoadStorm("noise-at-alarm-line.csv"));

        Assert.InRange(Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Raised), 0, 1);
        Assert.Equal(0, Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared));
    }

    [Fact]
    public void PendingRaise_IsCancelledByAReadingBackBelowTheLine()
    {
        var m = new LevelMachine(new LevelSettings(15, 30, 3, TimeSpan.FromSeconds(60), null));
        var t = new List<AlarmTransition>();
        m.Apply(20, T0, t);                 // warning line reached: pending
        m.Apply(20, T0.AddSeconds(30), t);
        m.Apply(14, T0.AddSeconds(50), t);  // back below: the pending raise is cancelled
        m.Apply(20, T0.AddSeconds(70), t);  // pending starts again here
        m.Apply(20, T0.AddSeconds(120), t);
        Assert.Empty(t);
        Assert.Equal(WaterLevel.Normal, m.Level);

        m.Apply(20, T0.AddSeconds(130), t);
        Assert.Equal([new AlarmTransition(WaterAlarmKind.Warning, AlarmTransitionType.Raised, 20, T0.AddSeconds(130))], t);
        Assert.Equal(WaterLevel.Warning, m.Level);
    }

    [Fact]
    public void JumpToTheAlarmDepth_OpensWarningAndAlarm_AndFallingToTheWarningBandClosesOnlyTheAlarm()
    {
        var m = new LevelMachine(new LevelSettings(15, 30, 3, TimeSpan.Zero, null));
        var t = new List<AlarmTransition>();
        m.Apply(40, T0, t);
        Assert.Equal([WaterAlarmKind.Warning, WaterAlarmKind.Alarm], t.Select(x => x.Kind));
        Assert.Equal(WaterLevel.Alarm, m.Level);

        t.Clear();
        m.Apply(28, T0.AddSeconds(30), t); // above 30 - 3: still Alarm
        Assert.Empty(t);
        m.Apply(20, T0.AddSeconds(60), t);
        Assert.Equal([new AlarmTransition(WaterAlarmKind.Alarm, AlarmTransitionType.Cleared, 20, T0.AddSeconds(60))], t);
        Assert.Equal(WaterLevel.Warning, m.Level);
    }

    [Fact]
    public void LateAndRepeatedReadings_AreIgnoredForTheState()
    {
        var m = new LevelMachine(new LevelSettings(15, 30, 3, TimeSpan.Zero, null));
        var t = new List<AlarmTransition>();
        Assert.True(m.Apply(40, T0.AddMinutes(5), t));
        t.Clear();

        Assert.False(m.Apply(5, T0.AddMinutes(5), t));   // the same instant again
        Assert.False(m.Apply(5, T0.AddMinutes(1), t));   // older than the last applied
        Assert.False(m.Apply(double.NaN, T0.AddMinutes(6), t));
        Assert.Empty(t);
        Assert.Equal(WaterLevel.Alarm, m.Level);
        Assert.Equal(40, m.LastDepthCm);
    }

    [Fact]
    public void Restore_KeepsOpenLevelsAndTheirPeaks_SoARestartRaisesNothingTwice()
    {
        var m = LevelMachine.Restore(Storm, 33, T0, warningPeakCm: 36, alarmPeakCm: 36, risePeakCm: null);
        var t = new List<AlarmTransition>();
        m.Apply(34, T0.AddSeconds(30), t);
        Assert.Empty(t);
        Assert.Equal(WaterLevel.Alarm, m.Level);

        m.Apply(37, T0.AddSeconds(60), t);
        Assert.Equal([AlarmTransitionType.Peak, AlarmTransitionType.Peak], t.Select(x => x.Type));
    }

    // ---- properties ----

    /// <summary>Readings every 30 s around a line with noise smaller than the margin: one raise at most, never a clear.</summary>
    [Property(MaxTest = 300)]
    public bool NoiseSmallerThanTheMargin_NeverFlaps(int seed, byte amplitudePercent, byte pendingSteps, bool atAlarmLine)
    {
        var margin = 3.0;
        var amplitude = margin * (amplitudePercent % 100) / 100.0;
        var settings = new LevelSettings(15, 30, margin, TimeSpan.FromSeconds(30 * (pendingSteps % 6)), null);
        var line = atAlarmLine ? settings.AlarmCm : settings.WarningCm;
        var rng = new Random(seed);
        var readings = Enumerable.Range(0, 300).Select(i => (T0.AddSeconds(30 * i), line + ((rng.NextDouble() * 2) - 1) * amplitude));
        var t = Run(settings, readings);
        var kind = atAlarmLine ? WaterAlarmKind.Alarm : WaterAlarmKind.Warning;
        return Count(t, kind, AlarmTransitionType.Raised) <= 1 && Count(t, kind, AlarmTransitionType.Cleared) == 0;
    }

    /// <summary>
    /// A depth that rises from dry, holds at or above the alarm line for longer than the pending time (with noise above the
    /// line, repeated and late readings mixed in) and falls away raises exactly one Alarm and clears it once.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool ARealRise_AlwaysRaisesExactlyOneAlarm(int seed, byte pendingSteps, byte extraSteps, byte noiseTenths)
    {
        var settings = new LevelSettings(15, 30, 3, TimeSpan.FromSeconds(30 * (pendingSteps % 10)), 2);
        var rng = new Random(seed);
        var noise = (noiseTenths % 50) / 10.0;
        var readings = new List<(DateTimeOffset, double)>();
        var i = 0;
        void Add(double depth)
        {
            var at = T0.AddSeconds(30 * i++);
            readings.Add((at, depth));
            if (rng.Next(5) == 0) readings.Add((at, depth));                                        // repeated
            if (rng.Next(5) == 0 && i > 3) readings.Add((at.AddSeconds(-30 * rng.Next(1, 3)), rng.NextDouble() * 60)); // late
        }

        for (var k = 0; k < 10; k++) Add(5 + rng.NextDouble());
        var holdSteps = (pendingSteps % 10) + 1 + (extraSteps % 20); // held longer than the pending time
        for (var k = 0; k < holdSteps; k++) Add(30 + rng.NextDouble() * noise);
        for (var k = 0; k < 10; k++) Add(5 + rng.NextDouble());
        var t = Run(settings, readings);
        return Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Raised) == 1
            && Count(t, WaterAlarmKind.Alarm, AlarmTransitionType.Cleared) == 1;
    }

    /// <summary>Late readings (older than the last applied) change nothing: the transitions are those of the in-order stream.</summary>
    [Property(MaxTest = 200)]
    public bool LateReadings_ChangeNoTransition(int seed)
    {
        var rng = new Random(seed);
        var inOrder = Enumerable.Range(0, 120).Select(i => (At: T0.AddSeconds(30 * i), Depth: 35 * Math.Sin(i / 20.0) * Math.Sin(i / 20.0) + rng.NextDouble() * 4)).ToList();
        var mixed = new List<(DateTimeOffset, double)>();
        foreach (var r in inOrder)
        {
            mixed.Add(r);
            if (rng.Next(3) == 0) mixed.Add((r.At.AddSeconds(-rng.Next(1, 300)), rng.NextDouble() * 80));
        }

        return Run(Storm, inOrder).SequenceEqual(Run(Storm, mixed));
    }
}
