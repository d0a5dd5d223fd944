namespace CommandCenter.Data.Security;

/// <summary>The SQL of sign-in sessions (<see cref="SessionService"/>); shared by both engines.</summary>
public static class SessionSql
{
    public const string Insert =
        "INSERT INTO UserSession (SessionHash, UserId, CreatedAt, LastSeenAt) VALUES (@SessionHash, @UserId, @At, @At)";

    /// <summary>An open session with what a request needs to know of its person.</summary>
    public const string Open =
        "SELECT s.UserId, s.LastSeenAt, u.IsActive, u.SecurityStamp FROM UserSession s JOIN AppUser u ON u.Id = s.UserId " +
        "WHERE s.SessionHash = @SessionHash AND s.EndedAt IS NULL";

    public const string Seen = "UPDATE UserSession SET LastSeenAt = @At WHERE SessionHash = @SessionHash AND EndedAt IS NULL";

    public const string OpenUser = "SELECT UserId FROM UserSession WHERE SessionHash = @SessionHash AND EndedAt IS NULL";

    public const string End = "UPDATE UserSession SET EndedAt = @At WHERE SessionHash = @SessionHash AND EndedAt IS NULL";

    public const string Purge = "DELETE FROM UserSession WHERE LastSeenAt < @Cutoff OR EndedAt < @Cutoff";
}
