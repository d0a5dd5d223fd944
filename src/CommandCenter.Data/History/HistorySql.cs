namespace CommandCenter.Data.History;

/// <summary>The SQL of reading history (roll-ups, retention, series); <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class HistorySql
{
    private const string RollupColumns = "(WaterPointId, BucketStart, MinCm, MaxCm, AvgCm, LastCm, ReadingCount)";

    public const string DeleteMinutes = "DELETE FROM SensorReadingMinute WHERE BucketStart >= @From AND BucketStart < @To";

    public const string DeleteHours = "DELETE FROM SensorReadingHour WHERE BucketStart >= @From AND BucketStart < @To";

    public const string InsertMinute =
        "INSERT INTO SensorReadingMinute " + RollupColumns + " VALUES (@WaterPointId, @BucketStart, @MinCm, @MaxCm, @AvgCm, @LastCm, @ReadingCount)";

    public const string InsertHour =
        "INSERT INTO SensorReadingHour " + RollupColumns + " VALUES (@WaterPointId, @BucketStart, @MinCm, @MaxCm, @AvgCm, @LastCm, @ReadingCount)";

    private const string MinuteAggregates =
        "SELECT WaterPointId, Bucket AS BucketStart, MIN(DepthCm) AS MinCm, MAX(DepthCm) AS MaxCm, AVG(DepthCm) AS AvgCm, " +
        "MAX(CASE WHEN Rn = 1 THEN DepthCm END) AS LastCm, COUNT(*) AS ReadingCount FROM ";

    /// <summary>Minute buckets from raw readings, read outside the writer's transaction (ingestion goes on meanwhile).</summary>
    public const string MinuteAggregates_Sqlite = MinuteAggregates +
        "(SELECT WaterPointId, DepthCm, SUBSTR(MeasuredAt, 1, 16) || ':00.0000000Z' AS Bucket, " +
        "ROW_NUMBER() OVER (PARTITION BY WaterPointId, SUBSTR(MeasuredAt, 1, 16) ORDER BY MeasuredAt DESC) AS Rn " +
        "FROM SensorReading WHERE MeasuredAt >= @From AND MeasuredAt < @To) x GROUP BY WaterPointId, Bucket";

    public const string MinuteAggregates_SqlServer = MinuteAggregates +
        "(SELECT r.WaterPointId, r.DepthCm, b.Bucket, ROW_NUMBER() OVER (PARTITION BY r.WaterPointId, b.Bucket ORDER BY r.MeasuredAt DESC) AS Rn " +
        "FROM SensorReading r CROSS APPLY (SELECT DATEADD(MINUTE, DATEDIFF(MINUTE, @Epoch, r.MeasuredAt), @Epoch) AS Bucket) b " +
        "WHERE r.MeasuredAt >= @From AND r.MeasuredAt < @To) x GROUP BY WaterPointId, Bucket";

    private const string HourAggregates =
        "SELECT WaterPointId, Bucket AS BucketStart, MIN(MinCm) AS MinCm, MAX(MaxCm) AS MaxCm, SUM(AvgCm * ReadingCount) / SUM(ReadingCount) AS AvgCm, " +
        "MAX(CASE WHEN Rn = 1 THEN LastCm END) AS LastCm, SUM(ReadingCount) AS ReadingCount FROM ";

    /// <summary>Hour buckets from minute buckets (the average weighted by count, the last of the last minute), read outside the writer.</summary>
    public const string HourAggregates_Sqlite = HourAggregates +
        "(SELECT WaterPointId, MinCm, MaxCm, AvgCm, LastCm, ReadingCount, SUBSTR(BucketStart, 1, 13) || ':00:00.0000000Z' AS Bucket, " +
        "ROW_NUMBER() OVER (PARTITION BY WaterPointId, SUBSTR(BucketStart, 1, 13) ORDER BY BucketStart DESC) AS Rn " +
        "FROM SensorReadingMinute WHERE BucketStart >= @From AND BucketStart < @To) x GROUP BY WaterPointId, Bucket";

    public const string HourAggregates_SqlServer = HourAggregates +
        "(SELECT m.WaterPointId, m.MinCm, m.MaxCm, m.AvgCm, m.LastCm, m.ReadingCount, b.Bucket, " +
        "ROW_NUMBER() OVER (PARTITION BY m.WaterPointId, b.Bucket ORDER BY m.BucketStart DESC) AS Rn " +
        "FROM SensorReadingMinute m CROSS APPLY (SELECT DATEADD(HOUR, DATEDIFF(HOUR, @Epoch, m.BucketStart), @Epoch) AS Bucket) b " +
        "WHERE m.BucketStart >= @From AND m.BucketStart < @To) x GROUP BY WaterPointId, Bucket";

    public const string Watermark = "SELECT DoneUntil FROM RollupState WHERE Name = @Name";

    public const string OldestReading = "SELECT MIN(MeasuredAt) FROM SensorReading";

    public const string SetWatermark_Sqlite =
        "INSERT INTO RollupState (Name, DoneUntil) VALUES (@Name, @DoneUntil) ON CONFLICT (Name) DO UPDATE SET DoneUntil = excluded.DoneUntil";

    public const string SetWatermark_SqlServer =
        "UPDATE RollupState SET DoneUntil = @DoneUntil WHERE Name = @Name; " +
        "IF @@ROWCOUNT = 0 INSERT INTO RollupState (Name, DoneUntil) VALUES (@Name, @DoneUntil);";

    /// <summary>A small batch of the oldest raw rows: the writer lock is released between batches, so ingestion goes on.</summary>
    public const string DeleteRawBatch_Sqlite =
        "DELETE FROM SensorReading WHERE Id IN (SELECT Id FROM SensorReading WHERE MeasuredAt < @Before ORDER BY MeasuredAt LIMIT @Batch)";

    public const string DeleteRawBatch_SqlServer = "DELETE TOP (@Batch) FROM SensorReading WHERE MeasuredAt < @Before";

    public const string DeleteMinuteBatch_Sqlite =
        "DELETE FROM SensorReadingMinute WHERE rowid IN (SELECT rowid FROM SensorReadingMinute WHERE BucketStart < @Before LIMIT @Batch)";

    public const string DeleteMinuteBatch_SqlServer = "DELETE TOP (@Batch) FROM SensorReadingMinute WHERE BucketStart < @Before";

    public const string RawSeries_Sqlite =
        "SELECT MeasuredAt AS At, DepthCm AS MinCm, DepthCm AS MaxCm, DepthCm AS AvgCm, DepthCm AS LastCm, 1 AS ReadingCount FROM SensorReading " +
        "WHERE WaterPointId = @Id AND MeasuredAt >= @From AND MeasuredAt < @To ORDER BY MeasuredAt LIMIT @Top";

    public const string RawSeries_SqlServer =
        "SELECT TOP (@Top) MeasuredAt AS At, DepthCm AS MinCm, DepthCm AS MaxCm, DepthCm AS AvgCm, DepthCm AS LastCm, 1 AS ReadingCount FROM SensorReading " +
        "WHERE WaterPointId = @Id AND MeasuredAt >= @From AND MeasuredAt < @To ORDER BY MeasuredAt";

    public const string MinuteSeries_Sqlite =
        "SELECT BucketStart AS At, MinCm, MaxCm, AvgCm, LastCm, ReadingCount FROM SensorReadingMinute " +
        "WHERE WaterPointId = @Id AND BucketStart >= @From AND BucketStart < @To ORDER BY BucketStart LIMIT @Top";

    public const string MinuteSeries_SqlServer =
        "SELECT TOP (@Top) BucketStart AS At, MinCm, MaxCm, AvgCm, LastCm, ReadingCount FROM SensorReadingMinute " +
        "WHERE WaterPointId = @Id AND BucketStart >= @From AND BucketStart < @To ORDER BY BucketStart";

    public const string HourSeries_Sqlite =
        "SELECT BucketStart AS At, MinCm, MaxCm, AvgCm, LastCm, ReadingCount FROM SensorReadingHour " +
        "WHERE WaterPointId = @Id AND BucketStart >= @From AND BucketStart < @To ORDER BY BucketStart LIMIT @Top";

    public const string HourSeries_SqlServer =
        "SELECT TOP (@Top) BucketStart AS At, MinCm, MaxCm, AvgCm, LastCm, ReadingCount FROM SensorReadingHour " +
        "WHERE WaterPointId = @Id AND BucketStart >= @From AND BucketStart < @To ORDER BY BucketStart";

    /// <summary>A point's waterlogging alarms, newest first (the table the alarm machine writes), with who acknowledged.</summary>
    public const string Alarms_Sqlite =
        "SELECT a.Id, a.Kind, a.RaisedAt, a.DepthCm, a.PeakDepthCm, a.ClearedAt, a.AcknowledgedAt, u.UserName AS AcknowledgedBy, a.IncidentId " +
        "FROM WaterAlarm a LEFT JOIN AppUser u ON u.Id = a.AcknowledgedByUserId WHERE a.WaterPointId = @Id ORDER BY a.RaisedAt DESC LIMIT @Top";

    public const string Alarms_SqlServer =
        "SELECT TOP (@Top) a.Id, a.Kind, a.RaisedAt, a.DepthCm, a.PeakDepthCm, a.ClearedAt, a.AcknowledgedAt, u.UserName AS AcknowledgedBy, a.IncidentId " +
        "FROM WaterAlarm a LEFT JOIN AppUser u ON u.Id = a.AcknowledgedByUserId WHERE a.WaterPointId = @Id ORDER BY a.RaisedAt DESC";
}
