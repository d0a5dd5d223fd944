-- 0012 reading history (issue "Devices end to end", History): raw readings are kept for a configured number of days,
-- and a job rolls them up per minute and per hour (min / max / avg / last / count) for the point pages and
-- GET /api/v1/water-points/{code}/readings. A roll-up is recomputed from its source rows, so running it twice
-- gives the same rows; RollupState remembers how far each roll-up has gone (catching up after downtime).
CREATE TABLE SensorReadingMinute (
    WaterPointId    INTEGER NOT NULL REFERENCES WaterPoint(Id),
    BucketStart     TEXT NOT NULL,
    MinCm           REAL NOT NULL,
    MaxCm           REAL NOT NULL,
    AvgCm           REAL NOT NULL,
    LastCm          REAL NOT NULL,
    ReadingCount    INTEGER NOT NULL,
    PRIMARY KEY (WaterPointId, BucketStart)
);
CREATE INDEX IX_SensorReadingMinute_BucketStart ON SensorReadingMinute(BucketStart);

CREATE TABLE SensorReadingHour (
    WaterPointId    INTEGER NOT NULL REFERENCES WaterPoint(Id),
    BucketStart     TEXT NOT NULL,
    MinCm           REAL NOT NULL,
    MaxCm           REAL NOT NULL,
    AvgCm           REAL NOT NULL,
    LastCm          REAL NOT NULL,
    ReadingCount    INTEGER NOT NULL,
    PRIMARY KEY (WaterPointId, BucketStart)
);
CREATE INDEX IX_SensorReadingHour_BucketStart ON SensorReadingHour(BucketStart);

CREATE TABLE RollupState (
    Name            TEXT NOT NULL PRIMARY KEY,
    DoneUntil       TEXT NOT NULL
);

-- The roll-up reads a time range across all points, and retention deletes the oldest rows first.
CREATE INDEX IX_SensorReading_MeasuredAt ON SensorReading(MeasuredAt);
