-- 0007 devices as a registry (issue "Devices end to end"): names in both languages, a place, the settings that
-- make a waterlogging point's alarm right (hysteresis margin, pending time, rate-of-rise limit), the interval a
-- device is expected to report in, online status kept for both kinds, retirement instead of deletion; camera
-- alerts that fold repeats and record who acknowledged them and when; the waterlogging alarms a point raised.
ALTER TABLE Camera ADD COLUMN NameZh TEXT NULL;
ALTER TABLE Camera ADD COLUMN Place TEXT NULL;
ALTER TABLE Camera ADD COLUMN ExpectedIntervalSeconds INTEGER NOT NULL DEFAULT 600;
ALTER TABLE Camera ADD COLUMN LastSeenAt TEXT NULL;
ALTER TABLE Camera ADD COLUMN RetiredAt TEXT NULL;

ALTER TABLE WaterPoint ADD COLUMN Place TEXT NULL;
ALTER TABLE WaterPoint ADD COLUMN HysteresisCm REAL NOT NULL DEFAULT 2;
ALTER TABLE WaterPoint ADD COLUMN PendingSeconds INTEGER NOT NULL DEFAULT 60;
-- NULL: no rate-of-rise alarm for this point.
ALTER TABLE WaterPoint ADD COLUMN RiseLimitCmPerMin REAL NULL;
ALTER TABLE WaterPoint ADD COLUMN ExpectedIntervalSeconds INTEGER NOT NULL DEFAULT 300;
ALTER TABLE WaterPoint ADD COLUMN IsOnline INTEGER NOT NULL DEFAULT 1;
ALTER TABLE WaterPoint ADD COLUMN StatusAt TEXT NULL;
ALTER TABLE WaterPoint ADD COLUMN LastSeenAt TEXT NULL;
ALTER TABLE WaterPoint ADD COLUMN RetiredAt TEXT NULL;

-- Repeats of one camera and kind within the fold window raise Count and LastOccurredAt of the open alert.
ALTER TABLE CameraAlert ADD COLUMN RepeatCount INTEGER NOT NULL DEFAULT 1;
ALTER TABLE CameraAlert ADD COLUMN LastOccurredAt TEXT NULL;
ALTER TABLE CameraAlert ADD COLUMN AcknowledgedAt TEXT NULL;
ALTER TABLE CameraAlert ADD COLUMN AcknowledgedByUserId INTEGER NULL REFERENCES AppUser(Id);
ALTER TABLE CameraAlert ADD COLUMN ClosedAt TEXT NULL;
ALTER TABLE CameraAlert ADD COLUMN ClosedByUserId INTEGER NULL REFERENCES AppUser(Id);
CREATE INDEX IX_CameraAlert_Camera_Kind_Status ON CameraAlert(CameraId, Kind, Status);

-- A level a point raised (Warning, Alarm) or a rate-of-rise alarm, from the instant its pending time was met
-- until it cleared below the level minus the hysteresis margin.
CREATE TABLE WaterAlarm (
    Id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    WaterPointId            INTEGER NOT NULL REFERENCES WaterPoint(Id),
    Kind                    INTEGER NOT NULL CHECK (Kind BETWEEN 1 AND 3), -- 1 Warning, 2 Alarm, 3 RateOfRise
    RaisedAt                TEXT NOT NULL,
    DepthCm                 REAL NOT NULL,
    PeakDepthCm             REAL NOT NULL,
    ClearedAt               TEXT NULL,
    AcknowledgedAt          TEXT NULL,
    AcknowledgedByUserId    INTEGER NULL REFERENCES AppUser(Id),
    IncidentId              INTEGER NULL REFERENCES Incident(Id)
);
CREATE INDEX IX_WaterAlarm_Point_RaisedAt ON WaterAlarm(WaterPointId, RaisedAt);
CREATE INDEX IX_WaterAlarm_RaisedAt ON WaterAlarm(RaisedAt);
