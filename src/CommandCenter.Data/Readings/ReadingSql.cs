namespace CommandCenter.Data.Readings;

/// <summary>The SQL of readings; <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class ReadingSql
{
    /// <summary>Every point's code, including retired ones (Retired = 1), so that readings for them are refused as "retired", not "unknown".</summary>
    public const string PointsByCode =
        "SELECT w.Id, w.Code, g.CommunityId, CASE WHEN w.RetiredAt IS NULL THEN 0 ELSE 1 END AS Retired FROM WaterPoint w JOIN Grid g ON g.Id = w.GridId";

    /// <summary>Stores a reading unless the point has one at that instant (unique index); returns the new row's id, or nothing.</summary>
    public const string Insert_Sqlite =
        "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (@WaterPointId, @DepthCm, @MeasuredAt, @ReceivedAt) " +
        "ON CONFLICT (WaterPointId, MeasuredAt) DO NOTHING RETURNING Id";

    /// <summary>The same without RETURNING: the writer reads the new id from the connection (one changed row) instead of a reader per row.</summary>
    public const string InsertOrIgnore_Sqlite =
        "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) VALUES (@WaterPointId, @DepthCm, @MeasuredAt, @ReceivedAt) " +
        "ON CONFLICT (WaterPointId, MeasuredAt) DO NOTHING";

    public const string Insert_SqlServer =
        "INSERT INTO SensorReading (WaterPointId, DepthCm, MeasuredAt, ReceivedAt) OUTPUT INSERTED.Id " +
        "SELECT @WaterPointId, @DepthCm, @MeasuredAt, @ReceivedAt WHERE NOT EXISTS " +
        "(SELECT 1 FROM SensorReading WITH (UPDLOCK, HOLDLOCK) WHERE WaterPointId = @WaterPointId AND MeasuredAt = @MeasuredAt)";
}
