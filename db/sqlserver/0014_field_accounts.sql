-- 0014 people in the field (SQL Server twin of db/sqlite/0014_field_accounts.sql): accounts and personal tokens
-- linked to staff, the stored answers of Idempotency-Key requests, the links from incidents to their alert or
-- alarm. Safe to re-run.

IF COL_LENGTH(N'dbo.AppUser', N'StaffId') IS NULL
    ALTER TABLE dbo.AppUser ADD StaffId INT NULL CONSTRAINT FK_AppUser_Staff REFERENCES dbo.Staff(Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_AppUser_StaffId' AND object_id = OBJECT_ID(N'dbo.AppUser'))
    CREATE UNIQUE INDEX UX_AppUser_StaffId ON dbo.AppUser(StaffId) WHERE StaffId IS NOT NULL;
GO
IF COL_LENGTH(N'dbo.ApiKey', N'StaffId') IS NULL
    ALTER TABLE dbo.ApiKey ADD StaffId INT NULL CONSTRAINT FK_ApiKey_Staff REFERENCES dbo.Staff(Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ApiKey_StaffId' AND object_id = OBJECT_ID(N'dbo.ApiKey'))
    CREATE INDEX IX_ApiKey_StaffId ON dbo.ApiKey(StaffId) WHERE StaffId IS NOT NULL;
GO
IF OBJECT_ID(N'dbo.IdempotencyRecord', N'U') IS NULL
CREATE TABLE dbo.IdempotencyRecord (
    Caller          NVARCHAR(100) NOT NULL,
    IdemKey         NVARCHAR(200) NOT NULL,
    RequestHash     NVARCHAR(64) NOT NULL,
    StatusCode      INT NULL,
    ResponseBody    NVARCHAR(MAX) NULL,
    ResponseHeaders NVARCHAR(2000) NULL,
    CreatedAt       DATETIMEOFFSET(7) NOT NULL,
    ExpiresAt       DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT PK_IdempotencyRecord PRIMARY KEY (Caller, IdemKey)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_IdempotencyRecord_ExpiresAt' AND object_id = OBJECT_ID(N'dbo.IdempotencyRecord'))
    CREATE INDEX IX_IdempotencyRecord_ExpiresAt ON dbo.IdempotencyRecord(ExpiresAt);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_SourceAlertId' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_SourceAlertId ON dbo.Incident(SourceAlertId) WHERE SourceAlertId IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_SourceAlarmId' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_SourceAlarmId ON dbo.Incident(SourceAlarmId) WHERE SourceAlarmId IS NOT NULL;
GO

-- The queue's first page under one filter, newest first: walk (X, Id) from the newest id, stop after one page.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Category_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Category_Id ON dbo.Incident(Category, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Source_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Source_Id ON dbo.Incident(Source, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Cycle_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Cycle_Id ON dbo.Incident(Cycle, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Holder_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Holder_Id ON dbo.Incident(HolderKind, HolderId, Id);
GO
