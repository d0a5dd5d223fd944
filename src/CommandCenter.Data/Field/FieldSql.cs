namespace CommandCenter.Data.Field;

/// <summary>The SQL of staff accounts, personal tokens, the field queue and stored Idempotency-Key answers.</summary>
public static class FieldSql
{
    public const string StaffName = "SELECT Name FROM Staff WHERE Id = @Id AND Active = 1";

    public const string UserLinks = "SELECT Id, StaffId FROM AppUser WHERE StaffId IS NOT NULL";

    public const string ActiveStaff = "SELECT Id, Name FROM Staff WHERE Active = 1 ORDER BY Id";

    public const string UserExists = "SELECT COUNT(*) FROM AppUser WHERE Id = @Id";

    public const string UserStaff = "SELECT StaffId FROM AppUser WHERE Id = @Id";

    public const string KeyStaff = "SELECT StaffId FROM ApiKey WHERE Id = @Id AND RevokedAt IS NULL";

    /// <summary>Another account already linked to this staff member (one account per staff member).</summary>
    public const string UserOfStaff = "SELECT Id FROM AppUser WHERE StaffId = @StaffId AND Id <> @Id";

    /// <summary>The link is read at each action (cached 30 s), so the person's session needs no new sign-in.</summary>
    public const string SetUserStaff = "UPDATE AppUser SET StaffId = @StaffId WHERE Id = @Id";

    public const string SetKeyStaff = "UPDATE ApiKey SET StaffId = @StaffId WHERE Id = @Id";

    public const string StaffGrids = "SELECT GridId FROM StaffAssignment WHERE StaffId = @StaffId ORDER BY GridId";

    public const string StaffTokens =
        "SELECT Id, Name, Prefix, CreatedAt, CreatedBy, LastUsedAt, RevokedAt FROM ApiKey WHERE StaffId = @StaffId ORDER BY Id";

    public const string TokenOfStaff = "SELECT COUNT(*) FROM ApiKey WHERE Id = @Id AND StaffId = @StaffId";

    private const string HeldColumns =
        "i.Id, i.Number, i.Category, i.GridId, i.Title, i.Step, i.Cycle, i.Priority, i.ReportedAt, i.DueAt, i.RowVersion FROM Incident i ";

    /// <summary>What the staff member's grids hold now (micro cycle, open), oldest deadline first.</summary>
    public const string Held_Sqlite =
        "SELECT " + HeldColumns + "WHERE i.HolderKind = 1 AND i.HolderId IN (SELECT a.GridId FROM StaffAssignment a WHERE a.StaffId = @StaffId) " +
        "AND i.Step < 6 ORDER BY i.DueAt, i.Id LIMIT @Top";

    public const string Held_SqlServer =
        "SELECT TOP (@Top) " + HeldColumns + "WHERE i.HolderKind = 1 AND i.HolderId IN (SELECT a.GridId FROM StaffAssignment a WHERE a.StaffId = @StaffId) " +
        "AND i.Step < 6 ORDER BY i.DueAt, i.Id";

    public const string IdempotencyFind =
        "SELECT RequestHash, StatusCode, ResponseBody, ResponseHeaders FROM IdempotencyRecord WHERE Caller = @Caller AND IdemKey = @IdemKey AND ExpiresAt > @Now";

    public const string IdempotencyDeleteExpired_Sqlite =
        "DELETE FROM IdempotencyRecord WHERE rowid IN (SELECT rowid FROM IdempotencyRecord WHERE ExpiresAt <= @Now LIMIT 100)";

    public const string IdempotencyDeleteExpired_SqlServer =
        "DELETE TOP (100) FROM IdempotencyRecord WHERE ExpiresAt <= @Now";

    /// <summary>The record of an action, in the action's transaction; the key is unique per caller (a concurrent twin fails here and rolls back).</summary>
    public const string IdempotencyInsert =
        "INSERT INTO IdempotencyRecord (Caller, IdemKey, RequestHash, StatusCode, ResponseBody, ResponseHeaders, CreatedAt, ExpiresAt) " +
        "VALUES (@Caller, @IdemKey, @RequestHash, NULL, NULL, NULL, @Now, @ExpiresAt)";

    public const string IdempotencyComplete =
        "UPDATE IdempotencyRecord SET StatusCode = @StatusCode, ResponseBody = @ResponseBody, ResponseHeaders = @ResponseHeaders " +
        "WHERE Caller = @Caller AND IdemKey = @IdemKey";
}
