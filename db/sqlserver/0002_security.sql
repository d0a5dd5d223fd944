-- 0002 security (SQL Server twin of db/sqlite/0002_security.sql): users, wall-screen devices, API keys
-- and the append-only audit log. Safe to re-run.

IF OBJECT_ID(N'dbo.AppUser', N'U') IS NULL
CREATE TABLE dbo.AppUser (
    Id                  INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_AppUser PRIMARY KEY,
    UserName            NVARCHAR(64) NOT NULL,
    DisplayName         NVARCHAR(100) NOT NULL,
    PasswordHash        NVARCHAR(400) NOT NULL,
    Role                NVARCHAR(16) NOT NULL CONSTRAINT CK_AppUser_Role CHECK (Role IN (N'Admin', N'Leader', N'Operator', N'Viewer')),
    CommunityId         INT NULL CONSTRAINT FK_AppUser_Community REFERENCES dbo.Community(Id),
    IsActive            BIT NOT NULL CONSTRAINT DF_AppUser_IsActive DEFAULT 1,
    FailedSignIns       INT NOT NULL CONSTRAINT DF_AppUser_FailedSignIns DEFAULT 0,
    LockedUntil         DATETIMEOFFSET(7) NULL,
    SecurityStamp       NVARCHAR(64) NOT NULL,
    CreatedAt           DATETIMEOFFSET(7) NOT NULL,
    PasswordChangedAt   DATETIMEOFFSET(7) NOT NULL,
    LastSignInAt        DATETIMEOFFSET(7) NULL
);
GO
-- Case-insensitive like SQLite's COLLATE NOCASE: the default collations of SQL Server are.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_AppUser_UserName')
    CREATE UNIQUE INDEX UX_AppUser_UserName ON dbo.AppUser(UserName);
GO

IF OBJECT_ID(N'dbo.WallDevice', N'U') IS NULL
CREATE TABLE dbo.WallDevice (
    Id                  INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_WallDevice PRIMARY KEY,
    Name                NVARCHAR(100) NOT NULL,
    CommunityId         INT NULL CONSTRAINT FK_WallDevice_Community REFERENCES dbo.Community(Id),
    EnrollmentCodeHash  NVARCHAR(64) NULL,
    EnrollmentExpiresAt DATETIMEOFFSET(7) NULL,
    TokenHash           NVARCHAR(64) NULL,
    CreatedAt           DATETIMEOFFSET(7) NOT NULL,
    CreatedBy           NVARCHAR(100) NOT NULL,
    EnrolledAt          DATETIMEOFFSET(7) NULL,
    LastSeenAt          DATETIMEOFFSET(7) NULL,
    RevokedAt           DATETIMEOFFSET(7) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_WallDevice_EnrollmentCodeHash')
    CREATE UNIQUE INDEX UX_WallDevice_EnrollmentCodeHash ON dbo.WallDevice(EnrollmentCodeHash) WHERE EnrollmentCodeHash IS NOT NULL;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_WallDevice_TokenHash')
    CREATE UNIQUE INDEX UX_WallDevice_TokenHash ON dbo.WallDevice(TokenHash) WHERE TokenHash IS NOT NULL;
GO

IF OBJECT_ID(N'dbo.ApiKey', N'U') IS NULL
CREATE TABLE dbo.ApiKey (
    Id          INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_ApiKey PRIMARY KEY,
    Name        NVARCHAR(100) NOT NULL,
    Prefix      NVARCHAR(32) NOT NULL,
    KeyHash     NVARCHAR(64) NOT NULL CONSTRAINT UX_ApiKey_KeyHash UNIQUE,
    Scopes      NVARCHAR(400) NOT NULL,
    CommunityId INT NULL CONSTRAINT FK_ApiKey_Community REFERENCES dbo.Community(Id),
    CreatedAt   DATETIMEOFFSET(7) NOT NULL,
    CreatedBy   NVARCHAR(100) NOT NULL,
    LastUsedAt  DATETIMEOFFSET(7) NULL,
    RevokedAt   DATETIMEOFFSET(7) NULL
);
GO

IF OBJECT_ID(N'dbo.AuditLog', N'U') IS NULL
CREATE TABLE dbo.AuditLog (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_AuditLog PRIMARY KEY,
    At          DATETIMEOFFSET(7) NOT NULL,
    ActorKind   NVARCHAR(16) NOT NULL,
    ActorId     NVARCHAR(64) NOT NULL,
    ActorName   NVARCHAR(100) NOT NULL,
    Action      NVARCHAR(64) NOT NULL,
    EntityType  NVARCHAR(64) NOT NULL,
    EntityId    NVARCHAR(64) NULL,
    Details     NVARCHAR(MAX) NULL,
    RemoteIp    NVARCHAR(64) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_AuditLog_At')
    CREATE INDEX IX_AuditLog_At ON dbo.AuditLog(At);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_AuditLog_Action')
    CREATE INDEX IX_AuditLog_Action ON dbo.AuditLog(Action);
GO

CREATE OR ALTER TRIGGER dbo.TR_AuditLog_AppendOnly ON dbo.AuditLog
INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 50001, N'AuditLog is append-only', 1;
END;
GO
