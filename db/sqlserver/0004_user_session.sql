-- 0004 sign-in sessions (SQL Server twin of db/sqlite/0004_user_session.sql): one row per sign-in of a person,
-- keyed by the SHA-256 of the random session id its cookie carries; signing out ends the row. Safe to re-run.

IF OBJECT_ID(N'dbo.UserSession', N'U') IS NULL
CREATE TABLE dbo.UserSession (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_UserSession PRIMARY KEY,
    SessionHash NVARCHAR(64) NOT NULL CONSTRAINT UX_UserSession_SessionHash UNIQUE,
    UserId      INT NOT NULL CONSTRAINT FK_UserSession_AppUser REFERENCES dbo.AppUser(Id),
    CreatedAt   DATETIMEOFFSET(7) NOT NULL,
    LastSeenAt  DATETIMEOFFSET(7) NOT NULL,
    EndedAt     DATETIMEOFFSET(7) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_UserSession_LastSeenAt' AND object_id = OBJECT_ID(N'dbo.UserSession'))
    CREATE INDEX IX_UserSession_LastSeenAt ON dbo.UserSession(LastSeenAt);
GO
