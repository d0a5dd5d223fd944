-- 0003 one reading per point and instant: a reading that repeats one already stored (same waterlogging point,
-- same measured instant) is a duplicate. Earlier builds stored such repeats; keep the first of each and make the
-- rule a unique index, so that the API can answer "duplicate" per reading and the board never sees two.
DELETE FROM SensorReading
WHERE Id NOT IN (SELECT MIN(Id) FROM SensorReading GROUP BY WaterPointId, MeasuredAt);
DROP INDEX IF EXISTS IX_SensorReading_Point_MeasuredAt;
CREATE UNIQUE INDEX IF NOT EXISTS UX_SensorReading_Point_MeasuredAt ON SensorReading(WaterPointId, MeasuredAt);
