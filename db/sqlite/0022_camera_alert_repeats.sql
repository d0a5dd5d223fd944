-- 0022 camera alert repeats (issue 10): every repeat folded into an open alert is a row of its own, so that a repeat's
-- externalId is kept (a QoS-1 redelivery or a webhook retry of a folded repeat is a duplicate and counts once) and the
-- fold that the live board shows carries a row id as its sequence. Frigate's has_snapshot is kept on the alert.
CREATE TABLE CameraAlertRepeat (
    Id          INTEGER PRIMARY KEY AUTOINCREMENT,
    AlertId     INTEGER NOT NULL REFERENCES CameraAlert(Id),
    CameraId    INTEGER NOT NULL REFERENCES Camera(Id),
    Kind        TEXT NOT NULL,
    Confidence  REAL NOT NULL,
    OccurredAt  TEXT NOT NULL,
    ReceivedAt  TEXT NOT NULL,
    ExternalId  TEXT NULL,
    Caller      TEXT NULL
);
-- Unique per caller and camera, as on CameraAlert (UX_CameraAlert_Caller_Camera_ExternalId).
CREATE UNIQUE INDEX UX_CameraAlertRepeat_Caller_Camera_ExternalId ON CameraAlertRepeat(Caller, CameraId, ExternalId)
    WHERE ExternalId IS NOT NULL AND Caller IS NOT NULL;
CREATE INDEX IX_CameraAlertRepeat_AlertId ON CameraAlertRepeat(AlertId);

-- Frigate's after.has_snapshot (1: a snapshot can be fetched from {Frigate:BaseUrl}/api/events/{id}/snapshot.jpg).
ALTER TABLE CameraAlert ADD COLUMN HasSnapshot INTEGER NOT NULL DEFAULT 0;
