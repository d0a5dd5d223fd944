namespace CommandCenter.Demo;

/// <summary>Configuration section <c>Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed the demo street into an empty database on first start.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seed of the deterministic demo street.</summary>
    public int Seed { get; set; } = 2022;
}
