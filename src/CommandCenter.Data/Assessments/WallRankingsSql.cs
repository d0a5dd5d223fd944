namespace CommandCenter.Data.Assessments;

/// <summary>The one cheap read the wall's rankings cache polls: when the stored assessment of a kind and period was computed.</summary>
public static class WallRankingsSql
{
    public const string ComputedAt = "SELECT a.ComputedAt FROM Assessment a WHERE a.Kind = @Kind AND a.Period = @Period";
}
