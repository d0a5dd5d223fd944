-- 0019 reports (SQL Server twin of db/sqlite/0019_reports.sql): each assessment report made or asked for. Safe to re-run.

IF OBJECT_ID(N'dbo.Report', N'U') IS NULL
CREATE TABLE dbo.Report (
    Id              BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_Report PRIMARY KEY,
    Period          NVARCHAR(8) NOT NULL,
    Kind            INT NOT NULL CONSTRAINT CK_Report_Kind CHECK (Kind IN (1, 2)),
    Culture         NVARCHAR(10) NOT NULL,
    Status          INT NOT NULL CONSTRAINT CK_Report_Status CHECK (Status BETWEEN 1 AND 5),
    Progress        INT NOT NULL CONSTRAINT DF_Report_Progress DEFAULT 0,
    RequestedAt     DATETIMEOFFSET(7) NOT NULL,
    RequestedBy     NVARCHAR(200) NOT NULL,
    MadeAt          DATETIMEOFFSET(7) NULL,
    PdfFile         NVARCHAR(200) NULL,
    PdfSize         BIGINT NULL,
    XlsxFile        NVARCHAR(200) NULL,
    XlsxSize        BIGINT NULL,
    CsvFile         NVARCHAR(200) NULL,
    CsvSize         BIGINT NULL,
    Error           NVARCHAR(2000) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Report_Period' AND object_id = OBJECT_ID(N'dbo.Report'))
CREATE INDEX IX_Report_Period ON dbo.Report(Period, Culture);
GO
