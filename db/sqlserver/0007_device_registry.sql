-- 0007 devices as a registry (SQL Server twin of db/sqlite/0007_device_registry.sql): names in both languages,
-- place, alarm settings (hysteresis, pending time, rate-of-rise limit), expected reporting interval, online status,
-- retirement; folded camera alerts with acknowledgement; the waterlogging alarms a point raised. Safe to re-run.

IF COL_LENGTH(N'dbo.Camera', N'NameZh') IS NULL
    ALTER TABLE dbo.Camera ADD NameZh NVARCHAR(200) NULL;
GO
IF COL_LENGTH(N'dbo.Camera', N'Place') IS NULL
    ALTER TABLE dbo.Camera ADD Place NVARCHAR(300) NULL;
GO
IF COL_LENGTH(N'dbo.Camera', N'ExpectedIntervalSeconds') IS NULL
    ALTER TABLE dbo.Camera ADD ExpectedIntervalSeconds INT NOT NULL CONSTRAINT DF_Camera_ExpectedIntervalSeconds DEFAULT 600;
GO
IF COL_LENGTH(N'dbo.Camera', N'LastSeenAt') IS NULL
    ALTER TABLE dbo.Camera ADD LastSeenAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.Camera', N'RetiredAt') IS NULL
    ALTER TABLE dbo.Camera ADD RetiredAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'Place') IS NULL
    ALTER TABLE dbo.WaterPoint ADD Place NVARCHAR(300) NULL;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'HysteresisCm') IS NULL
    ALTER TABLE dbo.WaterPoint ADD HysteresisCm FLOAT NOT NULL CONSTRAINT DF_WaterPoint_HysteresisCm DEFAULT 2;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'PendingSeconds') IS NULL
    ALTER TABLE dbo.WaterPoint ADD PendingSeconds INT NOT NULL CONSTRAINT DF_WaterPoint_PendingSeconds DEFAULT 60;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'RiseLimitCmPerMin') IS NULL
    ALTER TABLE dbo.WaterPoint ADD RiseLimitCmPerMin FLOAT NULL;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'ExpectedIntervalSeconds') IS NULL
    ALTER TABLE dbo.WaterPoint ADD ExpectedIntervalSeconds INT NOT NULL CONSTRAINT DF_WaterPoint_ExpectedIntervalSeconds DEFAULT 300;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'IsOnline') IS NULL
    ALTER TABLE dbo.WaterPoint ADD IsOnline BIT NOT NULL CONSTRAINT DF_WaterPoint_IsOnline DEFAULT 1;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'StatusAt') IS NULL
    ALTER TABLE dbo.WaterPoint ADD StatusAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'LastSeenAt') IS NULL
    ALTER TABLE dbo.WaterPoint ADD LastSeenAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.WaterPoint', N'RetiredAt') IS NULL
    ALTER TABLE dbo.WaterPoint ADD RetiredAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'RepeatCount') IS NULL
    ALTER TABLE dbo.CameraAlert ADD RepeatCount INT NOT NULL CONSTRAINT DF_CameraAlert_RepeatCount DEFAULT 1;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'LastOccurredAt') IS NULL
    ALTER TABLE dbo.CameraAlert ADD LastOccurredAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'AcknowledgedAt') IS NULL
    ALTER TABLE dbo.CameraAlert ADD AcknowledgedAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'AcknowledgedByUserId') IS NULL
    ALTER TABLE dbo.CameraAlert ADD AcknowledgedByUserId INT NULL CONSTRAINT FK_CameraAlert_AckUser REFERENCES dbo.AppUser(Id);
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'ClosedAt') IS NULL
    ALTER TABLE dbo.CameraAlert ADD ClosedAt DATETIMEOFFSET(7) NULL;
GO
IF COL_LENGTH(N'dbo.CameraAlert', N'ClosedByUserId') IS NULL
    ALTER TABLE dbo.CameraAlert ADD ClosedByUserId INT NULL CONSTRAINT FK_CameraAlert_CloseUser REFERENCES dbo.AppUser(Id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_CameraAlert_Camera_Kind_Status' AND object_id = OBJECT_ID(N'dbo.CameraAlert'))
    CREATE INDEX IX_CameraAlert_Camera_Kind_Status ON dbo.CameraAlert(CameraId, Kind, Status);
GO
IF OBJECT_ID(N'dbo.WaterAlarm', N'U') IS NULL
CREATE TABLE dbo.WaterAlarm (
    Id                      BIGINT IDENTITY(1,1) NOT NULL CONSTRAINT PK_WaterAlarm PRIMARY KEY,
    WaterPointId            INT NOT NULL CONSTRAINT FK_WaterAlarm_WaterPoint REFERENCES dbo.WaterPoint(Id),
    Kind                    INT NOT NULL CONSTRAINT CK_WaterAlarm_Kind CHECK (Kind BETWEEN 1 AND 3),
    RaisedAt                DATETIMEOFFSET(7) NOT NULL,
    DepthCm                 FLOAT NOT NULL,
    PeakDepthCm             FLOAT NOT NULL,
    ClearedAt               DATETIMEOFFSET(7) NULL,
    AcknowledgedAt          DATETIMEOFFSET(7) NULL,
    AcknowledgedByUserId    INT NULL CONSTRAINT FK_WaterAlarm_AckUser REFERENCES dbo.AppUser(Id),
    IncidentId              BIGINT NULL CONSTRAINT FK_WaterAlarm_Incident REFERENCES dbo.Incident(Id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_WaterAlarm_Point_RaisedAt' AND object_id = OBJECT_ID(N'dbo.WaterAlarm'))
    CREATE INDEX IX_WaterAlarm_Point_RaisedAt ON dbo.WaterAlarm(WaterPointId, RaisedAt);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_WaterAlarm_RaisedAt' AND object_id = OBJECT_ID(N'dbo.WaterAlarm'))
    CREATE INDEX IX_WaterAlarm_RaisedAt ON dbo.WaterAlarm(RaisedAt);
GO
