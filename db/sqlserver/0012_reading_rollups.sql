-- 0012 reading history (SQL Server twin of db/sqlite/0012_reading_rollups.sql): per-minute and per-hour roll-ups
-- of the raw readings, the roll-up watermark, and an index for ranges by time. Safe to re-run.

IF OBJECT_ID(N'dbo.SensorReadingMinute', N'U') IS NULL
    CREATE TABLE dbo.SensorReadingMinute (
        WaterPointId    INT NOT NULL CONSTRAINT FK_SensorReadingMinute_WaterPoint REFERENCES dbo.WaterPoint(Id),
        BucketStart     DATETIMEOFFSET(7) NOT NULL,
        MinCm           FLOAT NOT NULL,
        MaxCm           FLOAT NOT NULL,
        AvgCm           FLOAT NOT NULL,
        LastCm          FLOAT NOT NULL,
        ReadingCount    INT NOT NULL,
        CONSTRAINT PK_SensorReadingMinute PRIMARY KEY (WaterPointId, BucketStart)
    );
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SensorReadingMinute_BucketStart' AND object_id = OBJECT_ID(N'dbo.SensorReadingMinute'))
    CREATE INDEX IX_SensorReadingMinute_BucketStart ON dbo.SensorReadingMinute(BucketStart);
GO
IF OBJECT_ID(N'dbo.SensorReadingHour', N'U') IS NULL
    CREATE TABLE dbo.SensorReadingHour (
        WaterPointId    INT NOT NULL CONSTRAINT FK_SensorReadingHour_WaterPoint REFERENCES dbo.WaterPoint(Id),
        BucketStart     DATETIMEOFFSET(7) NOT NULL,
        MinCm           FLOAT NOT NULL,
        MaxCm           FLOAT NOT NULL,
        AvgCm           FLOAT NOT NULL,
        LastCm          FLOAT NOT NULL,
        ReadingCount    INT NOT NULL,
        CONSTRAINT PK_SensorReadingHour PRIMARY KEY (WaterPointId, BucketStart)
    );
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SensorReadingHour_BucketStart' AND object_id = OBJECT_ID(N'dbo.SensorReadingHour'))
    CREATE INDEX IX_SensorReadingHour_BucketStart ON dbo.SensorReadingHour(BucketStart);
GO
IF OBJECT_ID(N'dbo.RollupState', N'U') IS NULL
    CREATE TABLE dbo.RollupState (
        Name            NVARCHAR(50) NOT NULL CONSTRAINT PK_RollupState PRIMARY KEY,
        DoneUntil       DATETIMEOFFSET(7) NOT NULL
    );
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SensorReading_MeasuredAt' AND object_id = OBJECT_ID(N'dbo.SensorReading'))
    CREATE INDEX IX_SensorReading_MeasuredAt ON dbo.SensorReading(MeasuredAt);
GO
