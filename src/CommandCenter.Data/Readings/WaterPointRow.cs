namespace CommandCenter.Data.Readings;

/// <summary>A row of <c>WaterPoint</c> as Dapper reads it (the one row type of the table): each query selects what it needs.</summary>
public sealed class WaterPointRow
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string NameZh { get; init; } = "";
    public int GridId { get; init; }
    public double Lon { get; init; }
    public double Lat { get; init; }
    public double WarningDepthCm { get; init; }
    public double AlarmDepthCm { get; init; }
}
