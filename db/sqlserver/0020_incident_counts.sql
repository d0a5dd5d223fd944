-- Issue 9: the queue's counts per step in constant time at any history size (see the SQLite twin for the design).
-- Re-runnable: every statement checks what exists; the counts are rebuilt from Incident when the table is created.
IF OBJECT_ID(N'dbo.IncidentCount', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.IncidentCount (
        GridId   INT           NOT NULL,
        Category NVARCHAR(64)  NOT NULL,
        Source   INT           NOT NULL,
        Cycle    INT           NOT NULL,
        Step     INT           NOT NULL,
        N        INT           NOT NULL,
        CONSTRAINT PK_IncidentCount PRIMARY KEY (GridId, Category, Source, Cycle, Step)
    );
    INSERT INTO dbo.IncidentCount (GridId, Category, Source, Cycle, Step, N)
    SELECT GridId, Category, Source, Cycle, Step, COUNT(*) FROM dbo.Incident GROUP BY GridId, Category, Source, Cycle, Step;
END
GO
CREATE OR ALTER TRIGGER dbo.TR_Incident_Count ON dbo.Incident AFTER INSERT, UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    WITH d AS (
        SELECT GridId, Category, Source, Cycle, Step, SUM(Delta) AS Delta
        FROM (SELECT GridId, Category, Source, Cycle, Step, 1 AS Delta FROM inserted
              UNION ALL
              SELECT GridId, Category, Source, Cycle, Step, -1 AS Delta FROM deleted) x
        GROUP BY GridId, Category, Source, Cycle, Step
        HAVING SUM(Delta) <> 0)
    MERGE dbo.IncidentCount WITH (HOLDLOCK) AS t
    USING d ON t.GridId = d.GridId AND t.Category = d.Category AND t.Source = d.Source AND t.Cycle = d.Cycle AND t.Step = d.Step
    WHEN MATCHED THEN UPDATE SET N = t.N + d.Delta
    WHEN NOT MATCHED THEN INSERT (GridId, Category, Source, Cycle, Step, N) VALUES (d.GridId, d.Category, d.Source, d.Cycle, d.Step, d.Delta);
END
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX IX_Incident_Step_Id ON dbo.Incident;
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Category_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX IX_Incident_Category_Step_Id ON dbo.Incident;
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Cycle_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX IX_Incident_Cycle_Step_Id ON dbo.Incident;
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Source_Step_Id' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX IX_Incident_Source_Step_Id ON dbo.Incident;
GO
IF EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Open_DueAt' AND object_id = OBJECT_ID(N'dbo.Incident'))
    DROP INDEX IX_Incident_Open_DueAt ON dbo.Incident;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Incident_Open_DueAt_Step' AND object_id = OBJECT_ID(N'dbo.Incident'))
    CREATE INDEX IX_Incident_Open_DueAt_Step ON dbo.Incident(DueAt, Step) WHERE Step < 6;
GO
