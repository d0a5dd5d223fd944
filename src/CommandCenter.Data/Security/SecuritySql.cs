namespace CommandCenter.Data.Security;

/// <summary>The SQL of users, devices, keys and the audit log; shared by both engines unless suffixed.</summary>
public static class SecuritySql
{
    public const string InsertAudit =
        "INSERT INTO AuditLog (At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId, Details, RemoteIp) " +
        "VALUES (@At, @ActorKind, @ActorId, @ActorName, @Action, @EntityType, @EntityId, @Details, @RemoteIp)";

    private const string AuditColumns = "Id, At, ActorKind, ActorId, ActorName, Action, EntityType, EntityId, Details, RemoteIp FROM AuditLog " +
        "WHERE (@Action IS NULL OR Action = @Action) AND (@Actor IS NULL OR ActorName = @Actor) AND (@EntityType IS NULL OR EntityType = @EntityType) " +
        "AND (@From IS NULL OR At >= @From) AND (@To IS NULL OR At < @To) ORDER BY Id DESC";

    public const string ListAudit_Sqlite = "SELECT " + AuditColumns + " LIMIT @Top";

    public const string ListAudit_SqlServer = "SELECT TOP (@Top) " + AuditColumns;

    public const string AuditActions = "SELECT DISTINCT Action FROM AuditLog ORDER BY Action";

    private const string UserColumns =
        "Id, UserName, DisplayName, PasswordHash, Role, CommunityId, IsActive, FailedSignIns, LockedUntil, SecurityStamp, CreatedAt, PasswordChangedAt, LastSignInAt FROM AppUser";

    public const string UserByName = "SELECT " + UserColumns + " WHERE UserName = @UserName";

    public const string UserById = "SELECT " + UserColumns + " WHERE Id = @Id";

    public const string Users = "SELECT " + UserColumns + " ORDER BY UserName";

    public const string CountUsers = "SELECT COUNT(*) FROM AppUser";

    public const string ActiveAdmins = "SELECT " + UserColumns + " WHERE Role = 'Admin' AND IsActive = 1";

    private const string UserInsertColumns =
        "(UserName, DisplayName, PasswordHash, Role, CommunityId, IsActive, FailedSignIns, SecurityStamp, CreatedAt, PasswordChangedAt)";

    private const string UserInsertValues =
        "(@UserName, @DisplayName, @PasswordHash, @Role, @CommunityId, 1, 0, @SecurityStamp, @At, @At)";

    public const string InsertUser_Sqlite = "INSERT INTO AppUser " + UserInsertColumns + " VALUES " + UserInsertValues + " RETURNING Id";

    public const string InsertUser_SqlServer = "INSERT INTO AppUser " + UserInsertColumns + " OUTPUT INSERTED.Id VALUES " + UserInsertValues;

    public const string UpdateUser =
        "UPDATE AppUser SET DisplayName = @DisplayName, Role = @Role, CommunityId = @CommunityId, IsActive = @IsActive, SecurityStamp = @SecurityStamp WHERE Id = @Id";

    public const string SetPassword =
        "UPDATE AppUser SET PasswordHash = @PasswordHash, PasswordChangedAt = @At, SecurityStamp = @SecurityStamp, FailedSignIns = 0, LockedUntil = NULL WHERE Id = @Id";

    public const string SignInSucceeded =
        "UPDATE AppUser SET FailedSignIns = 0, LockedUntil = NULL, LastSignInAt = @At WHERE Id = @Id";

    private const string DeviceColumns =
        "Id, Name, CommunityId, EnrollmentExpiresAt, CreatedAt, CreatedBy, EnrolledAt, LastSeenAt, RevokedAt FROM WallDevice";

    public const string Devices = "SELECT " + DeviceColumns + " ORDER BY Id";

    public const string DeviceSettings =
        "SELECT Id, Language, CommunityId, Pages, DwellSeconds, Density FROM WallDevice WHERE Id = @Id";

    public const string UpdateDeviceSettings =
        "UPDATE WallDevice SET Language = @Language, CommunityId = @CommunityId, Pages = @Pages, DwellSeconds = @DwellSeconds, Density = @Density " +
        "WHERE Id = @Id AND RevokedAt IS NULL";

    public const string DeviceById = "SELECT " + DeviceColumns + " WHERE Id = @Id";

    public const string DeviceByToken = "SELECT " + DeviceColumns + " WHERE TokenHash = @TokenHash AND RevokedAt IS NULL";

    public const string DeviceByEnrollmentCode =
        "SELECT " + DeviceColumns + " WHERE EnrollmentCodeHash = @CodeHash AND RevokedAt IS NULL AND EnrollmentExpiresAt > @Now";

    private const string DeviceInsertColumns = "(Name, CommunityId, EnrollmentCodeHash, EnrollmentExpiresAt, CreatedAt, CreatedBy)";

    private const string DeviceInsertValues = "(@Name, @CommunityId, @CodeHash, @ExpiresAt, @At, @CreatedBy)";

    public const string InsertDevice_Sqlite = "INSERT INTO WallDevice " + DeviceInsertColumns + " VALUES " + DeviceInsertValues + " RETURNING Id";

    public const string InsertDevice_SqlServer = "INSERT INTO WallDevice " + DeviceInsertColumns + " OUTPUT INSERTED.Id VALUES " + DeviceInsertValues;

    public const string EnrollDevice =
        "UPDATE WallDevice SET TokenHash = @TokenHash, EnrollmentCodeHash = NULL, EnrollmentExpiresAt = NULL, EnrolledAt = @At, LastSeenAt = @At " +
        "WHERE Id = @Id AND EnrollmentCodeHash = @CodeHash AND RevokedAt IS NULL";

    public const string NewEnrollmentCode =
        "UPDATE WallDevice SET EnrollmentCodeHash = @CodeHash, EnrollmentExpiresAt = @ExpiresAt, TokenHash = NULL WHERE Id = @Id AND RevokedAt IS NULL";

    /// <summary>Whether the device is active and still holds the token whose hash an open page or hub connection was opened with.</summary>
    public const string DeviceHoldsToken = "SELECT COUNT(*) FROM WallDevice WHERE Id = @Id AND TokenHash = @TokenHash AND RevokedAt IS NULL";

    public const string DeviceSeen = "UPDATE WallDevice SET LastSeenAt = @At WHERE Id = @Id";

    public const string RevokeDevice =
        "UPDATE WallDevice SET RevokedAt = @At, TokenHash = NULL, EnrollmentCodeHash = NULL WHERE Id = @Id AND RevokedAt IS NULL";

    private const string KeyColumns = "Id, Name, Prefix, Scopes, CommunityId, CreatedAt, CreatedBy, LastUsedAt, RevokedAt FROM ApiKey";

    public const string Keys = "SELECT " + KeyColumns + " ORDER BY Id";

    public const string KeyByHash = "SELECT " + KeyColumns + " WHERE KeyHash = @KeyHash AND RevokedAt IS NULL";

    /// <summary>The key with this hash whether revoked or not (start-up provisioning must not create a revoked key again).</summary>
    public const string AnyKeyByHash = "SELECT " + KeyColumns + " WHERE KeyHash = @KeyHash";

    public const string KeyActive = "SELECT COUNT(*) FROM ApiKey WHERE Id = @Id AND RevokedAt IS NULL";

    private const string KeyInsertColumns = "(Name, Prefix, KeyHash, Scopes, CommunityId, CreatedAt, CreatedBy)";

    private const string KeyInsertValues = "(@Name, @Prefix, @KeyHash, @Scopes, @CommunityId, @At, @CreatedBy)";

    public const string InsertKey_Sqlite = "INSERT INTO ApiKey " + KeyInsertColumns + " VALUES " + KeyInsertValues + " RETURNING Id";

    public const string InsertKey_SqlServer = "INSERT INTO ApiKey " + KeyInsertColumns + " OUTPUT INSERTED.Id VALUES " + KeyInsertValues;

    public const string KeyUsed = "UPDATE ApiKey SET LastUsedAt = @At WHERE Id = @Id";

    public const string RevokeKey = "UPDATE ApiKey SET RevokedAt = @At WHERE Id = @Id AND RevokedAt IS NULL";

    public const string CommunityExists = "SELECT COUNT(*) FROM Community WHERE Id = @Id";
}
