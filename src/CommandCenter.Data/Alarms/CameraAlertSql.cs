namespace CommandCenter.Data.Alarms;

/// <summary>The SQL of a camera alert's life (folding, acknowledging, dismissing, listing); <c>_Sqlite</c> / <c>_SqlServer</c> are the engines' variants.</summary>
public static class CameraAlertSql
{
    private const string FoldWhere =
        "WHERE CameraId = @CameraId AND Kind = @Kind AND Status IN (@New, @Acknowledged) " +
        "AND COALESCE(LastOccurredAt, OccurredAt) >= @Since AND OccurredAt <= @Until ORDER BY Id DESC";

    /// <summary>The open alert of this camera and kind that a repeat at <c>@OccurredAt</c> folds into (index IX_CameraAlert_Camera_Kind_Status).</summary>
    public const string Foldable_Sqlite = "SELECT Id FROM CameraAlert " + FoldWhere + " LIMIT 1";

    public const string Foldable_SqlServer = "SELECT TOP (1) Id FROM CameraAlert WITH (UPDLOCK, HOLDLOCK) " + FoldWhere;

    public const string Fold =
        "UPDATE CameraAlert SET RepeatCount = RepeatCount + 1, LastOccurredAt = CASE WHEN COALESCE(LastOccurredAt, OccurredAt) < @OccurredAt " +
        "THEN @OccurredAt ELSE COALESCE(LastOccurredAt, OccurredAt) END WHERE Id = @Id";

    /// <summary>The alert's count and last occurrence after a fold (read in the fold's transaction, for the live board).</summary>
    public const string FoldState = "SELECT RepeatCount, COALESCE(LastOccurredAt, OccurredAt) AS LastOccurredAt FROM CameraAlert WHERE Id = @Id";

    /// <summary>The repeat this caller sent for this camera under this external id (unique index UX_CameraAlertRepeat_Caller_Camera_ExternalId, migration 0022).</summary>
    public const string RepeatByExternalId_Sqlite =
        "SELECT AlertId, Kind, Confidence, OccurredAt FROM CameraAlertRepeat WHERE Caller = @Caller AND CameraId = @CameraId AND ExternalId = @ExternalId";

    /// <summary>Locks the key range, so that two concurrent sends of one id fold once.</summary>
    public const string RepeatByExternalId_SqlServer =
        "SELECT AlertId, Kind, Confidence, OccurredAt FROM CameraAlertRepeat WITH (UPDLOCK, HOLDLOCK) WHERE Caller = @Caller AND CameraId = @CameraId AND ExternalId = @ExternalId";

    private const string RepeatColumns = "(AlertId, CameraId, Kind, Confidence, OccurredAt, ReceivedAt, ExternalId, Caller)";

    private const string RepeatValues = "(@AlertId, @CameraId, @Kind, @Confidence, @OccurredAt, @ReceivedAt, @ExternalId, @Caller)";

    /// <summary>One row per folded repeat (with or without an external id): its id is the fold's sequence on the live board.</summary>
    public const string InsertRepeat_Sqlite = "INSERT INTO CameraAlertRepeat " + RepeatColumns + " VALUES " + RepeatValues + " RETURNING Id";

    public const string InsertRepeat_SqlServer = "INSERT INTO CameraAlertRepeat " + RepeatColumns + " OUTPUT INSERTED.Id VALUES " + RepeatValues;

    private const string ViewColumns =
        "a.Id, a.CameraId, c.Code AS CameraCode, c.Name AS CameraName, c.GridId, g.CommunityId, a.Kind, a.Confidence, a.OccurredAt, " +
        "a.LastOccurredAt, a.RepeatCount, a.Status, a.AcknowledgedAt, a.AcknowledgedByUserId, a.ClosedAt, a.IncidentId, a.HasSnapshot " +
        "FROM CameraAlert a JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId ";

    public const string ById_Sqlite = "SELECT " + ViewColumns + "WHERE a.Id = @Id";

    /// <summary>Locks the row for the action that follows in the same transaction.</summary>
    public const string ById_SqlServer =
        "SELECT a.Id, a.CameraId, c.Code AS CameraCode, c.Name AS CameraName, c.GridId, g.CommunityId, a.Kind, a.Confidence, a.OccurredAt, " +
        "a.LastOccurredAt, a.RepeatCount, a.Status, a.AcknowledgedAt, a.AcknowledgedByUserId, a.ClosedAt, a.IncidentId, a.HasSnapshot " +
        "FROM CameraAlert a WITH (UPDLOCK, HOLDLOCK) JOIN Camera c ON c.Id = a.CameraId JOIN Grid g ON g.Id = c.GridId WHERE a.Id = @Id";

    private const string ListWhere =
        "WHERE (@CommunityId IS NULL OR g.CommunityId = @CommunityId) AND (@Status IS NULL OR a.Status = @Status) " +
        "AND (@Open = 0 OR a.Status IN (@New, @Acknowledged)) AND (@Kind IS NULL OR a.Kind = @Kind) " +
        "AND (@CameraCode IS NULL OR c.Code = @CameraCode) ORDER BY a.OccurredAt DESC, a.Id DESC";

    public const string List_Sqlite = "SELECT " + ViewColumns + ListWhere + " LIMIT @Limit";

    public const string List_SqlServer = "SELECT TOP (@Limit) " + ViewColumns + ListWhere;

    public const string Acknowledge =
        "UPDATE CameraAlert SET Status = @Acknowledged, AcknowledgedAt = @At, AcknowledgedByUserId = @UserId WHERE Id = @Id AND Status = @New";

    /// <summary>Dismissing a New alert acknowledges it at the same instant (the person saw it).</summary>
    public const string Dismiss =
        "UPDATE CameraAlert SET Status = @Dismissed, " +
        "AcknowledgedByUserId = CASE WHEN AcknowledgedAt IS NULL THEN @UserId ELSE AcknowledgedByUserId END, " +
        "AcknowledgedAt = COALESCE(AcknowledgedAt, @At), ClosedAt = @At, ClosedByUserId = @UserId " +
        "WHERE Id = @Id AND Status IN (@New, @Acknowledged)";
}
