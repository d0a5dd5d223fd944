-- 0004 sign-in sessions: one row per sign-in of a person. The sign-in cookie carries a random session id (inside
-- the protected ticket); the database keeps only its SHA-256. Signing out ends the row, so a copy of the cookie
-- replayed afterwards is refused although the ticket itself has not expired. Rows are deleted 30 days after their
-- end or last use.

CREATE TABLE UserSession (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    SessionHash TEXT NOT NULL UNIQUE,
    UserId      INTEGER NOT NULL REFERENCES AppUser(Id),
    CreatedAt   TEXT NOT NULL,
    LastSeenAt  TEXT NOT NULL,
    EndedAt     TEXT NULL
);
CREATE INDEX IX_UserSession_LastSeenAt ON UserSession(LastSeenAt);
