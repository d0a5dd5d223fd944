-- 0008 the six-step closed loop (SQL Server twin of db/sqlite/0008_incident_loop.sql): departments, deadline settings,
-- the holder unit, how an incident ended, the escalation mark, its source alert or alarm, and the timeline columns.
-- Safe to re-run.

IF OBJECT_ID(N'dbo.Department', N'U') IS NULL
CREATE TABLE dbo.Department (
    Id          INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_Department PRIMARY KEY,
    Code        NVARCHAR(64) NOT NULL CONSTRAINT UX_Department_Code UNIQUE,
    NameEn      NVARCHAR(200) NOT NULL,
    NameZh      NVARCHAR(200) NOT NULL,
    Active      BIT NOT NULL CONSTRAINT DF_Department_Active DEFAULT 1,
    SortOrder   INT NOT NULL CONSTRAINT DF_Department_SortOrder DEFAULT 0
);
GO
IF NOT EXISTS (SELECT 1 FROM dbo.Department)
INSERT INTO dbo.Department (Code, NameEn, NameZh, SortOrder) VALUES
    (N'center', N'Street command center', N'街道综合指挥中心', 0),
    (N'urban_management', N'Urban management', N'城市管理办公室', 10),
    (N'safety', N'Safety & emergency', N'平安建设办公室', 20),
    (N'civil_affairs', N'Civil affairs', N'民政办', 30),
    (N'housing', N'Housing & construction', N'城建办', 40),
    (N'market', N'Market supervision', N'市场监管所', 50),
    (N'police', N'Police station', N'派出所', 60),
    (N'water', N'Water affairs', N'水务站', 70);
GO
IF OBJECT_ID(N'dbo.DeadlineSetting', N'U') IS NULL
CREATE TABLE dbo.DeadlineSetting (
    Category    NVARCHAR(64) NOT NULL,
    Cycle       INT NOT NULL CONSTRAINT CK_DeadlineSetting_Cycle CHECK (Cycle BETWEEN 1 AND 3),
    Hours       INT NOT NULL CONSTRAINT CK_DeadlineSetting_Hours CHECK (Hours BETWEEN 1 AND 8760),
    UpdatedAt   DATETIMEOFFSET(7) NULL,
    CONSTRAINT PK_DeadlineSetting PRIMARY KEY (Category, Cycle)
);
GO
IF NOT EXISTS (SELECT 1 FROM dbo.DeadlineSetting)
INSERT INTO dbo.DeadlineSetting (Category, Cycle, Hours) VALUES
    (N'safety_hazard', 1, 24), (N'safety_hazard', 2, 24), (N'safety_hazard', 3, 48),
    (N'fire', 1, 4), (N'fire', 2, 4), (N'fire', 3, 8),
    (N'dispute', 1, 72), (N'dispute', 2, 72), (N'dispute', 3, 144),
    (N'sanitation', 1, 24), (N'sanitation', 2, 24), (N'sanitation', 3, 48),
    (N'road_occupation', 1, 24), (N'road_occupation', 2, 24), (N'road_occupation', 3, 48),
    (N'illegal_construction', 1, 120), (N'illegal_construction', 2, 120), (N'illegal_construction', 3, 240),
    (N'epidemic', 1, 12), (N'epidemic', 2, 12), (N'epidemic', 3, 24),
    (N'flooding', 1, 4), (N'flooding', 2, 4), (N'flooding', 3, 8),
    (N'noise', 1, 48), (N'noise', 2, 48), (N'noise', 3, 96),
    (N'elderly_care', 1, 48), (N'elderly_care', 2, 48), (N'elderly_care', 3, 96);
GO
IF COL_LENGTH(N'dbo.Incident', N'Priority') IS NULL
    ALTER TABLE dbo.Incident ADD Priority INT NOT NULL CONSTRAINT DF_Incident_Priority DEFAULT 2 CONSTRAINT CK_Incident_Priority CHECK (Priority BETWEEN 1 AND 3);
GO
IF COL_LENGTH(N'dbo.Incident', N'Building') IS NULL
    ALTER TABLE dbo.Incident ADD Building NVARCHAR(100) NULL;
GO
IF COL_LENGTH(N'dbo.Incident', N'BuildingUnit') IS NULL
    ALTER TABLE dbo.Incident ADD BuildingUnit NVARCHAR(100) NULL;
GO
IF COL_LENGTH(N'dbo.Incident', N'HolderKind') IS NULL
    ALTER TABLE dbo.Incident ADD HolderKind INT NOT NULL CONSTRAINT DF_Incident_HolderKind DEFAULT 1 CONSTRAINT CK_Incident_HolderKind CHECK (HolderKind BETWEEN 1 AND 3);
GO
IF COL_LENGTH(N'dbo.Incident', N'HolderId') IS NULL
    ALTER TABLE dbo.Incident ADD HolderId INT NOT NULL CONSTRAINT DF_Incident_HolderId DEFAULT 0;
GO
IF COL_LENGTH(N'dbo.Incident', N'PhotoLinks') IS NULL
    ALTER TABLE dbo.Incident ADD PhotoLinks NVARCHAR(MAX) NULL;
GO
IF COL_LENGTH(N'dbo.Incident', N'Resolution') IS NULL
    ALTER TABLE dbo.Incident ADD Resolution INT NOT NULL CONSTRAINT DF_Incident_Resolution DEFAULT 0 CONSTRAINT CK_Incident_Resolution CHECK (Resolution BETWEEN 0 AND 2);
GO
IF COL_LENGTH(N'dbo.Incident', N'RejectReason') IS NULL
    ALTER TABLE dbo.Incident ADD RejectReason INT NULL CONSTRAINT CK_Incident_RejectReason CHECK (RejectReason BETWEEN 1 AND 2);
GO
IF COL_LENGTH(N'dbo.Incident', N'DuplicateOfId') IS NULL
    ALTER TABLE dbo.Incident ADD DuplicateOfId BIGINT NULL CONSTRAINT FK_Incident_DuplicateOf REFERENCES dbo.Incident(Id);
GO
IF COL_LENGTH(N'dbo.Incident', N'Satisfaction') IS NULL
    ALTER TABLE dbo.Incident ADD Satisfaction INT NULL CONSTRAINT CK_Incident_Satisfaction CHECK (Satisfaction BETWEEN 1 AND 5);
GO
IF COL_LENGTH(N'dbo.Incident', N'ClosedOnTime') IS NULL
    ALTER TABLE dbo.Incident ADD ClosedOnTime INT NULL;
GO
IF COL_LENGTH(N'dbo.Incident', N'EscalatedForDueAt') IS NULL
    ALTER TABLE dbo.Incident ADD EscalatedForDueAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.Incident', N'SourceAlertId') IS NULL
    ALTER TABLE dbo.Incident ADD SourceAlertId BIGINT NULL CONSTRAINT FK_Incident_SourceAlert REFERENCES dbo.CameraAlert(Id);
GO
IF COL_LENGTH(N'dbo.Incident', N'SourceAlarmId') IS NULL
    ALTER TABLE dbo.Incident ADD SourceAlarmId BIGINT NULL CONSTRAINT FK_Incident_SourceAlarm REFERENCES dbo.WaterAlarm(Id);
GO
IF COL_LENGTH(N'dbo.Incident', N'ReopenedCount') IS NULL
    ALTER TABLE dbo.Incident ADD ReopenedCount INT NOT NULL CONSTRAINT DF_Incident_ReopenedCount DEFAULT 0;
GO
UPDATE i SET HolderKind = i.Cycle,
    HolderId = CASE i.Cycle WHEN 1 THEN i.GridId WHEN 2 THEN g.CommunityId ELSE (SELECT d.Id FROM dbo.Department d WHERE d.Code = N'center') END
FROM dbo.Incident i JOIN dbo.Grid g ON g.Id = i.GridId
WHERE i.HolderId = 0;
GO
UPDATE dbo.Incident SET Resolution = 1, ClosedOnTime = CASE WHEN ClosedAt <= DueAt THEN 1 ELSE 0 END
WHERE Step = 6 AND Resolution = 0;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Step_Id ON dbo.Incident(Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Grid_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Grid_Step_Id ON dbo.Incident(GridId, Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Category_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Category_Step_Id ON dbo.Incident(Category, Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Cycle_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Cycle_Step_Id ON dbo.Incident(Cycle, Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Source_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Source_Step_Id ON dbo.Incident(Source, Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Holder_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Holder_Step_Id ON dbo.Incident(HolderKind, HolderId, Step, Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Open_DueAt' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Open_DueAt ON dbo.Incident(DueAt) WHERE Step < 6;
GO
IF COL_LENGTH(N'dbo.IncidentStepLog', N'LoopAction') IS NULL
    ALTER TABLE dbo.IncidentStepLog ADD LoopAction INT NULL, FromStep INT NULL, FromCycle INT NULL, ToCycle INT NULL,
        FromUnitKind INT NULL, FromUnitId INT NULL, ToUnitKind INT NULL, ToUnitId INT NULL,
        ActorKind NVARCHAR(16) NULL, ActorId NVARCHAR(100) NULL,
        UserId INT NULL CONSTRAINT FK_IncidentStepLog_User REFERENCES dbo.AppUser(Id),
        StaffId INT NULL CONSTRAINT FK_IncidentStepLog_Staff REFERENCES dbo.Staff(Id),
        PhotoLinks NVARCHAR(MAX) NULL, Version INT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_IncidentStepLog_LoopAction_At' AND object_id = OBJECT_ID(N'dbo.IncidentStepLog'))
    CREATE INDEX IX_IncidentStepLog_LoopAction_At ON dbo.IncidentStepLog(LoopAction, At);
GO
