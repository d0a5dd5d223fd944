namespace CommandCenter.Data.Cameras;

/// <summary>The SQL of camera writes; <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class CameraSql
{
    public const string ByCode = "SELECT c.Id, g.CommunityId, c.RetiredAt FROM Camera c JOIN Grid g ON g.Id = c.GridId WHERE c.Code = @Code";

    /// <summary>The alert this caller sent for this camera under this external id (unique index UX_CameraAlert_Caller_Camera_ExternalId).</summary>
    public const string AlertByExternalId_Sqlite =
        "SELECT Id, Kind, Confidence, OccurredAt FROM CameraAlert WHERE Caller = @Caller AND CameraId = @CameraId AND ExternalId = @ExternalId";

    /// <summary>Locks the key range, so that two concurrent sends of one id store one alert.</summary>
    public const string AlertByExternalId_SqlServer =
        "SELECT Id, Kind, Confidence, OccurredAt FROM CameraAlert WITH (UPDLOCK, HOLDLOCK) WHERE Caller = @Caller AND CameraId = @CameraId AND ExternalId = @ExternalId";

    private const string AlertColumns = "(CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, ExternalId, Caller, HasSnapshot)";

    private const string AlertValues = "(@CameraId, @Kind, @Confidence, @OccurredAt, @ReceivedAt, @Status, @ExternalId, @Caller, @HasSnapshot)";

    public const string InsertAlert_Sqlite = "INSERT INTO CameraAlert " + AlertColumns + " VALUES " + AlertValues + " RETURNING Id";

    public const string InsertAlert_SqlServer = "INSERT INTO CameraAlert " + AlertColumns + " OUTPUT INSERTED.Id VALUES " + AlertValues;

    /// <summary>
    /// Frigate said later (an update, the end of the event) that the event has a snapshot: marks the alert this caller stored
    /// under that id for that camera (migration 0022). Idempotent.
    /// </summary>
    public const string MarkSnapshot =
        "UPDATE CameraAlert SET HasSnapshot = 1 WHERE Caller = @Caller AND ExternalId = @ExternalId AND HasSnapshot = 0 " +
        "AND CameraId IN (SELECT Id FROM Camera WHERE Code = @Code)";

    /// <summary>A status older than the one stored changes nothing (a platform delivering late or out of order).</summary>
    public const string SetStatus = "UPDATE Camera SET IsOnline = @IsOnline, StatusAt = @At WHERE Id = @Id AND (StatusAt IS NULL OR StatusAt <= @At)";
}
