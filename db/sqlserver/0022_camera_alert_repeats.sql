-- 0022 camera alert repeats (SQL Server twin of db/sqlite/0022_camera_alert_repeats.sql): every folded repeat is a row
-- (its externalId kept, its id the sequence of the fold on the live board); Frigate's has_snapshot on the alert.
-- Safe to re-run.

IF OBJECT_ID(N'dbo.CameraAlertRepeat', N'U') IS NULL
CREATE TABLE dbo.CameraAlertRepeat (
    Id          BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_CameraAlertRepeat PRIMARY KEY,
    AlertId     BIGINT NOT NULL CONSTRAINT FK_CameraAlertRepeat_Alert REFERENCES dbo.CameraAlert(Id),
    CameraId    INT NOT NULL CONSTRAINT FK_CameraAlertRepeat_Camera REFERENCES dbo.Camera(Id),
    Kind        NVARCHAR(64) NOT NULL,
    Confidence  FLOAT NOT NULL,
    OccurredAt  DATETIMEOFFSET(7) NOT NULL,
    ReceivedAt  DATETIMEOFFSET(7) NOT NULL,
    ExternalId  NVARCHAR(100) NULL,
    Caller      NVARCHAR(100) NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_CameraAlertRepeat_Caller_Camera_ExternalId' AND object_id = OBJECT_ID(N'dbo.CameraAlertRepeat'))
    CREATE UNIQUE INDEX UX_CameraAlertRepeat_Caller_Camera_ExternalId ON dbo.CameraAlertRepeat(Caller, CameraId, ExternalId)
        WHERE ExternalId IS NOT NULL AND Caller IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CameraAlertRepeat_AlertId' AND object_id = OBJECT_ID(N'dbo.CameraAlertRepeat'))
    CREATE INDEX IX_CameraAlertRepeat_AlertId ON dbo.CameraAlertRepeat(AlertId);
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'HasSnapshot') IS NULL
    ALTER TABLE dbo.CameraAlert ADD HasSnapshot BIT NOT NULL CONSTRAINT DF_CameraAlert_HasSnapshot DEFAULT 0;
GO
