namespace CommandCenter.Data.Reports;

/// <summary>
/// The SQL of the assessment reports (issue 12): set-based figures of a period [@From, @To) for the report, and the
/// Report records. Instants are compared as stored (ISO text in SQLite, datetimeoffset in SQL Server).
/// </summary>
public static class ReportSql
{
    public const string Street = "SELECT Name, NameZh FROM Street ORDER BY Id";

    /// <summary>The headline counts of the period in one row.</summary>
    public const string Headline =
        "SELECT " +
        "(SELECT COUNT(*) FROM Incident i WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND i.Resolution <> 2) AS Reported, " +
        "(SELECT COUNT(*) FROM Incident i WHERE i.ClosedAt >= @From AND i.ClosedAt < @To AND i.Resolution = 1) AS Closed, " +
        "(SELECT COUNT(*) FROM Incident i WHERE i.ClosedAt >= @From AND i.ClosedAt < @To AND i.Resolution = 1 AND i.ClosedOnTime = 1) AS ClosedOnTime, " +
        "(SELECT COUNT(*) FROM Incident i WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND (i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL)) AS Escalated, " +
        "(SELECT COUNT(*) FROM Incident i WHERE i.DueAt >= @From AND i.DueAt < @To AND i.Resolution <> 2 AND (i.ClosedAt IS NULL OR i.ClosedAt > i.DueAt)) AS Overdue, " +
        "(SELECT COUNT(i.Satisfaction) FROM Incident i WHERE i.ClosedAt >= @From AND i.ClosedAt < @To AND i.Resolution = 1) AS SatisfactionCount, " +
        "(SELECT COALESCE(SUM(i.Satisfaction), 0) FROM Incident i WHERE i.ClosedAt >= @From AND i.ClosedAt < @To AND i.Resolution = 1) AS SatisfactionSum, " +
        "(SELECT COUNT(*) FROM HouseholdVisit v WHERE v.VisitedAt >= @From AND v.VisitedAt < @To) AS Visits, " +
        "(SELECT COUNT(*) FROM WaterAlarm w WHERE w.RaisedAt >= @From AND w.RaisedAt < @To) AS WaterAlarms, " +
        "(SELECT COUNT(*) FROM CameraAlert a WHERE a.OccurredAt >= @From AND a.OccurredAt < @To) AS CameraAlerts";

    /// <summary>Incidents reported per category in [@From, @To) and in the period before [@PrevFrom, @From).</summary>
    public const string ByCategory =
        "SELECT i.Category, SUM(CASE WHEN i.ReportedAt >= @From THEN 1 ELSE 0 END) AS Count, " +
        "SUM(CASE WHEN i.ReportedAt < @From THEN 1 ELSE 0 END) AS PreviousCount " +
        "FROM Incident i WHERE i.ReportedAt >= @PrevFrom AND i.ReportedAt < @To AND i.Resolution <> 2 " +
        "GROUP BY i.Category ORDER BY SUM(CASE WHEN i.ReportedAt >= @From THEN 1 ELSE 0 END) DESC, i.Category";

    /// <summary>Incidents reported in the period by the step they are in now.</summary>
    public const string ByStep =
        "SELECT i.Step, COUNT(*) AS Count FROM Incident i WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND i.Resolution <> 2 GROUP BY i.Step ORDER BY i.Step";

    /// <summary>Incidents due in the period and closed late or still open at its end (the latest first), at most @Top.</summary>
    public const string Overdue_Sqlite =
        "SELECT i.Number, i.Title, g.Name AS Grid, g.NameZh AS GridZh, i.DueAt, i.ClosedAt, " +
        "CASE WHEN i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL THEN 1 ELSE 0 END AS Escalated " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId " +
        "WHERE i.DueAt >= @From AND i.DueAt < @To AND i.Resolution <> 2 AND (i.ClosedAt IS NULL OR i.ClosedAt > i.DueAt) " +
        "ORDER BY i.DueAt, i.Id LIMIT @Top";

    public const string Overdue_SqlServer =
        "SELECT TOP (@Top) i.Number, i.Title, g.Name AS Grid, g.NameZh AS GridZh, i.DueAt, i.ClosedAt, " +
        "CASE WHEN i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL THEN 1 ELSE 0 END AS Escalated " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId " +
        "WHERE i.DueAt >= @From AND i.DueAt < @To AND i.Resolution <> 2 AND (i.ClosedAt IS NULL OR i.ClosedAt > i.DueAt) " +
        "ORDER BY i.DueAt, i.Id";

    /// <summary>Incidents reported in the period that were escalated (a higher cycle, or past due), at most @Top.</summary>
    public const string Escalated_Sqlite =
        "SELECT i.Number, i.Title, g.Name AS Grid, g.NameZh AS GridZh, i.DueAt, i.ClosedAt, 1 AS Escalated " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId " +
        "WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND (i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL) " +
        "ORDER BY i.ReportedAt, i.Id LIMIT @Top";

    public const string Escalated_SqlServer =
        "SELECT TOP (@Top) i.Number, i.Title, g.Name AS Grid, g.NameZh AS GridZh, i.DueAt, i.ClosedAt, 1 AS Escalated " +
        "FROM Incident i JOIN Grid g ON g.Id = i.GridId " +
        "WHERE i.ReportedAt >= @From AND i.ReportedAt < @To AND (i.Cycle > 1 OR i.EscalatedForDueAt IS NOT NULL) " +
        "ORDER BY i.ReportedAt, i.Id";

    /// <summary>The deepest waterlogging alarms of the period, at most @Top.</summary>
    public const string TopWaterAlarms_Sqlite =
        "SELECT wa.RaisedAt AS At, w.Name AS Source, w.NameZh AS SourceZh, g.Name AS Grid, g.NameZh AS GridZh, wa.Kind, wa.PeakDepthCm AS Value, wa.AcknowledgedAt " +
        "FROM WaterAlarm wa JOIN WaterPoint w ON w.Id = wa.WaterPointId JOIN Grid g ON g.Id = w.GridId " +
        "WHERE wa.RaisedAt >= @From AND wa.RaisedAt < @To ORDER BY wa.PeakDepthCm DESC, wa.Id LIMIT @Top";

    public const string TopWaterAlarms_SqlServer =
        "SELECT TOP (@Top) wa.RaisedAt AS At, w.Name AS Source, w.NameZh AS SourceZh, g.Name AS Grid, g.NameZh AS GridZh, wa.Kind, wa.PeakDepthCm AS Value, wa.AcknowledgedAt " +
        "FROM WaterAlarm wa JOIN WaterPoint w ON w.Id = wa.WaterPointId JOIN Grid g ON g.Id = w.GridId " +
        "WHERE wa.RaisedAt >= @From AND wa.RaisedAt < @To ORDER BY wa.PeakDepthCm DESC, wa.Id";

    /// <summary>The most confident camera alerts of the period, at most @Top.</summary>
    public const string TopCameraAlerts_Sqlite =
        "SELECT ca.OccurredAt AS At, c.Name AS Source, c.Name AS SourceZh, g.Name AS Grid, g.NameZh AS GridZh, ca.Kind AS AlertKind, ca.Confidence AS Value, ca.AcknowledgedAt " +
        "FROM CameraAlert ca JOIN Camera c ON c.Id = ca.CameraId JOIN Grid g ON g.Id = c.GridId " +
        "WHERE ca.OccurredAt >= @From AND ca.OccurredAt < @To ORDER BY ca.Confidence DESC, ca.Id LIMIT @Top";

    public const string TopCameraAlerts_SqlServer =
        "SELECT TOP (@Top) ca.OccurredAt AS At, c.Name AS Source, c.Name AS SourceZh, g.Name AS Grid, g.NameZh AS GridZh, ca.Kind AS AlertKind, ca.Confidence AS Value, ca.AcknowledgedAt " +
        "FROM CameraAlert ca JOIN Camera c ON c.Id = ca.CameraId JOIN Grid g ON g.Id = c.GridId " +
        "WHERE ca.OccurredAt >= @From AND ca.OccurredAt < @To ORDER BY ca.Confidence DESC, ca.Id";

    // --- Report records -----------------------------------------------------------------------------------------

    private const string Columns =
        "Id, Period, Kind, Culture, Status, Progress, RequestedAt, RequestedBy, MadeAt, PdfFile, PdfSize, XlsxFile, XlsxSize, CsvFile, CsvSize, Error";

    public const string Insert_Sqlite =
        "INSERT INTO Report (Period, Kind, Culture, Status, Progress, RequestedAt, RequestedBy) " +
        "VALUES (@Period, @Kind, @Culture, 1, 0, @RequestedAt, @RequestedBy); SELECT last_insert_rowid();";

    public const string Insert_SqlServer =
        "INSERT INTO Report (Period, Kind, Culture, Status, Progress, RequestedAt, RequestedBy) OUTPUT INSERTED.Id " +
        "VALUES (@Period, @Kind, @Culture, 1, 0, @RequestedAt, @RequestedBy);";

    public const string Get = "SELECT " + Columns + " FROM Report WHERE Id = @Id";

    public const string List = "SELECT " + Columns + " FROM Report ORDER BY Id DESC";

    public const string SetProgress = "UPDATE Report SET Status = @Status, Progress = @Progress WHERE Id = @Id";

    public const string Done =
        "UPDATE Report SET Status = 3, Progress = 100, MadeAt = @MadeAt, PdfFile = @PdfFile, PdfSize = @PdfSize, XlsxFile = @XlsxFile, " +
        "XlsxSize = @XlsxSize, CsvFile = @CsvFile, CsvSize = @CsvSize, Error = NULL WHERE Id = @Id";

    public const string Failed = "UPDATE Report SET Status = 4, Error = @Error WHERE Id = @Id";

    /// <summary>Older done reports of the same period and language no longer own the (replaced) files.</summary>
    public const string Supersede =
        "UPDATE Report SET Status = 5 WHERE Period = @Period AND Culture = @Culture AND Status = 3 AND Id <> @Id";

    /// <summary>Whether a done report of a period exists (any language).</summary>
    public const string HasDone = "SELECT COUNT(*) FROM Report WHERE Period = @Period AND Status = 3";

    /// <summary>Done reports (newest period first) of a kind: retention keeps the newest periods.</summary>
    public const string DoneOfKind = "SELECT " + Columns + " FROM Report WHERE Kind = @Kind AND Status = 3 ORDER BY Period DESC, Id DESC";

    public const string MarkRemoved = "UPDATE Report SET Status = 5 WHERE Id = @Id";

    /// <summary>Reports left queued or running by a stopped process.</summary>
    public const string FailInterrupted = "UPDATE Report SET Status = 4, Error = @Error WHERE Status IN (1, 2)";
}
