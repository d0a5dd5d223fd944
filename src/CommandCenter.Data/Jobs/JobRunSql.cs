namespace CommandCenter.Data.Jobs;

/// <summary>The JobRun table (migration 0016): the record of each run of a Quartz job, kept to the last N per job.</summary>
internal static class JobRunSql
{
    public const string Insert_Sqlite = """
        INSERT INTO JobRun (JobGroup, JobName, StartedAt, FinishedAt, Succeeded, Error, RunBy, Node)
        VALUES (@JobGroup, @JobName, @StartedAt, @FinishedAt, @Succeeded, @Error, @RunBy, @Node);
        SELECT last_insert_rowid();
        """;

    public const string Insert_SqlServer = """
        INSERT INTO JobRun (JobGroup, JobName, StartedAt, FinishedAt, Succeeded, Error, RunBy, Node)
        OUTPUT INSERTED.Id
        VALUES (@JobGroup, @JobName, @StartedAt, @FinishedAt, @Succeeded, @Error, @RunBy, @Node);
        """;

    /// <summary>Keeps the newest @Keep runs of one job (ids grow with time) and deletes the rest.</summary>
    public const string Trim_Sqlite = """
        DELETE FROM JobRun
        WHERE JobGroup = @JobGroup AND JobName = @JobName
          AND Id < (SELECT MIN(Id) FROM (SELECT Id FROM JobRun WHERE JobGroup = @JobGroup AND JobName = @JobName ORDER BY Id DESC LIMIT @Keep) AS k)
        """;

    public const string Trim_SqlServer = """
        DELETE FROM JobRun
        WHERE JobGroup = @JobGroup AND JobName = @JobName
          AND Id < (SELECT MIN(Id) FROM (SELECT TOP (@Keep) Id FROM JobRun WHERE JobGroup = @JobGroup AND JobName = @JobName ORDER BY Id DESC) AS k)
        """;

    /// <summary>The latest run of every job.</summary>
    public const string Latest = """
        SELECT r.Id, r.JobGroup, r.JobName, r.StartedAt, r.FinishedAt, r.Succeeded, r.Error, r.RunBy, r.Node
        FROM JobRun r
        WHERE r.Id = (SELECT MAX(x.Id) FROM JobRun x WHERE x.JobGroup = r.JobGroup AND x.JobName = r.JobName)
        """;

    /// <summary>The latest failed run of every job that has one (its error is the "last error").</summary>
    public const string LatestFailures = """
        SELECT r.Id, r.JobGroup, r.JobName, r.StartedAt, r.FinishedAt, r.Succeeded, r.Error, r.RunBy, r.Node
        FROM JobRun r
        WHERE r.Id = (SELECT MAX(x.Id) FROM JobRun x WHERE x.JobGroup = r.JobGroup AND x.JobName = r.JobName AND x.Succeeded = 0)
        """;

    /// <summary>The runs of one job, newest first.</summary>
    public const string OfJob_Sqlite = """
        SELECT Id, JobGroup, JobName, StartedAt, FinishedAt, Succeeded, Error, RunBy, Node
        FROM JobRun WHERE JobGroup = @JobGroup AND JobName = @JobName ORDER BY Id DESC LIMIT @Top
        """;

    public const string OfJob_SqlServer = """
        SELECT TOP (@Top) Id, JobGroup, JobName, StartedAt, FinishedAt, Succeeded, Error, RunBy, Node
        FROM JobRun WHERE JobGroup = @JobGroup AND JobName = @JobName ORDER BY Id DESC
        """;
}
