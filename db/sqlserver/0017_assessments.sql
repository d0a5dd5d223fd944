-- 0017 assessments (SQL Server twin of db/sqlite/0017_assessments.sql): versioned assessment settings, stored
-- assessments of grids, communities and people per week or month, and their ranked items. Safe to re-run.

IF OBJECT_ID(N'dbo.AssessmentWeights', N'U') IS NULL
CREATE TABLE dbo.AssessmentWeights (
    Version         INT NOT NULL CONSTRAINT PK_AssessmentWeights PRIMARY KEY,
    SettingsJson    NVARCHAR(MAX) NOT NULL,
    CreatedAt       DATETIMEOFFSET(7) NOT NULL,
    CreatedBy       NVARCHAR(200) NOT NULL,
    Note            NVARCHAR(500) NULL
);
GO
IF OBJECT_ID(N'dbo.Assessment', N'U') IS NULL
CREATE TABLE dbo.Assessment (
    Id              BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_Assessment PRIMARY KEY,
    Kind            INT NOT NULL CONSTRAINT CK_Assessment_Kind CHECK (Kind BETWEEN 1 AND 3),
    Period          NVARCHAR(8) NOT NULL,
    Status          INT NOT NULL CONSTRAINT CK_Assessment_Status CHECK (Status IN (1, 2)),
    ComputedAt      DATETIMEOFFSET(7) NOT NULL,
    RuleSetVersions NVARCHAR(200) NOT NULL,
    WeightsVersion  INT NOT NULL,
    SettingsJson    NVARCHAR(MAX) NOT NULL,
    CONSTRAINT UX_Assessment_Kind_Period UNIQUE (Kind, Period)
);
GO
IF OBJECT_ID(N'dbo.AssessmentItem', N'U') IS NULL
CREATE TABLE dbo.AssessmentItem (
    AssessmentId    BIGINT NOT NULL CONSTRAINT FK_AssessmentItem_Assessment REFERENCES dbo.Assessment(Id),
    ItemId          INT NOT NULL,
    Name            NVARCHAR(200) NOT NULL,
    NameZh          NVARCHAR(200) NOT NULL,
    CommunityId     INT NULL,
    Rank            INT NULL,
    Score           DECIMAL(9, 2) NULL,
    Points          INT NOT NULL,
    IndicatorsJson  NVARCHAR(MAX) NOT NULL,
    PreviousRank    INT NULL,
    Movement        INT NULL,
    Tier            INT NOT NULL CONSTRAINT DF_AssessmentItem_Tier DEFAULT 0,
    Grade           INT NULL,
    CONSTRAINT PK_AssessmentItem PRIMARY KEY (AssessmentId, ItemId)
);
GO
