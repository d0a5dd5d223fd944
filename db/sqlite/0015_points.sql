-- 0015 party-building points (issue 11): versioned rule sets of scoring rules (version 1 is the default drawn from
-- seeds 000 and 004, see docs/scoring.md), the points ledger (earned by a rule from a recorded event, or spent by an
-- Admin's redemption), volunteer service and party members' contact-household visits, and the scoring runs per week.
-- Periods are text: ISO weeks 'yyyy-Www', months 'yyyy-MM' (text order is time order), in the street's time zone.

CREATE TABLE RuleSet (
    Version         INTEGER PRIMARY KEY,
    EffectiveFrom   TEXT NOT NULL,          -- the first ISO week scored with this version
    CreatedAt       TEXT NOT NULL,
    CreatedBy       TEXT NOT NULL,
    Note            TEXT NULL
);
CREATE INDEX IX_RuleSet_EffectiveFrom ON RuleSet(EffectiveFrom, Version);

CREATE TABLE ScoringRule (
    RuleSetVersion  INTEGER NOT NULL REFERENCES RuleSet(Version),
    Code            TEXT NOT NULL,
    DescriptionZh   TEXT NOT NULL,
    DescriptionEn   TEXT NOT NULL,
    Event           INTEGER NOT NULL CHECK (Event BETWEEN 1 AND 15),   -- ScoredEvent
    Points          INTEGER NOT NULL CHECK (Points <> 0),
    Earner          INTEGER NOT NULL CHECK (Earner BETWEEN 1 AND 3),   -- 1 person, 2 grid, 3 community
    CapPerPeriod    INTEGER NULL,                                      -- most |points| per earner per week
    Parameter       INTEGER NULL,                                      -- minutes, or the satisfaction threshold
    Enabled         INTEGER NOT NULL DEFAULT 1,
    SortOrder       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (RuleSetVersion, Code)
);

-- One row per rule, event and earner (Kind 1), or per redemption (Kind 2, negative points, a reason, who entered it).
CREATE TABLE PointsLedger (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    Kind            INTEGER NOT NULL CHECK (Kind IN (1, 2)),           -- 1 earned, 2 redeemed
    EarnerKind      INTEGER NOT NULL CHECK (EarnerKind BETWEEN 1 AND 3),
    EarnerId        INTEGER NOT NULL,                                  -- Staff.Id, Grid.Id or Community.Id
    StaffId         INTEGER NULL REFERENCES Staff(Id),
    GridId          INTEGER NULL REFERENCES Grid(Id),
    CommunityId     INTEGER NULL REFERENCES Community(Id),
    RuleCode        TEXT NOT NULL,                                     -- 'REDEEM' for a redemption
    RuleSetVersion  INTEGER NULL REFERENCES RuleSet(Version),
    Points          INTEGER NOT NULL,
    SourceEvent     INTEGER NULL,                                      -- ScoredEvent
    SourceId        INTEGER NULL,                                      -- the source row (step log, alert, alarm, check-in, visit, household…)
    Week            TEXT NOT NULL,
    Month           TEXT NOT NULL,
    OccurredAt      TEXT NOT NULL,
    CreatedAt       TEXT NOT NULL,
    Reason          TEXT NULL,
    EnteredBy       TEXT NULL
);
-- Scoring twice inserts nothing.
CREATE UNIQUE INDEX UX_PointsLedger_Source ON PointsLedger(Week, RuleCode, SourceEvent, SourceId, EarnerKind, EarnerId) WHERE Kind = 1;
CREATE INDEX IX_PointsLedger_Earner_Week ON PointsLedger(EarnerKind, Week, EarnerId);
CREATE INDEX IX_PointsLedger_Earner_Month ON PointsLedger(EarnerKind, Month, EarnerId);
CREATE INDEX IX_PointsLedger_EarnerId ON PointsLedger(EarnerKind, EarnerId);

CREATE TABLE VolunteerService (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    StaffId         INTEGER NOT NULL REFERENCES Staff(Id),
    GridId          INTEGER NOT NULL REFERENCES Grid(Id),
    ServedAt        TEXT NOT NULL,
    Hours           REAL NOT NULL CHECK (Hours > 0 AND Hours <= 24),
    Place           TEXT NOT NULL,
    Note            TEXT NULL,
    RecordedAt      TEXT NOT NULL,
    RecordedBy      TEXT NOT NULL
);
CREATE INDEX IX_VolunteerService_ServedAt ON VolunteerService(ServedAt);
CREATE INDEX IX_VolunteerService_StaffId ON VolunteerService(StaffId);

CREATE TABLE ContactVisit (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    StaffId         INTEGER NOT NULL REFERENCES Staff(Id),
    HouseholdId     INTEGER NOT NULL REFERENCES Household(Id),
    VisitedAt       TEXT NOT NULL,
    Note            TEXT NULL,
    RecordedAt      TEXT NOT NULL,
    RecordedBy      TEXT NOT NULL
);
CREATE INDEX IX_ContactVisit_VisitedAt ON ContactVisit(VisitedAt);
CREATE INDEX IX_ContactVisit_StaffId ON ContactVisit(StaffId);

CREATE TABLE ScoringRun (
    Week            TEXT PRIMARY KEY,
    RuleSetVersion  INTEGER NOT NULL REFERENCES RuleSet(Version),
    Status          INTEGER NOT NULL CHECK (Status IN (1, 2)),         -- 1 provisional, 2 final
    ComputedAt      TEXT NOT NULL,
    RowsAdded       INTEGER NOT NULL DEFAULT 0,
    DurationMs      INTEGER NOT NULL DEFAULT 0
);

-- The default rule set (DefaultRules.Version1), in force from the first week.
INSERT INTO RuleSet (Version, EffectiveFrom, CreatedAt, CreatedBy, Note)
VALUES (1, '2000-W01', '2026-01-01T00:00:00.0000000Z', 'system', 'Default rules drawn from seeds 000 and 004');
INSERT INTO ScoringRule (RuleSetVersion, Code, DescriptionZh, DescriptionEn, Event, Points, Earner, CapPerPeriod, Parameter, SortOrder) VALUES
    (1, 'INC_REPORT', '网格员巡查上报事件', 'Incident reported by a grid member on patrol', 1, 2, 1, 20, NULL, 1),
    (1, 'INC_VERIFIED', '上报事件经核实立案', 'Reported incident verified', 2, 1, 2, NULL, NULL, 2),
    (1, 'INC_REJECTED', '上报事件被判无效', 'Reported incident rejected as invalid', 6, -1, 1, 10, NULL, 3),
    (1, 'INC_ON_TIME', '事件按期办结', 'Incident closed on time', 3, 3, 2, NULL, NULL, 4),
    (1, 'INC_ON_TIME_COMMUNITY', '辖区事件按期办结', 'Incident in the community closed on time', 3, 1, 3, NULL, NULL, 5),
    (1, 'INC_LATE', '事件超期办结', 'Incident closed after its deadline', 4, -2, 2, NULL, NULL, 6),
    (1, 'INC_ESCALATED', '事件超时被自动上报', 'Incident escalated by the deadline job', 5, -3, 2, NULL, NULL, 7),
    (1, 'CAM_ACK', '视频告警10分钟内确认', 'Camera alert acknowledged within 10 minutes', 7, 1, 2, NULL, 10, 8),
    (1, 'WATER_ACK', '积水告警30分钟内响应', 'Waterlogging alarm acknowledged within 30 minutes', 8, 2, 2, NULL, 30, 9),
    (1, 'PATROL', '网格巡查打卡', 'Patrol check-in', 9, 1, 1, 14, NULL, 10),
    (1, 'VISIT', '入户走访', 'Household visit', 10, 1, 1, 30, NULL, 11),
    (1, 'KEY_VISITED', '重点户本周已走访', 'Key household visited this week', 11, 2, 1, 20, NULL, 12),
    (1, 'KEY_MISSED', '重点户本周未走访', 'Key household not visited this week', 12, -2, 2, NULL, NULL, 13),
    (1, 'CONTACT_VISIT', '党员走访联系户', 'Party member''s visit to a contact household', 13, 2, 1, 10, NULL, 14),
    (1, 'VOLUNTEER', '志愿服务（每小时）', 'Volunteer service (per hour)', 14, 2, 1, 20, NULL, 15),
    (1, 'SAT_HIGH', '核查满意度4分及以上', 'Satisfaction at check of 4 or more', 15, 1, 2, NULL, 4, 16),
    (1, 'SAT_LOW', '核查满意度2分及以下', 'Satisfaction at check of 2 or less', 15, -2, 2, NULL, 2, 17);
