-- 0005 idempotency keys per caller: an incident's or a camera alert's ExternalId is the sender's own id, unique only
-- among what that sender (an API key, a person, the system: 'ApiKey:12', 'User:3', 'System:simulator') sent. The
-- caller is stored beside it, and the unique index covers (caller, id) instead of the id alone, so one key can
-- neither read another's incident through a replay nor block another's id.
ALTER TABLE Incident ADD COLUMN Caller TEXT NULL;
ALTER TABLE CameraAlert ADD COLUMN Caller TEXT NULL;

-- Incidents reported before: their reporter is the actor of their 'incident.reported' audit row. Those without one
-- keep no caller: their id matches no caller's retry any more (and, being unique already, cannot collide).
UPDATE Incident
SET Caller = (SELECT a.ActorKind || ':' || a.ActorId FROM AuditLog a
              WHERE a.Action = 'incident.reported' AND a.EntityType = 'incident' AND a.EntityId = CAST(Incident.Id AS TEXT)
              ORDER BY a.Id LIMIT 1)
WHERE ExternalId IS NOT NULL AND Caller IS NULL;

DROP INDEX IF EXISTS UX_Incident_ExternalId;
CREATE UNIQUE INDEX IF NOT EXISTS UX_Incident_Caller_ExternalId ON Incident(Caller, ExternalId) WHERE ExternalId IS NOT NULL;

-- Alerts were never audited: those stored before keep no caller and stay out of the index (earlier builds did not
-- refuse a repeated id at the database, so two old rows may share one).
CREATE UNIQUE INDEX IF NOT EXISTS UX_CameraAlert_Caller_Camera_ExternalId ON CameraAlert(Caller, CameraId, ExternalId)
    WHERE ExternalId IS NOT NULL AND Caller IS NOT NULL;
