-- 0017 assessments (issue 11): the assessment settings Admins set (indicator weights, tier shares, the party-member
-- grade scheme) as versions; each stored assessment of grids, communities or people for a week ('yyyy-Www') or month
-- ('yyyy-MM') with the settings (as JSON) and the rule-set versions it used, and its items ranked. Weights version 0 is
-- the built-in default (AssessmentSettings.Default) in force until an Admin stores version 1.

CREATE TABLE AssessmentWeights (
    Version         INTEGER PRIMARY KEY,
    SettingsJson    TEXT NOT NULL,
    CreatedAt       TEXT NOT NULL,
    CreatedBy       TEXT NOT NULL,
    Note            TEXT NULL
);

-- One assessment per kind and period; provisional while the period runs or its points are not final, then final
-- (never rewritten after that).
CREATE TABLE Assessment (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    Kind            INTEGER NOT NULL CHECK (Kind BETWEEN 1 AND 3),     -- 1 grid, 2 community, 3 person
    Period          TEXT NOT NULL,
    Status          INTEGER NOT NULL CHECK (Status IN (1, 2)),         -- 1 provisional, 2 final
    ComputedAt      TEXT NOT NULL,
    RuleSetVersions TEXT NOT NULL,                                     -- the rule-set versions of its weeks, e.g. '1' or '1,2'
    WeightsVersion  INTEGER NOT NULL,
    SettingsJson    TEXT NOT NULL,
    UNIQUE (Kind, Period)
);

CREATE TABLE AssessmentItem (
    AssessmentId    INTEGER NOT NULL REFERENCES Assessment(Id),
    ItemId          INTEGER NOT NULL,                                  -- Grid.Id, Community.Id or Staff.Id
    Name            TEXT NOT NULL,
    NameZh          TEXT NOT NULL,
    CommunityId     INTEGER NULL,
    Rank            INTEGER NULL,                                      -- NULL: no data to score
    Score           REAL NULL,
    Points          INTEGER NOT NULL,
    IndicatorsJson  TEXT NOT NULL,                                     -- values, normalised values and raw counts
    PreviousRank    INTEGER NULL,
    Movement        INTEGER NULL,                                      -- previous rank - rank (positive = up)
    Tier            INTEGER NOT NULL DEFAULT 0,                        -- 0 none, 1 red flag, 2 needs attention
    Grade           INTEGER NULL,                                      -- people: 1 优秀 2 合格 3 基本合格 4 不合格
    PRIMARY KEY (AssessmentId, ItemId)
);
