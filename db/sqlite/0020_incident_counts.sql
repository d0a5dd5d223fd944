-- Issue 9: the queue's counts per step in constant time at any history size.
-- IncidentCount holds how many incidents there are per grid, category, source, cycle and step; triggers keep it in
-- step with every write to Incident (report, action, escalation, conversion, demo, import), in the writer's own
-- transaction. The queue sums it for every filter made of those dimensions instead of counting the history.
CREATE TABLE IF NOT EXISTS IncidentCount (
    GridId   INTEGER NOT NULL,
    Category TEXT    NOT NULL,
    Source   INTEGER NOT NULL,
    Cycle    INTEGER NOT NULL,
    Step     INTEGER NOT NULL,
    N        INTEGER NOT NULL,
    PRIMARY KEY (GridId, Category, Source, Cycle, Step)
) WITHOUT ROWID;

DELETE FROM IncidentCount;
INSERT INTO IncidentCount (GridId, Category, Source, Cycle, Step, N)
SELECT GridId, Category, Source, Cycle, Step, COUNT(*) FROM Incident GROUP BY GridId, Category, Source, Cycle, Step;

CREATE TRIGGER IF NOT EXISTS TR_Incident_Count_Insert AFTER INSERT ON Incident
BEGIN
    INSERT INTO IncidentCount (GridId, Category, Source, Cycle, Step, N)
    VALUES (new.GridId, new.Category, new.Source, new.Cycle, new.Step, 1)
    ON CONFLICT (GridId, Category, Source, Cycle, Step) DO UPDATE SET N = N + 1;
END;

CREATE TRIGGER IF NOT EXISTS TR_Incident_Count_Update AFTER UPDATE OF GridId, Category, Source, Cycle, Step ON Incident
WHEN old.GridId IS NOT new.GridId OR old.Category IS NOT new.Category OR old.Source IS NOT new.Source
  OR old.Cycle IS NOT new.Cycle OR old.Step IS NOT new.Step
BEGIN
    UPDATE IncidentCount SET N = N - 1
    WHERE GridId = old.GridId AND Category = old.Category AND Source = old.Source AND Cycle = old.Cycle AND Step = old.Step;
    INSERT INTO IncidentCount (GridId, Category, Source, Cycle, Step, N)
    VALUES (new.GridId, new.Category, new.Source, new.Cycle, new.Step, 1)
    ON CONFLICT (GridId, Category, Source, Cycle, Step) DO UPDATE SET N = N + 1;
END;

CREATE TRIGGER IF NOT EXISTS TR_Incident_Count_Delete AFTER DELETE ON Incident
BEGIN
    UPDATE IncidentCount SET N = N - 1
    WHERE GridId = old.GridId AND Category = old.Category AND Source = old.Source AND Cycle = old.Cycle AND Step = old.Step;
END;

-- The counts the dropped indexes served come from IncidentCount now; each dropped index was one more b-tree to
-- rewrite on every step change. IX_Incident_Step_Id was the same index as IX_Incident_Step (the key ends in the rowid).
DROP INDEX IF EXISTS IX_Incident_Step_Id;
DROP INDEX IF EXISTS IX_Incident_Category_Step_Id;
DROP INDEX IF EXISTS IX_Incident_Cycle_Step_Id;
DROP INDEX IF EXISTS IX_Incident_Source_Step_Id;

-- Overdue: the open incidents past their deadline, counted per step from the index alone.
DROP INDEX IF EXISTS IX_Incident_Open_DueAt;
CREATE INDEX IF NOT EXISTS IX_Incident_Open_DueAt_Step ON Incident(DueAt, Step) WHERE Step < 6;
