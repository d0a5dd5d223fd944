-- 0003 one reading per point and instant (SQL Server twin of db/sqlite/0003_reading_unique.sql): keep the first
-- of each repeated (point, instant) and make the rule a unique index. Safe to re-run.

DELETE r FROM dbo.SensorReading r
WHERE EXISTS (SELECT 1 FROM dbo.SensorReading o
              WHERE o.WaterPointId = r.WaterPointId AND o.MeasuredAt = r.MeasuredAt AND o.Id < r.Id);
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SensorReading_Point_MeasuredAt' AND object_id = OBJECT_ID(N'dbo.SensorReading'))
    DROP INDEX IX_SensorReading_Point_MeasuredAt ON dbo.SensorReading;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'UX_SensorReading_Point_MeasuredAt' AND object_id = OBJECT_ID(N'dbo.SensorReading'))
    CREATE UNIQUE INDEX UX_SensorReading_Point_MeasuredAt ON dbo.SensorReading(WaterPointId, MeasuredAt);
GO
