using CommandCenter.Domain.Model;

namespace CommandCenter.Domain.Readings;

/// <summary>What a <c>WaterAlarm</c> row stands for (the values of its <c>Kind</c> column).</summary>
public enum WaterAlarmKind
{
    Warning = 1,
    Alarm = 2,
    RateOfRise = 3,
}

public enum AlarmTransitionType
{
    /// <summary>The condition held for the pending time: a row is opened.</summary>
    Raised = 1,
    /// <summary>A new highest depth while the row is open.</summary>
    Peak = 2,
    /// <summary>The depth fell below the line minus the hysteresis margin (or the rise slowed): the row is closed.</summary>
    Cleared = 3,
}

/// <summary>One change a reading caused; <see cref="At"/> is the reading's instant, <see cref="DepthCm"/> its depth.</summary>
public readonly record struct AlarmTransition(WaterAlarmKind Kind, AlarmTransitionType Type, double DepthCm, DateTimeOffset At);

/// <summary>A <c>WaterAlarm</c> row (<see cref="Id"/>) that a reading of <see cref="WaterPointId"/> opened, raised the peak of, or cleared.</summary>
public sealed record WaterAlarmChange(long Id, int WaterPointId, WaterAlarmKind Kind, AlarmTransitionType Type, double DepthCm, DateTimeOffset At);

/// <summary>
/// A point's alarm settings (the <c>WaterPoint</c> columns). A level is raised when every reading for
/// <see cref="Pending"/> was at or above its line and clears when a reading falls below the line minus
/// <see cref="HysteresisCm"/>. The rate of rise is the rise per minute from the oldest reading of the last
/// <see cref="RiseWindow"/> (at least a minute back) to the newest; above <see cref="RiseLimitCmPerMin"/> for the
/// pending time it raises, at or below half the limit it clears.
/// </summary>
public sealed record LevelSettings(double WarningCm, double AlarmCm, double HysteresisCm, TimeSpan Pending, double? RiseLimitCmPerMin)
{
    public static readonly TimeSpan DefaultRiseWindow = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinRiseSpan = TimeSpan.FromMinutes(1);

    public TimeSpan RiseWindow { get; init; } = DefaultRiseWindow;

    /// <summary>Settings as stored: negative margins and times count as zero.</summary>
    public static LevelSettings From(double warningCm, double alarmCm, double hysteresisCm, int pendingSeconds, double? riseLimitCmPerMin) =>
        new(warningCm, alarmCm, Math.Max(0, hysteresisCm), TimeSpan.FromSeconds(Math.Max(0, pendingSeconds)),
            riseLimitCmPerMin is > 0 ? riseLimitCmPerMin : null);
}

/// <summary>
/// The level state machine of one waterlogging point: Normal → Warning → Alarm and back, with a pending time before a
/// level is raised, hysteresis before it clears, and a rate-of-rise alarm. Levels nest: an Alarm is also a Warning, so a
/// point that jumps to the alarm depth opens both, and falling back to the warning band closes only the Alarm.
/// <para>
/// Readings are applied in time order. A reading at or before the last applied one (late or repeated) changes nothing
/// and returns false: the state follows the newest reading only. Each reading costs O(1) (amortised over the rise window).
/// </para>
/// Not thread-safe; the owner locks.
/// </summary>
public sealed class LevelMachine
{
    private readonly Queue<(DateTimeOffset At, double Depth)> _window = new();
    private DateTimeOffset? _warnSince;
    private DateTimeOffset? _alarmSince;
    private DateTimeOffset? _riseSince;

    public LevelMachine(LevelSettings settings)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    public LevelSettings Settings { get; private set; }

    public double? LastDepthCm { get; private set; }

    public DateTimeOffset? LastAt { get; private set; }

    public bool WarningOpen { get; private set; }

    public bool AlarmOpen { get; private set; }

    public bool RiseOpen { get; private set; }

    public double WarningPeakCm { get; private set; }

    public double AlarmPeakCm { get; private set; }

    public double RisePeakCm { get; private set; }

    /// <summary>The level raised (Normal, Warning or Alarm; a rate-of-rise alarm alone does not change it).</summary>
    public WaterLevel Level => AlarmOpen ? WaterLevel.Alarm : WarningOpen ? WaterLevel.Warning : WaterLevel.Normal;

    /// <summary>
    /// Restores the state after a restart: the open rows and the last reading. A pending raise is taken to have started
    /// at the last reading when that reading is at or above the line (it did hold at least from then).
    /// </summary>
    public static LevelMachine Restore(LevelSettings settings, double? lastDepthCm, DateTimeOffset? lastAt,
        double? warningPeakCm, double? alarmPeakCm, double? risePeakCm)
    {
        var m = new LevelMachine(settings)
        {
            LastDepthCm = lastDepthCm,
            LastAt = lastAt,
            WarningOpen = warningPeakCm is not null || alarmPeakCm is not null,
            AlarmOpen = alarmPeakCm is not null,
            RiseOpen = risePeakCm is not null,
            WarningPeakCm = warningPeakCm ?? alarmPeakCm ?? 0,
            AlarmPeakCm = alarmPeakCm ?? 0,
            RisePeakCm = risePeakCm ?? 0,
        };
        if (lastDepthCm is { } d && lastAt is { } at)
        {
            if (d >= settings.WarningCm) m._warnSince = at;
            if (d >= settings.AlarmCm) m._alarmSince = at;
            m._window.Enqueue((at, d));
        }

        return m;
    }

    /// <summary>New settings (the registry changed them); the state is kept and judged by them from the next reading.</summary>
    public void Reconfigure(LevelSettings settings) => Settings = settings ?? throw new ArgumentNullException(nameof(settings));

    /// <summary>
    /// Applies a reading; adds what it changed to <paramref name="transitions"/> (in the order: clears, raises, peaks).
    /// False when the reading is not newer than the last applied one, or not a finite depth: nothing changes then.
    /// </summary>
    public bool Apply(double depthCm, DateTimeOffset at, List<AlarmTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        if (!double.IsFinite(depthCm) || (LastAt is { } last && at <= last)) return false;
        LastDepthCm = depthCm;
        LastAt = at;
        var s = Settings;

        // How long each line has held: a reading below a line cancels its pending raise.
        _warnSince = depthCm >= s.WarningCm ? _warnSince ?? at : null;
        _alarmSince = depthCm >= s.AlarmCm ? _alarmSince ?? at : null;

        // Clear first (a fall is immediate), the higher level before the lower.
        if (AlarmOpen && depthCm < s.AlarmCm - s.HysteresisCm)
        {
            AlarmOpen = false;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Alarm, AlarmTransitionType.Cleared, depthCm, at));
        }

        if (WarningOpen && !AlarmOpen && depthCm < s.WarningCm - s.HysteresisCm)
        {
            WarningOpen = false;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Warning, AlarmTransitionType.Cleared, depthCm, at));
        }

        // Raise once the line has held for the pending time; the lower level first.
        var raiseAlarm = !AlarmOpen && _alarmSince is { } a && at - a >= s.Pending;
        if (!WarningOpen && (raiseAlarm || (_warnSince is { } w && at - w >= s.Pending)))
        {
            WarningOpen = true;
            WarningPeakCm = depthCm;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Warning, AlarmTransitionType.Raised, depthCm, at));
        }
        else if (WarningOpen && depthCm > WarningPeakCm)
        {
            WarningPeakCm = depthCm;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Warning, AlarmTransitionType.Peak, depthCm, at));
        }

        if (raiseAlarm)
        {
            AlarmOpen = true;
            AlarmPeakCm = depthCm;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Alarm, AlarmTransitionType.Raised, depthCm, at));
        }
        else if (AlarmOpen && depthCm > AlarmPeakCm)
        {
            AlarmPeakCm = depthCm;
            transitions.Add(new AlarmTransition(WaterAlarmKind.Alarm, AlarmTransitionType.Peak, depthCm, at));
        }

        ApplyRise(depthCm, at, transitions);
        return true;
    }

    /// <summary>The rise per minute over the window ending at the last reading; null when the window spans less than a minute.</summary>
    public double? RiseCmPerMin
    {
        get
        {
            if (_window.Count < 2 || LastAt is not { } last || LastDepthCm is not { } depth) return null;
            var (oldAt, oldDepth) = _window.Peek();
            var span = last - oldAt;
            return span < LevelSettings.MinRiseSpan ? null : (depth - oldDepth) / span.TotalMinutes;
        }
    }

    private void ApplyRise(double depthCm, DateTimeOffset at, List<AlarmTransition> transitions)
    {
        var s = Settings;
        _window.Enqueue((at, depthCm));
        // Keep the newest reading at least a window old as the base, so the span stays close to the window.
        while (_window.Count > 2)
        {
            using var e = _window.GetEnumerator();
            e.MoveNext();
            e.MoveNext();
            if (at - e.Current.At < s.RiseWindow) break;
            _window.Dequeue();
        }

        if (s.RiseLimitCmPerMin is not { } limit)
        {
            _riseSince = null;
            if (RiseOpen)
            {
                RiseOpen = false;
                transitions.Add(new AlarmTransition(WaterAlarmKind.RateOfRise, AlarmTransitionType.Cleared, depthCm, at));
            }

            return;
        }

        if (RiseCmPerMin is not { } rate) return;
        _riseSince = rate > limit ? _riseSince ?? at : null;
        if (RiseOpen)
        {
            if (rate <= limit / 2)
            {
                RiseOpen = false;
                transitions.Add(new AlarmTransition(WaterAlarmKind.RateOfRise, AlarmTransitionType.Cleared, depthCm, at));
            }
            else if (depthCm > RisePeakCm)
            {
                RisePeakCm = depthCm;
                transitions.Add(new AlarmTransition(WaterAlarmKind.RateOfRise, AlarmTransitionType.Peak, depthCm, at));
            }
        }
        else if (_riseSince is { } since && at - since >= s.Pending)
        {
            RiseOpen = true;
            RisePeakCm = depthCm;
            transitions.Add(new AlarmTransition(WaterAlarmKind.RateOfRise, AlarmTransitionType.Raised, depthCm, at));
        }
    }
}
