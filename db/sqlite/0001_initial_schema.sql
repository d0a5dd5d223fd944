-- 0001 initial schema: the grid hierarchy (street → community → grid → building → unit → household),
-- merchants, staff and their grid assignments, devices (cameras, waterlogging points), incidents with
-- their timeline, camera alerts, sensor readings, patrol check-ins and household visits.
-- Times are UTC, stored as ISO-8601 text ('yyyy-MM-ddTHH:mm:ss.fffffffZ') so that text order is time order.

CREATE TABLE Street (
    Id          INTEGER PRIMARY KEY,
    Code        TEXT NOT NULL UNIQUE,
    Name        TEXT NOT NULL,
    NameZh      TEXT NOT NULL
);

CREATE TABLE Community (
    Id          INTEGER PRIMARY KEY,
    StreetId    INTEGER NOT NULL REFERENCES Street(Id),
    Code        TEXT NOT NULL UNIQUE,
    Name        TEXT NOT NULL,
    NameZh      TEXT NOT NULL
);

CREATE TABLE Grid (
    Id              INTEGER PRIMARY KEY,
    CommunityId     INTEGER NOT NULL REFERENCES Community(Id),
    Code            TEXT NOT NULL UNIQUE,
    Name            TEXT NOT NULL,
    NameZh          TEXT NOT NULL,
    Kind            INTEGER NOT NULL CHECK (Kind IN (1, 2)),
    BoundaryGeoJson TEXT NULL,
    CenterLon       REAL NULL,
    CenterLat       REAL NULL
);
CREATE INDEX IX_Grid_CommunityId ON Grid(CommunityId);

CREATE TABLE Building (
    Id          INTEGER PRIMARY KEY,
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    Number      TEXT NOT NULL,
    Name        TEXT NOT NULL,
    Floors      INTEGER NOT NULL,
    Lon         REAL NOT NULL,
    Lat         REAL NOT NULL
);
CREATE INDEX IX_Building_GridId ON Building(GridId);

CREATE TABLE Unit (
    Id          INTEGER PRIMARY KEY,
    BuildingId  INTEGER NOT NULL REFERENCES Building(Id),
    Number      INTEGER NOT NULL
);
CREATE INDEX IX_Unit_BuildingId ON Unit(BuildingId);

CREATE TABLE Household (
    Id          INTEGER PRIMARY KEY,
    UnitId      INTEGER NOT NULL REFERENCES Unit(Id),
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    Room        TEXT NOT NULL,
    HeadName    TEXT NOT NULL,
    Members     INTEGER NOT NULL,
    Phone       TEXT NULL,
    KeyFlags    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IX_Household_GridId ON Household(GridId);
CREATE INDEX IX_Household_UnitId ON Household(UnitId);
CREATE INDEX IX_Household_KeyFlags ON Household(KeyFlags) WHERE KeyFlags <> 0;

CREATE TABLE Merchant (
    Id          INTEGER PRIMARY KEY,
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    Name        TEXT NOT NULL,
    Category    TEXT NOT NULL,
    Address     TEXT NOT NULL,
    LicenseNo   TEXT NOT NULL
);
CREATE INDEX IX_Merchant_GridId ON Merchant(GridId);

CREATE TABLE Staff (
    Id              INTEGER PRIMARY KEY,
    Name            TEXT NOT NULL,
    Phone           TEXT NOT NULL,
    IsPartyMember   INTEGER NOT NULL,
    Active          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE StaffAssignment (
    StaffId     INTEGER NOT NULL REFERENCES Staff(Id),
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    Role        INTEGER NOT NULL CHECK (Role BETWEEN 1 AND 4),
    PRIMARY KEY (StaffId, GridId)
);
CREATE INDEX IX_StaffAssignment_GridId ON StaffAssignment(GridId);

CREATE TABLE Camera (
    Id          INTEGER PRIMARY KEY,
    Code        TEXT NOT NULL UNIQUE,
    Name        TEXT NOT NULL,
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    Lon         REAL NOT NULL,
    Lat         REAL NOT NULL,
    IsOnline    INTEGER NOT NULL DEFAULT 1,
    StatusAt    TEXT NULL
);
CREATE INDEX IX_Camera_GridId ON Camera(GridId);

CREATE TABLE WaterPoint (
    Id              INTEGER PRIMARY KEY,
    Code            TEXT NOT NULL UNIQUE,
    Name            TEXT NOT NULL,
    NameZh          TEXT NOT NULL,
    GridId          INTEGER NOT NULL REFERENCES Grid(Id),
    Lon             REAL NOT NULL,
    Lat             REAL NOT NULL,
    WarningDepthCm  REAL NOT NULL,
    AlarmDepthCm    REAL NOT NULL,
    CHECK (AlarmDepthCm > WarningDepthCm)
);

CREATE TABLE Incident (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    Number          TEXT NOT NULL UNIQUE,
    Category        TEXT NOT NULL,
    GridId          INTEGER NOT NULL REFERENCES Grid(Id),
    Source          INTEGER NOT NULL,
    ReporterName    TEXT NOT NULL,
    ReporterPhone   TEXT NULL,
    Title           TEXT NOT NULL,
    Description     TEXT NOT NULL,
    Address         TEXT NULL,
    Lon             REAL NULL,
    Lat             REAL NULL,
    Step            INTEGER NOT NULL CHECK (Step BETWEEN 1 AND 6),
    Cycle           INTEGER NOT NULL CHECK (Cycle BETWEEN 1 AND 3),
    ReportedAt      TEXT NOT NULL,
    DueAt           TEXT NOT NULL,
    ClosedAt        TEXT NULL,
    UpdatedAt       TEXT NOT NULL,
    ExternalId      TEXT NULL,
    RowVersion      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IX_Incident_Step ON Incident(Step);
CREATE INDEX IX_Incident_ReportedAt ON Incident(ReportedAt);
CREATE INDEX IX_Incident_ClosedAt ON Incident(ClosedAt);
CREATE INDEX IX_Incident_GridId ON Incident(GridId);
CREATE UNIQUE INDEX UX_Incident_ExternalId ON Incident(ExternalId) WHERE ExternalId IS NOT NULL;

CREATE TABLE IncidentStepLog (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    IncidentId  INTEGER NOT NULL REFERENCES Incident(Id),
    Step        INTEGER NOT NULL,
    At          TEXT NOT NULL,
    Actor       TEXT NOT NULL,
    Note        TEXT NULL
);
CREATE INDEX IX_IncidentStepLog_IncidentId ON IncidentStepLog(IncidentId);

CREATE TABLE CameraAlert (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    CameraId    INTEGER NOT NULL REFERENCES Camera(Id),
    Kind        TEXT NOT NULL,
    Confidence  REAL NOT NULL,
    OccurredAt  TEXT NOT NULL,
    ReceivedAt  TEXT NOT NULL,
    Status      INTEGER NOT NULL DEFAULT 1,
    IncidentId  INTEGER NULL REFERENCES Incident(Id),
    ExternalId  TEXT NULL
);
CREATE INDEX IX_CameraAlert_OccurredAt ON CameraAlert(OccurredAt);
CREATE INDEX IX_CameraAlert_CameraId ON CameraAlert(CameraId);

CREATE TABLE SensorReading (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    WaterPointId INTEGER NOT NULL REFERENCES WaterPoint(Id),
    DepthCm     REAL NOT NULL,
    MeasuredAt  TEXT NOT NULL,
    ReceivedAt  TEXT NOT NULL
);
CREATE INDEX IX_SensorReading_Point_MeasuredAt ON SensorReading(WaterPointId, MeasuredAt);

CREATE TABLE PatrolCheckIn (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    StaffId     INTEGER NOT NULL REFERENCES Staff(Id),
    GridId      INTEGER NOT NULL REFERENCES Grid(Id),
    CheckedInAt TEXT NOT NULL,
    Lon         REAL NULL,
    Lat         REAL NULL,
    Note        TEXT NULL
);
CREATE INDEX IX_PatrolCheckIn_CheckedInAt ON PatrolCheckIn(CheckedInAt);

CREATE TABLE HouseholdVisit (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    StaffId     INTEGER NOT NULL REFERENCES Staff(Id),
    HouseholdId INTEGER NOT NULL REFERENCES Household(Id),
    VisitedAt   TEXT NOT NULL,
    Note        TEXT NULL
);
CREATE INDEX IX_HouseholdVisit_VisitedAt ON HouseholdVisit(VisitedAt);
CREATE INDEX IX_HouseholdVisit_HouseholdId ON HouseholdVisit(HouseholdId);
