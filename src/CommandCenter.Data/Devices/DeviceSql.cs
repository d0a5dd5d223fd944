namespace CommandCenter.Data.Devices;

/// <summary>The SQL of the device registry; <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class DeviceSql
{
    private const string CameraColumns =
        "c.Id, c.Code, c.Name, c.NameZh, c.GridId, g.CommunityId, c.Place, c.Lon, c.Lat, c.ExpectedIntervalSeconds, " +
        "c.IsOnline, c.StatusAt, c.LastSeenAt, c.RetiredAt";

    private const string PointColumns =
        "w.Id, w.Code, w.Name, w.NameZh, w.GridId, g.CommunityId, w.Place, w.Lon, w.Lat, w.WarningDepthCm, w.AlarmDepthCm, " +
        "w.HysteresisCm, w.PendingSeconds, w.RiseLimitCmPerMin, w.ExpectedIntervalSeconds, w.IsOnline, w.StatusAt, w.LastSeenAt, w.RetiredAt";

    /// <summary>Every camera (retired ones too: the registry page shows them greyed); scoped callers see their community.</summary>
    public const string Cameras =
        "SELECT " + CameraColumns + " FROM Camera c JOIN Grid g ON g.Id = c.GridId " +
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@IncludeRetired = 1 OR c.RetiredAt IS NULL) ORDER BY c.Code";

    public const string CameraByCode = "SELECT " + CameraColumns + " FROM Camera c JOIN Grid g ON g.Id = c.GridId WHERE UPPER(c.Code) = UPPER(@Code)";

    public const string WaterPoints =
        "SELECT " + PointColumns + " FROM WaterPoint w JOIN Grid g ON g.Id = w.GridId " +
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@IncludeRetired = 1 OR w.RetiredAt IS NULL) ORDER BY w.Code";

    public const string WaterPointByCode = "SELECT " + PointColumns + " FROM WaterPoint w JOIN Grid g ON g.Id = w.GridId WHERE UPPER(w.Code) = UPPER(@Code)";

    public const string CameraCodeTaken = "SELECT COUNT(*) FROM Camera WHERE UPPER(Code) = UPPER(@Code)";

    public const string WaterPointCodeTaken = "SELECT COUNT(*) FROM WaterPoint WHERE UPPER(Code) = UPPER(@Code)";

    private const string CameraInsertColumns = "Code, Name, NameZh, GridId, Place, Lon, Lat, ExpectedIntervalSeconds, IsOnline, StatusAt";
    private const string CameraInsertValues = "@Code, @Name, @NameZh, @GridId, @Place, @Lon, @Lat, @ExpectedIntervalSeconds, 1, @Now";

    /// <summary>SQLite: the id is the rowid.</summary>
    public const string InsertCamera_Sqlite = "INSERT INTO Camera (" + CameraInsertColumns + ") VALUES (" + CameraInsertValues + ") RETURNING Id";

    /// <summary>SQL Server: Camera.Id is not an identity (the demo seeds ids); the next id under a range lock.</summary>
    public const string InsertCamera_SqlServer =
        "INSERT INTO Camera (Id, " + CameraInsertColumns + ") OUTPUT INSERTED.Id " +
        "SELECT COALESCE(MAX(Id), 0) + 1, " + CameraInsertValues + " FROM Camera WITH (UPDLOCK, HOLDLOCK)";

    private const string PointInsertColumns =
        "Code, Name, NameZh, GridId, Place, Lon, Lat, WarningDepthCm, AlarmDepthCm, HysteresisCm, PendingSeconds, RiseLimitCmPerMin, " +
        "ExpectedIntervalSeconds, IsOnline, StatusAt";

    private const string PointInsertValues =
        "@Code, @Name, @NameZh, @GridId, @Place, @Lon, @Lat, @WarningDepthCm, @AlarmDepthCm, @HysteresisCm, @PendingSeconds, @RiseLimitCmPerMin, " +
        "@ExpectedIntervalSeconds, 1, @Now";

    public const string InsertWaterPoint_Sqlite = "INSERT INTO WaterPoint (" + PointInsertColumns + ") VALUES (" + PointInsertValues + ") RETURNING Id";

    public const string InsertWaterPoint_SqlServer =
        "INSERT INTO WaterPoint (Id, " + PointInsertColumns + ") OUTPUT INSERTED.Id " +
        "SELECT COALESCE(MAX(Id), 0) + 1, " + PointInsertValues + " FROM WaterPoint WITH (UPDLOCK, HOLDLOCK)";

    public const string UpdateCamera =
        "UPDATE Camera SET Name = @Name, NameZh = @NameZh, GridId = @GridId, Place = @Place, Lon = @Lon, Lat = @Lat, " +
        "ExpectedIntervalSeconds = @ExpectedIntervalSeconds WHERE Id = @Id AND RetiredAt IS NULL";

    public const string UpdateWaterPoint =
        "UPDATE WaterPoint SET Name = @Name, NameZh = @NameZh, GridId = @GridId, Place = @Place, Lon = @Lon, Lat = @Lat, " +
        "WarningDepthCm = @WarningDepthCm, AlarmDepthCm = @AlarmDepthCm, HysteresisCm = @HysteresisCm, PendingSeconds = @PendingSeconds, " +
        "RiseLimitCmPerMin = @RiseLimitCmPerMin, ExpectedIntervalSeconds = @ExpectedIntervalSeconds WHERE Id = @Id AND RetiredAt IS NULL";

    public const string RetireCamera = "UPDATE Camera SET RetiredAt = @Now WHERE Id = @Id AND RetiredAt IS NULL";

    public const string RetireWaterPoint = "UPDATE WaterPoint SET RetiredAt = @Now WHERE Id = @Id AND RetiredAt IS NULL";

    /// <summary>A point was last seen at its newest reading: one seek per point on UX_SensorReading_Point_MeasuredAt, no work on the write path.</summary>
    public const string RefreshPointsLastSeen =
        "UPDATE WaterPoint SET LastSeenAt = (SELECT MAX(r.MeasuredAt) FROM SensorReading r WHERE r.WaterPointId = WaterPoint.Id) " +
        "WHERE RetiredAt IS NULL AND EXISTS (SELECT 1 FROM SensorReading r WHERE r.WaterPointId = WaterPoint.Id " +
        "AND (WaterPoint.LastSeenAt IS NULL OR r.MeasuredAt > WaterPoint.LastSeenAt))";

    /// <summary>
    /// A camera was last seen at its newest event from the platform (an alert, or an availability message saying it is
    /// online); the offline markers, whoever wrote them, do not count.
    /// </summary>
    public const string RefreshCamerasLastSeen =
        "UPDATE Camera SET LastSeenAt = (SELECT MAX(a.OccurredAt) FROM CameraAlert a WHERE a.CameraId = Camera.Id AND a.Kind <> @OfflineKind) " +
        "WHERE RetiredAt IS NULL AND EXISTS (SELECT 1 FROM CameraAlert a WHERE a.CameraId = Camera.Id AND a.Kind <> @OfflineKind " +
        "AND (Camera.LastSeenAt IS NULL OR a.OccurredAt > Camera.LastSeenAt))";

    public const string CameraStatuses =
        "SELECT Id, Code, ExpectedIntervalSeconds, IsOnline, StatusAt, LastSeenAt FROM Camera WHERE RetiredAt IS NULL";

    public const string PointStatuses =
        "SELECT Id, Code, ExpectedIntervalSeconds, IsOnline, StatusAt, LastSeenAt FROM WaterPoint WHERE RetiredAt IS NULL";

    public const string SetPointStatus =
        "UPDATE WaterPoint SET IsOnline = @IsOnline, StatusAt = @At WHERE Id = @Id AND IsOnline <> @IsOnline";

    public const string StampCameraStatus = "UPDATE Camera SET StatusAt = @Now WHERE StatusAt IS NULL AND RetiredAt IS NULL";

    public const string StampPointStatus = "UPDATE WaterPoint SET StatusAt = @Now WHERE StatusAt IS NULL AND RetiredAt IS NULL";
}
