-- 0023 Open311 (SQL Server twin of db/sqlite/0023_open311_reporter_ids.sql): the sending app's ids of the device and
-- of the reporter's account. Kept for tracing, not served, not logged. Safe to re-run.

IF COL_LENGTH(N'dbo.Incident', N'ReporterDeviceId') IS NULL
    ALTER TABLE dbo.Incident ADD ReporterDeviceId NVARCHAR(100) NULL;
GO

IF COL_LENGTH(N'dbo.Incident', N'ReporterAccountId') IS NULL
    ALTER TABLE dbo.Incident ADD ReporterAccountId NVARCHAR(100) NULL;
GO
