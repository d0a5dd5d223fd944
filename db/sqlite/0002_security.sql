-- 0002 security: people (users with roles and an optional community scope, lockout), wall-screen
-- devices (one-time enrollment code, long-lived token; both stored hashed), API keys per integration
-- (hashed, scoped, optional community), and the append-only audit log.

CREATE TABLE AppUser (
    Id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    UserName            TEXT NOT NULL COLLATE NOCASE UNIQUE,
    DisplayName         TEXT NOT NULL,
    PasswordHash        TEXT NOT NULL,
    Role                TEXT NOT NULL CHECK (Role IN ('Admin', 'Leader', 'Operator', 'Viewer')),
    CommunityId         INTEGER NULL REFERENCES Community(Id),
    IsActive            INTEGER NOT NULL DEFAULT 1,
    FailedSignIns       INTEGER NOT NULL DEFAULT 0,
    LockedUntil         TEXT NULL,
    SecurityStamp       TEXT NOT NULL,
    CreatedAt           TEXT NOT NULL,
    PasswordChangedAt   TEXT NOT NULL,
    LastSignInAt        TEXT NULL
);

CREATE TABLE WallDevice (
    Id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    Name                TEXT NOT NULL,
    CommunityId         INTEGER NULL REFERENCES Community(Id),
    EnrollmentCodeHash  TEXT NULL UNIQUE,
    EnrollmentExpiresAt TEXT NULL,
    TokenHash           TEXT NULL UNIQUE,
    CreatedAt           TEXT NOT NULL,
    CreatedBy           TEXT NOT NULL,
    EnrolledAt          TEXT NULL,
    LastSeenAt          TEXT NULL,
    RevokedAt           TEXT NULL
);

CREATE TABLE ApiKey (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    Name        TEXT NOT NULL,
    Prefix      TEXT NOT NULL,
    KeyHash     TEXT NOT NULL UNIQUE,
    Scopes      TEXT NOT NULL,
    CommunityId INTEGER NULL REFERENCES Community(Id),
    CreatedAt   TEXT NOT NULL,
    CreatedBy   TEXT NOT NULL,
    LastUsedAt  TEXT NULL,
    RevokedAt   TEXT NULL
);

CREATE TABLE AuditLog (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    At          TEXT NOT NULL,
    ActorKind   TEXT NOT NULL,
    ActorId     TEXT NOT NULL,
    ActorName   TEXT NOT NULL,
    Action      TEXT NOT NULL,
    EntityType  TEXT NOT NULL,
    EntityId    TEXT NULL,
    Details     TEXT NULL,
    RemoteIp    TEXT NULL
);
CREATE INDEX IX_AuditLog_At ON AuditLog(At);
CREATE INDEX IX_AuditLog_Action ON AuditLog(Action);

CREATE TRIGGER TR_AuditLog_NoUpdate BEFORE UPDATE ON AuditLog
BEGIN
    SELECT RAISE(ABORT, 'AuditLog is append-only');
END;

CREATE TRIGGER TR_AuditLog_NoDelete BEFORE DELETE ON AuditLog
BEGIN
    SELECT RAISE(ABORT, 'AuditLog is append-only');
END;
