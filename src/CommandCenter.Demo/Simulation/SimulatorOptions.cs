namespace CommandCenter.Demo.Simulation;

/// <summary>Configuration section <c>Demo:Simulator</c>: live demo traffic through the ingestion service.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Demo:Simulator";

    public bool Enabled { get; set; } = true;

    /// <summary>Greater than 1 makes the demo busier: every interval is divided by it (clamped to 0.05–100).</summary>
    public double SpeedFactor { get; set; } = 1.0;

    /// <summary>Seed of the simulator's random generator; none gives a different run each start.</summary>
    public int? Seed { get; set; }

    /// <summary>How often the waterlogging sensors report, at speed 1.</summary>
    public TimeSpan ReadingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The account the demo's duty desk acknowledges, dismisses and converts alerts and alarms as (an active, unscoped
    /// Operator or Admin; the demo accounts include <c>operator</c>). Empty, or no such account: it acts as the system.
    /// </summary>
    public string? OperatorUserName { get; set; } = "operator";

    public double EffectiveSpeed => double.IsFinite(SpeedFactor) && SpeedFactor > 0 ? Math.Clamp(SpeedFactor, 0.05, 100) : 1.0;
}
