-- 0015 party-building points (SQL Server twin of db/sqlite/0015_points.sql): versioned rule sets of scoring rules
-- (version 1 is the default), the points ledger, volunteer service, contact-household visits, scoring runs per week.
-- Safe to re-run.

IF OBJECT_ID(N'dbo.RuleSet', N'U') IS NULL
CREATE TABLE dbo.RuleSet (
    Version         INT NOT NULL CONSTRAINT PK_RuleSet PRIMARY KEY,
    EffectiveFrom   NVARCHAR(8) NOT NULL,
    CreatedAt       DATETIMEOFFSET(7) NOT NULL,
    CreatedBy       NVARCHAR(200) NOT NULL,
    Note            NVARCHAR(500) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_RuleSet_EffectiveFrom' AND object_id = OBJECT_ID(N'dbo.RuleSet'))
    CREATE INDEX IX_RuleSet_EffectiveFrom ON dbo.RuleSet(EffectiveFrom, Version);
GO
IF OBJECT_ID(N'dbo.ScoringRule', N'U') IS NULL
CREATE TABLE dbo.ScoringRule (
    RuleSetVersion  INT NOT NULL CONSTRAINT FK_ScoringRule_RuleSet REFERENCES dbo.RuleSet(Version),
    Code            NVARCHAR(40) NOT NULL,
    DescriptionZh   NVARCHAR(200) NOT NULL,
    DescriptionEn   NVARCHAR(200) NOT NULL,
    Event           INT NOT NULL CONSTRAINT CK_ScoringRule_Event CHECK (Event BETWEEN 1 AND 15),
    Points          INT NOT NULL CONSTRAINT CK_ScoringRule_Points CHECK (Points <> 0),
    Earner          INT NOT NULL CONSTRAINT CK_ScoringRule_Earner CHECK (Earner BETWEEN 1 AND 3),
    CapPerPeriod    INT NULL,
    Parameter       INT NULL,
    Enabled         BIT NOT NULL CONSTRAINT DF_ScoringRule_Enabled DEFAULT 1,
    SortOrder       INT NOT NULL CONSTRAINT DF_ScoringRule_SortOrder DEFAULT 0,
    CONSTRAINT PK_ScoringRule PRIMARY KEY (RuleSetVersion, Code)
);
GO
IF OBJECT_ID(N'dbo.PointsLedger', N'U') IS NULL
CREATE TABLE dbo.PointsLedger (
    Id              BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_PointsLedger PRIMARY KEY,
    Kind            INT NOT NULL CONSTRAINT CK_PointsLedger_Kind CHECK (Kind IN (1, 2)),
    EarnerKind      INT NOT NULL CONSTRAINT CK_PointsLedger_EarnerKind CHECK (EarnerKind BETWEEN 1 AND 3),
    EarnerId        INT NOT NULL,
    StaffId         INT NULL CONSTRAINT FK_PointsLedger_Staff REFERENCES dbo.Staff(Id),
    GridId          INT NULL CONSTRAINT FK_PointsLedger_Grid REFERENCES dbo.Grid(Id),
    CommunityId     INT NULL CONSTRAINT FK_PointsLedger_Community REFERENCES dbo.Community(Id),
    RuleCode        NVARCHAR(40) NOT NULL,
    RuleSetVersion  INT NULL CONSTRAINT FK_PointsLedger_RuleSet REFERENCES dbo.RuleSet(Version),
    Points          INT NOT NULL,
    SourceEvent     INT NULL,
    SourceId        BIGINT NULL,
    Week            NVARCHAR(8) NOT NULL,
    Month           NVARCHAR(7) NOT NULL,
    OccurredAt      DATETIMEOFFSET(7) NOT NULL,
    CreatedAt       DATETIMEOFFSET(7) NOT NULL,
    Reason          NVARCHAR(500) NULL,
    EnteredBy       NVARCHAR(200) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_PointsLedger_Source' AND object_id = OBJECT_ID(N'dbo.PointsLedger'))
    CREATE UNIQUE INDEX UX_PointsLedger_Source ON dbo.PointsLedger(Week, RuleCode, SourceEvent, SourceId, EarnerKind, EarnerId) WHERE Kind = 1;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_PointsLedger_Earner_Week' AND object_id = OBJECT_ID(N'dbo.PointsLedger'))
    CREATE INDEX IX_PointsLedger_Earner_Week ON dbo.PointsLedger(EarnerKind, Week, EarnerId) INCLUDE (Points, RuleCode);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_PointsLedger_Earner_Month' AND object_id = OBJECT_ID(N'dbo.PointsLedger'))
    CREATE INDEX IX_PointsLedger_Earner_Month ON dbo.PointsLedger(EarnerKind, Month, EarnerId) INCLUDE (Points, RuleCode);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_PointsLedger_EarnerId' AND object_id = OBJECT_ID(N'dbo.PointsLedger'))
    CREATE INDEX IX_PointsLedger_EarnerId ON dbo.PointsLedger(EarnerKind, EarnerId) INCLUDE (Points);
GO
IF OBJECT_ID(N'dbo.VolunteerService', N'U') IS NULL
CREATE TABLE dbo.VolunteerService (
    Id              INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_VolunteerService PRIMARY KEY,
    StaffId         INT NOT NULL CONSTRAINT FK_VolunteerService_Staff REFERENCES dbo.Staff(Id),
    GridId          INT NOT NULL CONSTRAINT FK_VolunteerService_Grid REFERENCES dbo.Grid(Id),
    ServedAt        DATETIMEOFFSET(7) NOT NULL,
    Hours           FLOAT NOT NULL CONSTRAINT CK_VolunteerService_Hours CHECK (Hours > 0 AND Hours <= 24),
    Place           NVARCHAR(200) NOT NULL,
    Note            NVARCHAR(1000) NULL,
    RecordedAt      DATETIMEOFFSET(7) NOT NULL,
    RecordedBy      NVARCHAR(200) NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_VolunteerService_ServedAt' AND object_id = OBJECT_ID(N'dbo.VolunteerService'))
    CREATE INDEX IX_VolunteerService_ServedAt ON dbo.VolunteerService(ServedAt);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_VolunteerService_StaffId' AND object_id = OBJECT_ID(N'dbo.VolunteerService'))
    CREATE INDEX IX_VolunteerService_StaffId ON dbo.VolunteerService(StaffId);
GO
IF OBJECT_ID(N'dbo.ContactVisit', N'U') IS NULL
CREATE TABLE dbo.ContactVisit (
    Id              INT IDENTITY(1,1) NOT NULL CONSTRAINT PK_ContactVisit PRIMARY KEY,
    StaffId         INT NOT NULL CONSTRAINT FK_ContactVisit_Staff REFERENCES dbo.Staff(Id),
    HouseholdId     INT NOT NULL CONSTRAINT FK_ContactVisit_Household REFERENCES dbo.Household(Id),
    VisitedAt       DATETIMEOFFSET(7) NOT NULL,
    Note            NVARCHAR(1000) NULL,
    RecordedAt      DATETIMEOFFSET(7) NOT NULL,
    RecordedBy      NVARCHAR(200) NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ContactVisit_VisitedAt' AND object_id = OBJECT_ID(N'dbo.ContactVisit'))
    CREATE INDEX IX_ContactVisit_VisitedAt ON dbo.ContactVisit(VisitedAt);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_ContactVisit_StaffId' AND object_id = OBJECT_ID(N'dbo.ContactVisit'))
    CREATE INDEX IX_ContactVisit_StaffId ON dbo.ContactVisit(StaffId);
GO
IF OBJECT_ID(N'dbo.ScoringRun', N'U') IS NULL
CREATE TABLE dbo.ScoringRun (
    Week            NVARCHAR(8) NOT NULL CONSTRAINT PK_ScoringRun PRIMARY KEY,
    RuleSetVersion  INT NOT NULL CONSTRAINT FK_ScoringRun_RuleSet REFERENCES dbo.RuleSet(Version),
    Status          INT NOT NULL CONSTRAINT CK_ScoringRun_Status CHECK (Status IN (1, 2)),
    ComputedAt      DATETIMEOFFSET(7) NOT NULL,
    RowsAdded       INT NOT NULL CONSTRAINT DF_ScoringRun_RowsAdded DEFAULT 0,
    DurationMs      INT NOT NULL CONSTRAINT DF_ScoringRun_DurationMs DEFAULT 0
);
GO
IF NOT EXISTS (SELECT 1 FROM dbo.RuleSet WHERE Version = 1)
INSERT INTO dbo.RuleSet (Version, EffectiveFrom, CreatedAt, CreatedBy, Note)
VALUES (1, N'2000-W01', '2026-01-01T00:00:00+00:00', N'system', N'Default rules drawn from seeds 000 and 004');
GO
IF NOT EXISTS (SELECT 1 FROM dbo.ScoringRule WHERE RuleSetVersion = 1)
INSERT INTO dbo.ScoringRule (RuleSetVersion, Code, DescriptionZh, DescriptionEn, Event, Points, Earner, CapPerPeriod, Parameter, SortOrder) VALUES
    (1, N'INC_REPORT', N'网格员巡查上报事件', N'Incident reported by a grid member on patrol', 1, 2, 1, 20, NULL, 1),
    (1, N'INC_VERIFIED', N'上报事件经核实立案', N'Reported incident verified', 2, 1, 2, NULL, NULL, 2),
    (1, N'INC_REJECTED', N'上报事件被判无效', N'Reported incident rejected as invalid', 6, -1, 1, 10, NULL, 3),
    (1, N'INC_ON_TIME', N'事件按期办结', N'Incident closed on time', 3, 3, 2, NULL, NULL, 4),
    (1, N'INC_ON_TIME_COMMUNITY', N'辖区事件按期办结', N'Incident in the community closed on time', 3, 1, 3, NULL, NULL, 5),
    (1, N'INC_LATE', N'事件超期办结', N'Incident closed after its deadline', 4, -2, 2, NULL, NULL, 6),
    (1, N'INC_ESCALATED', N'事件超时被自动上报', N'Incident escalated by the deadline job', 5, -3, 2, NULL, NULL, 7),
    (1, N'CAM_ACK', N'视频告警10分钟内确认', N'Camera alert acknowledged within 10 minutes', 7, 1, 2, NULL, 10, 8),
    (1, N'WATER_ACK', N'积水告警30分钟内响应', N'Waterlogging alarm acknowledged within 30 minutes', 8, 2, 2, NULL, 30, 9),
    (1, N'PATROL', N'网格巡查打卡', N'Patrol check-in', 9, 1, 1, 14, NULL, 10),
    (1, N'VISIT', N'入户走访', N'Household visit', 10, 1, 1, 30, NULL, 11),
    (1, N'KEY_VISITED', N'重点户本周已走访', N'Key household visited this week', 11, 2, 1, 20, NULL, 12),
    (1, N'KEY_MISSED', N'重点户本周未走访', N'Key household not visited this week', 12, -2, 2, NULL, NULL, 13),
    (1, N'CONTACT_VISIT', N'党员走访联系户', N'Party member''s visit to a contact household', 13, 2, 1, 10, NULL, 14),
    (1, N'VOLUNTEER', N'志愿服务（每小时）', N'Volunteer service (per hour)', 14, 2, 1, 20, NULL, 15),
    (1, N'SAT_HIGH', N'核查满意度4分及以上', N'Satisfaction at check of 4 or more', 15, 1, 2, NULL, 4, 16),
    (1, N'SAT_LOW', N'核查满意度2分及以下', N'Satisfaction at check of 2 or less', 15, -2, 2, NULL, 2, 17);
GO
