-- 0005 idempotency keys per caller (SQL Server twin of db/sqlite/0005_external_id_per_caller.sql): the caller
-- ('ApiKey:12', 'User:3', 'System:simulator') is stored beside an incident's or a camera alert's ExternalId, and the
-- unique index covers (caller, id). Safe to re-run.

IF COL_LENGTH(N'dbo.Incident', N'Caller') IS NULL
    ALTER TABLE dbo.Incident ADD Caller NVARCHAR(100) NULL;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'Caller') IS NULL
    ALTER TABLE dbo.CameraAlert ADD Caller NVARCHAR(100) NULL;
GO

-- Incidents reported before: their reporter is the actor of their 'incident.reported' audit row.
UPDATE i
SET Caller = (SELECT TOP (1) a.ActorKind + N':' + a.ActorId FROM dbo.AuditLog a
              WHERE a.Action = N'incident.reported' AND a.EntityType = N'incident'
                AND a.EntityId = CAST(i.Id AS NVARCHAR(20))
              ORDER BY a.Id)
FROM dbo.Incident i
WHERE i.ExternalId IS NOT NULL AND i.Caller IS NULL;
GO

IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_Incident_ExternalId' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX UX_Incident_ExternalId ON dbo.Incident;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_Incident_Caller_ExternalId' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE UNIQUE INDEX UX_Incident_Caller_ExternalId ON dbo.Incident(Caller, ExternalId) WHERE ExternalId IS NOT NULL;
GO

-- Alerts were never audited: those stored before keep no caller and stay out of the index.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_CameraAlert_Caller_Camera_ExternalId' AND object_id = OBJECT_ID(N'dbo.CameraAlert'))
    CREATE UNIQUE INDEX UX_CameraAlert_Caller_Camera_ExternalId ON dbo.CameraAlert(Caller, CameraId, ExternalId)
        WHERE ExternalId IS NOT NULL AND Caller IS NOT NULL;
GO
