-- 0001 initial schema (SQL Server twin of db/sqlite/0001_initial_schema.sql): the grid hierarchy,
-- merchants, staff, devices, incidents with their timeline, camera alerts, sensor readings, patrol
-- check-ins and household visits. Times are UTC in DATETIMEOFFSET(7). Safe to re-run.

IF OBJECT_ID(N'dbo.Street', N'U') IS NULL
CREATE TABLE dbo.Street (
    Id          INT NOT NULL CONSTRAINT PK_Street PRIMARY KEY,
    Code        NVARCHAR(32) NOT NULL CONSTRAINT UX_Street_Code UNIQUE,
    Name        NVARCHAR(200) NOT NULL,
    NameZh      NVARCHAR(200) NOT NULL
);
GO

IF OBJECT_ID(N'dbo.Community', N'U') IS NULL
CREATE TABLE dbo.Community (
    Id          INT NOT NULL CONSTRAINT PK_Community PRIMARY KEY,
    StreetId    INT NOT NULL CONSTRAINT FK_Community_Street REFERENCES dbo.Street(Id),
    Code        NVARCHAR(32) NOT NULL CONSTRAINT UX_Community_Code UNIQUE,
    Name        NVARCHAR(200) NOT NULL,
    NameZh      NVARCHAR(200) NOT NULL
);
GO

IF OBJECT_ID(N'dbo.Grid', N'U') IS NULL
CREATE TABLE dbo.Grid (
    Id              INT NOT NULL CONSTRAINT PK_Grid PRIMARY KEY,
    CommunityId     INT NOT NULL CONSTRAINT FK_Grid_Community REFERENCES dbo.Community(Id),
    Code            NVARCHAR(32) NOT NULL CONSTRAINT UX_Grid_Code UNIQUE,
    Name            NVARCHAR(200) NOT NULL,
    NameZh          NVARCHAR(200) NOT NULL,
    Kind            INT NOT NULL CONSTRAINT CK_Grid_Kind CHECK (Kind IN (1, 2)),
    BoundaryGeoJson NVARCHAR(MAX) NULL,
    CenterLon       FLOAT NULL,
    CenterLat       FLOAT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Grid_CommunityId')
    CREATE INDEX IX_Grid_CommunityId ON dbo.Grid(CommunityId);
GO

IF OBJECT_ID(N'dbo.Building', N'U') IS NULL
CREATE TABLE dbo.Building (
    Id          INT NOT NULL CONSTRAINT PK_Building PRIMARY KEY,
    GridId      INT NOT NULL CONSTRAINT FK_Building_Grid REFERENCES dbo.Grid(Id),
    Number      NVARCHAR(32) NOT NULL,
    Name        NVARCHAR(200) NOT NULL,
    Floors      INT NOT NULL,
    Lon         FLOAT NOT NULL,
    Lat         FLOAT NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Building_GridId')
    CREATE INDEX IX_Building_GridId ON dbo.Building(GridId);
GO

IF OBJECT_ID(N'dbo.Unit', N'U') IS NULL
CREATE TABLE dbo.Unit (
    Id          INT NOT NULL CONSTRAINT PK_Unit PRIMARY KEY,
    BuildingId  INT NOT NULL CONSTRAINT FK_Unit_Building REFERENCES dbo.Building(Id),
    Number      INT NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Unit_BuildingId')
    CREATE INDEX IX_Unit_BuildingId ON dbo.Unit(BuildingId);
GO

IF OBJECT_ID(N'dbo.Household', N'U') IS NULL
CREATE TABLE dbo.Household (
    Id          BIGINT NOT NULL CONSTRAINT PK_Household PRIMARY KEY,
    UnitId      INT NOT NULL CONSTRAINT FK_Household_Unit REFERENCES dbo.Unit(Id),
    GridId      INT NOT NULL CONSTRAINT FK_Household_Grid REFERENCES dbo.Grid(Id),
    Room        NVARCHAR(32) NOT NULL,
    HeadName    NVARCHAR(100) NOT NULL,
    Members     INT NOT NULL,
    Phone       NVARCHAR(32) NULL,
    KeyFlags    INT NOT NULL CONSTRAINT DF_Household_KeyFlags DEFAULT 0
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Household_GridId')
    CREATE INDEX IX_Household_GridId ON dbo.Household(GridId);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Household_UnitId')
    CREATE INDEX IX_Household_UnitId ON dbo.Household(UnitId);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Household_KeyFlags')
    CREATE INDEX IX_Household_KeyFlags ON dbo.Household(KeyFlags) WHERE KeyFlags <> 0;
GO

IF OBJECT_ID(N'dbo.Merchant', N'U') IS NULL
CREATE TABLE dbo.Merchant (
    Id          INT NOT NULL CONSTRAINT PK_Merchant PRIMARY KEY,
    GridId      INT NOT NULL CONSTRAINT FK_Merchant_Grid REFERENCES dbo.Grid(Id),
    Name        NVARCHAR(200) NOT NULL,
    Category    NVARCHAR(64) NOT NULL,
    Address     NVARCHAR(300) NOT NULL,
    LicenseNo   NVARCHAR(64) NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Merchant_GridId')
    CREATE INDEX IX_Merchant_GridId ON dbo.Merchant(GridId);
GO

IF OBJECT_ID(N'dbo.Staff', N'U') IS NULL
CREATE TABLE dbo.Staff (
    Id              INT NOT NULL CONSTRAINT PK_Staff PRIMARY KEY,
    Name            NVARCHAR(100) NOT NULL,
    Phone           NVARCHAR(32) NOT NULL,
    IsPartyMember   BIT NOT NULL,
    Active          BIT NOT NULL CONSTRAINT DF_Staff_Active DEFAULT 1
);
GO

IF OBJECT_ID(N'dbo.StaffAssignment', N'U') IS NULL
CREATE TABLE dbo.StaffAssignment (
    StaffId     INT NOT NULL CONSTRAINT FK_StaffAssignment_Staff REFERENCES dbo.Staff(Id),
    GridId      INT NOT NULL CONSTRAINT FK_StaffAssignment_Grid REFERENCES dbo.Grid(Id),
    Role        INT NOT NULL CONSTRAINT CK_StaffAssignment_Role CHECK (Role BETWEEN 1 AND 4),
    CONSTRAINT PK_StaffAssignment PRIMARY KEY (StaffId, GridId)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_StaffAssignment_GridId')
    CREATE INDEX IX_StaffAssignment_GridId ON dbo.StaffAssignment(GridId);
GO

IF OBJECT_ID(N'dbo.Camera', N'U') IS NULL
CREATE TABLE dbo.Camera (
    Id          INT NOT NULL CONSTRAINT PK_Camera PRIMARY KEY,
    Code        NVARCHAR(64) NOT NULL CONSTRAINT UX_Camera_Code UNIQUE,
    Name        NVARCHAR(200) NOT NULL,
    GridId      INT NOT NULL CONSTRAINT FK_Camera_Grid REFERENCES dbo.Grid(Id),
    Lon         FLOAT NOT NULL,
    Lat         FLOAT NOT NULL,
    IsOnline    BIT NOT NULL CONSTRAINT DF_Camera_IsOnline DEFAULT 1,
    StatusAt    DATETIMEOFFSET(7) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Camera_GridId')
    CREATE INDEX IX_Camera_GridId ON dbo.Camera(GridId);
GO

IF OBJECT_ID(N'dbo.WaterPoint', N'U') IS NULL
CREATE TABLE dbo.WaterPoint (
    Id              INT NOT NULL CONSTRAINT PK_WaterPoint PRIMARY KEY,
    Code            NVARCHAR(64) NOT NULL CONSTRAINT UX_WaterPoint_Code UNIQUE,
    Name            NVARCHAR(200) NOT NULL,
    NameZh          NVARCHAR(200) NOT NULL,
    GridId          INT NOT NULL CONSTRAINT FK_WaterPoint_Grid REFERENCES dbo.Grid(Id),
    Lon             FLOAT NOT NULL,
    Lat             FLOAT NOT NULL,
    WarningDepthCm  FLOAT NOT NULL,
    AlarmDepthCm    FLOAT NOT NULL,
    CONSTRAINT CK_WaterPoint_Depths CHECK (AlarmDepthCm > WarningDepthCm)
);
GO

IF OBJECT_ID(N'dbo.Incident', N'U') IS NULL
CREATE TABLE dbo.Incident (
    Id              BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_Incident PRIMARY KEY,
    Number          NVARCHAR(32) NOT NULL CONSTRAINT UX_Incident_Number UNIQUE,
    Category        NVARCHAR(64) NOT NULL,
    GridId          INT NOT NULL CONSTRAINT FK_Incident_Grid REFERENCES dbo.Grid(Id),
    Source          INT NOT NULL,
    ReporterName    NVARCHAR(100) NOT NULL,
    ReporterPhone   NVARCHAR(32) NULL,
    Title           NVARCHAR(200) NOT NULL,
    Description     NVARCHAR(4000) NOT NULL,
    Address         NVARCHAR(300) NULL,
    Lon             FLOAT NULL,
    Lat             FLOAT NULL,
    Step            INT NOT NULL CONSTRAINT CK_Incident_Step CHECK (Step BETWEEN 1 AND 6),
    Cycle           INT NOT NULL CONSTRAINT CK_Incident_Cycle CHECK (Cycle BETWEEN 1 AND 3),
    ReportedAt      DATETIMEOFFSET(7) NOT NULL,
    DueAt           DATETIMEOFFSET(7) NOT NULL,
    ClosedAt        DATETIMEOFFSET(7) NULL,
    UpdatedAt       DATETIMEOFFSET(7) NOT NULL,
    ExternalId      NVARCHAR(100) NULL,
    RowVersion      INT NOT NULL CONSTRAINT DF_Incident_RowVersion DEFAULT 1
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Step')
    CREATE INDEX IX_Incident_Step ON dbo.Incident(Step);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_ReportedAt')
    CREATE INDEX IX_Incident_ReportedAt ON dbo.Incident(ReportedAt);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_ClosedAt')
    CREATE INDEX IX_Incident_ClosedAt ON dbo.Incident(ClosedAt);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_GridId')
    CREATE INDEX IX_Incident_GridId ON dbo.Incident(GridId);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_Incident_ExternalId')
    CREATE UNIQUE INDEX UX_Incident_ExternalId ON dbo.Incident(ExternalId) WHERE ExternalId IS NOT NULL;
GO

IF OBJECT_ID(N'dbo.IncidentStepLog', N'U') IS NULL
CREATE TABLE dbo.IncidentStepLog (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_IncidentStepLog PRIMARY KEY,
    IncidentId  BIGINT NOT NULL CONSTRAINT FK_IncidentStepLog_Incident REFERENCES dbo.Incident(Id),
    Step        INT NOT NULL,
    At          DATETIMEOFFSET(7) NOT NULL,
    Actor       NVARCHAR(100) NOT NULL,
    Note        NVARCHAR(1000) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_IncidentStepLog_IncidentId')
    CREATE INDEX IX_IncidentStepLog_IncidentId ON dbo.IncidentStepLog(IncidentId);
GO

IF OBJECT_ID(N'dbo.CameraAlert', N'U') IS NULL
CREATE TABLE dbo.CameraAlert (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_CameraAlert PRIMARY KEY,
    CameraId    INT NOT NULL CONSTRAINT FK_CameraAlert_Camera REFERENCES dbo.Camera(Id),
    Kind        NVARCHAR(64) NOT NULL,
    Confidence  FLOAT NOT NULL,
    OccurredAt  DATETIMEOFFSET(7) NOT NULL,
    ReceivedAt  DATETIMEOFFSET(7) NOT NULL,
    Status      INT NOT NULL CONSTRAINT DF_CameraAlert_Status DEFAULT 1,
    IncidentId  BIGINT NULL CONSTRAINT FK_CameraAlert_Incident REFERENCES dbo.Incident(Id),
    ExternalId  NVARCHAR(100) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CameraAlert_OccurredAt')
    CREATE INDEX IX_CameraAlert_OccurredAt ON dbo.CameraAlert(OccurredAt);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CameraAlert_CameraId')
    CREATE INDEX IX_CameraAlert_CameraId ON dbo.CameraAlert(CameraId);
GO

IF OBJECT_ID(N'dbo.SensorReading', N'U') IS NULL
CREATE TABLE dbo.SensorReading (
    Id           BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_SensorReading PRIMARY KEY,
    WaterPointId INT NOT NULL CONSTRAINT FK_SensorReading_WaterPoint REFERENCES dbo.WaterPoint(Id),
    DepthCm      FLOAT NOT NULL,
    MeasuredAt   DATETIMEOFFSET(7) NOT NULL,
    ReceivedAt   DATETIMEOFFSET(7) NOT NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SensorReading_Point_MeasuredAt')
    CREATE INDEX IX_SensorReading_Point_MeasuredAt ON dbo.SensorReading(WaterPointId, MeasuredAt);
GO

IF OBJECT_ID(N'dbo.PatrolCheckIn', N'U') IS NULL
CREATE TABLE dbo.PatrolCheckIn (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_PatrolCheckIn PRIMARY KEY,
    StaffId     INT NOT NULL CONSTRAINT FK_PatrolCheckIn_Staff REFERENCES dbo.Staff(Id),
    GridId      INT NOT NULL CONSTRAINT FK_PatrolCheckIn_Grid REFERENCES dbo.Grid(Id),
    CheckedInAt DATETIMEOFFSET(7) NOT NULL,
    Lon         FLOAT NULL,
    Lat         FLOAT NULL,
    Note        NVARCHAR(1000) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_PatrolCheckIn_CheckedInAt')
    CREATE INDEX IX_PatrolCheckIn_CheckedInAt ON dbo.PatrolCheckIn(CheckedInAt);
GO

IF OBJECT_ID(N'dbo.HouseholdVisit', N'U') IS NULL
CREATE TABLE dbo.HouseholdVisit (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_HouseholdVisit PRIMARY KEY,
    StaffId     INT NOT NULL CONSTRAINT FK_HouseholdVisit_Staff REFERENCES dbo.Staff(Id),
    HouseholdId BIGINT NOT NULL CONSTRAINT FK_HouseholdVisit_Household REFERENCES dbo.Household(Id),
    VisitedAt   DATETIMEOFFSET(7) NOT NULL,
    Note        NVARCHAR(1000) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_HouseholdVisit_VisitedAt')
    CREATE INDEX IX_HouseholdVisit_VisitedAt ON dbo.HouseholdVisit(VisitedAt);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_HouseholdVisit_HouseholdId')
    CREATE INDEX IX_HouseholdVisit_HouseholdId ON dbo.HouseholdVisit(HouseholdId);
GO
