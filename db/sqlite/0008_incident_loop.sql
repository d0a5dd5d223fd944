-- 0008 the six-step closed loop (issue 9): street departments, deadline settings per category and cycle, the unit
-- that holds each incident, how it ended (resolution, reject reason, duplicate link, satisfaction, on time), the
-- escalation mark that makes the deadline job escalate once per breach, the alert or alarm it came from, and a
-- timeline that records every action with who (user / staff / key / system), from and to step, cycle and unit.

CREATE TABLE Department (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    Code        TEXT NOT NULL UNIQUE,
    NameEn      TEXT NOT NULL,
    NameZh      TEXT NOT NULL,
    Active      INTEGER NOT NULL DEFAULT 1,
    SortOrder   INTEGER NOT NULL DEFAULT 0
);
-- The street command center is the large cycle's default unit (code 'center'); the others are the street's departments.
INSERT INTO Department (Code, NameEn, NameZh, SortOrder) VALUES
    ('center', 'Street command center', '街道综合指挥中心', 0),
    ('urban_management', 'Urban management', '城市管理办公室', 10),
    ('safety', 'Safety & emergency', '平安建设办公室', 20),
    ('civil_affairs', 'Civil affairs', '民政办', 30),
    ('housing', 'Housing & construction', '城建办', 40),
    ('market', 'Market supervision', '市场监管所', 50),
    ('police', 'Police station', '派出所', 60),
    ('water', 'Water affairs', '水务站', 70);

CREATE TABLE DeadlineSetting (
    Category    TEXT NOT NULL,
    Cycle       INTEGER NOT NULL CHECK (Cycle BETWEEN 1 AND 3),
    Hours       INTEGER NOT NULL CHECK (Hours BETWEEN 1 AND 8760),
    UpdatedAt   TEXT NULL,
    PRIMARY KEY (Category, Cycle)
);
-- Defaults (DeadlineTable.Defaults): the category's hours in the micro and small cycles, twice that in the large one.
INSERT INTO DeadlineSetting (Category, Cycle, Hours) VALUES
    ('safety_hazard', 1, 24), ('safety_hazard', 2, 24), ('safety_hazard', 3, 48),
    ('fire', 1, 4), ('fire', 2, 4), ('fire', 3, 8),
    ('dispute', 1, 72), ('dispute', 2, 72), ('dispute', 3, 144),
    ('sanitation', 1, 24), ('sanitation', 2, 24), ('sanitation', 3, 48),
    ('road_occupation', 1, 24), ('road_occupation', 2, 24), ('road_occupation', 3, 48),
    ('illegal_construction', 1, 120), ('illegal_construction', 2, 120), ('illegal_construction', 3, 240),
    ('epidemic', 1, 12), ('epidemic', 2, 12), ('epidemic', 3, 24),
    ('flooding', 1, 4), ('flooding', 2, 4), ('flooding', 3, 8),
    ('noise', 1, 48), ('noise', 2, 48), ('noise', 3, 96),
    ('elderly_care', 1, 48), ('elderly_care', 2, 48), ('elderly_care', 3, 96);

-- 1 urgent, 2 normal, 3 low.
ALTER TABLE Incident ADD COLUMN Priority INTEGER NOT NULL DEFAULT 2 CHECK (Priority BETWEEN 1 AND 3);
ALTER TABLE Incident ADD COLUMN Building TEXT NULL;
ALTER TABLE Incident ADD COLUMN BuildingUnit TEXT NULL;
-- The unit that holds it: 1 grid, 2 community, 3 department; its kind always matches the cycle.
ALTER TABLE Incident ADD COLUMN HolderKind INTEGER NOT NULL DEFAULT 1 CHECK (HolderKind BETWEEN 1 AND 3);
ALTER TABLE Incident ADD COLUMN HolderId INTEGER NOT NULL DEFAULT 0;
-- JSON array of links (reporter's photos); feedback photos are on the timeline rows.
ALTER TABLE Incident ADD COLUMN PhotoLinks TEXT NULL;
-- 0 open, 1 resolved (checked and closed), 2 rejected.
ALTER TABLE Incident ADD COLUMN Resolution INTEGER NOT NULL DEFAULT 0 CHECK (Resolution BETWEEN 0 AND 2);
-- 1 invalid, 2 duplicate (DuplicateOfId).
ALTER TABLE Incident ADD COLUMN RejectReason INTEGER NULL CHECK (RejectReason BETWEEN 1 AND 2);
ALTER TABLE Incident ADD COLUMN DuplicateOfId INTEGER NULL REFERENCES Incident(Id);
ALTER TABLE Incident ADD COLUMN Satisfaction INTEGER NULL CHECK (Satisfaction BETWEEN 1 AND 5);
ALTER TABLE Incident ADD COLUMN ClosedOnTime INTEGER NULL;
ALTER TABLE Incident ADD COLUMN EscalatedForDueAt TEXT NULL;
ALTER TABLE Incident ADD COLUMN SourceAlertId INTEGER NULL REFERENCES CameraAlert(Id);
ALTER TABLE Incident ADD COLUMN SourceAlarmId INTEGER NULL REFERENCES WaterAlarm(Id);
ALTER TABLE Incident ADD COLUMN ReopenedCount INTEGER NOT NULL DEFAULT 0;

-- What is stored already: the holder from the cycle, closed ones resolved, on time or not.
UPDATE Incident SET HolderKind = Cycle,
    HolderId = CASE Cycle
        WHEN 1 THEN GridId
        WHEN 2 THEN (SELECT g.CommunityId FROM Grid g WHERE g.Id = Incident.GridId)
        ELSE (SELECT d.Id FROM Department d WHERE d.Code = 'center') END;
UPDATE Incident SET Resolution = 1, ClosedOnTime = CASE WHEN ClosedAt <= DueAt THEN 1 ELSE 0 END WHERE Step = 6;

-- The queue: each filter with the default sort (newest first) is a range of one index; the deadline job reads
-- the open incidents by due time; the holder's queue (field staff) by unit.
CREATE INDEX IX_Incident_Step_Id ON Incident(Step, Id);
CREATE INDEX IX_Incident_Grid_Step_Id ON Incident(GridId, Step, Id);
CREATE INDEX IX_Incident_Category_Step_Id ON Incident(Category, Step, Id);
CREATE INDEX IX_Incident_Cycle_Step_Id ON Incident(Cycle, Step, Id);
CREATE INDEX IX_Incident_Source_Step_Id ON Incident(Source, Step, Id);
CREATE INDEX IX_Incident_Holder_Step_Id ON Incident(HolderKind, HolderId, Step, Id);
CREATE INDEX IX_Incident_Open_DueAt ON Incident(DueAt) WHERE Step < 6;

-- The timeline: every action, in the same transaction as the change. Actor stays the display name.
ALTER TABLE IncidentStepLog ADD COLUMN LoopAction INTEGER NULL;         -- LoopAction; NULL: the report (or a row from before 0008)
ALTER TABLE IncidentStepLog ADD COLUMN FromStep INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN FromCycle INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN ToCycle INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN FromUnitKind INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN FromUnitId INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN ToUnitKind INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN ToUnitId INTEGER NULL;
ALTER TABLE IncidentStepLog ADD COLUMN ActorKind TEXT NULL;          -- System, User, Device, ApiKey, Staff
ALTER TABLE IncidentStepLog ADD COLUMN ActorId TEXT NULL;
ALTER TABLE IncidentStepLog ADD COLUMN UserId INTEGER NULL REFERENCES AppUser(Id);
ALTER TABLE IncidentStepLog ADD COLUMN StaffId INTEGER NULL REFERENCES Staff(Id);
ALTER TABLE IncidentStepLog ADD COLUMN PhotoLinks TEXT NULL;         -- JSON array
ALTER TABLE IncidentStepLog ADD COLUMN Version INTEGER NULL;         -- the incident's version after the action
-- Escalations in the last hour, the board's load.
CREATE INDEX IX_IncidentStepLog_LoopAction_At ON IncidentStepLog(LoopAction, At);
