namespace CommandCenter.Data.Cameras;

/// <summary>The SQL of camera writes; <c>_Sqlite</c> / <c>_SqlServer</c> fields are the engines' variants.</summary>
public static class CameraSql
{
    public const string ByCode = "SELECT c.Id, g.CommunityId FROM Camera c JOIN Grid g ON g.Id = c.GridId WHERE c.Code = @Code";

    public const string AlertByExternalId = "SELECT Id FROM CameraAlert WHERE ExternalId = @ExternalId AND CameraId = @CameraId";

    private const string AlertColumns = "(CameraId, Kind, Confidence, OccurredAt, ReceivedAt, Status, ExternalId)";

    private const string AlertValues = "(@CameraId, @Kind, @Confidence, @OccurredAt, @ReceivedAt, @Status, @ExternalId)";

    public const string InsertAlert_Sqlite = "INSERT INTO CameraAlert " + AlertColumns + " VALUES " + AlertValues + " RETURNING Id";

    public const string InsertAlert_SqlServer = "INSERT INTO CameraAlert " + AlertColumns + " OUTPUT INSERTED.Id VALUES " + AlertValues;

    /// <summary>A status older than the one stored changes nothing (a platform delivering late or out of order).</summary>
    public const string SetStatus = "UPDATE Camera SET IsOnline = @IsOnline, StatusAt = @At WHERE Id = @Id AND (StatusAt IS NULL OR StatusAt <= @At)";
}
