-- 0021 Open311 (SQL Server twin of db/sqlite/0021_open311.sql): the e-mail address a resident gives when reporting
-- through Open311 (personal data: stored, never served by GeoReport, never logged). Safe to re-run.

IF COL_LENGTH(N'dbo.Incident', N'ReporterEmail') IS NULL
    ALTER TABLE dbo.Incident ADD ReporterEmail NVARCHAR(254) NULL;
GO
