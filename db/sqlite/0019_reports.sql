-- 0019 reports (issue 12): each assessment report made or asked for — its period (week 'yyyy-Www' or month 'yyyy-MM'),
-- language, status (1 queued, 2 running, 3 done, 4 failed, 5 removed by retention: the record stays, the files go),
-- progress 0–100, when it was asked for and made, its files (name and size per format) and the error of a failed run.

CREATE TABLE Report (
    Id              INTEGER PRIMARY KEY AUTOINCREMENT,
    Period          TEXT NOT NULL,
    Kind            INTEGER NOT NULL CHECK (Kind IN (1, 2)),           -- 1 weekly, 2 monthly
    Culture         TEXT NOT NULL,
    Status          INTEGER NOT NULL CHECK (Status BETWEEN 1 AND 5),
    Progress        INTEGER NOT NULL DEFAULT 0,
    RequestedAt     TEXT NOT NULL,
    RequestedBy     TEXT NOT NULL,
    MadeAt          TEXT NULL,
    PdfFile         TEXT NULL,
    PdfSize         INTEGER NULL,
    XlsxFile        TEXT NULL,
    XlsxSize        INTEGER NULL,
    CsvFile         TEXT NULL,
    CsvSize         INTEGER NULL,
    Error           TEXT NULL
);
CREATE INDEX IX_Report_Period ON Report(Period, Culture);
