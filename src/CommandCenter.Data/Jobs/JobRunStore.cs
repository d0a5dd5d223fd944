using CommandCenter.Data.Infrastructure;
using Dapper;

namespace CommandCenter.Data.Jobs;

/// <summary>One run of a job as recorded: when it started and finished, whether it succeeded, the error if not.</summary>
public sealed record JobRun(long Id, string JobGroup, string JobName, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    bool Succeeded, string? Error, string? RunBy, string? Node)
{
    public TimeSpan Duration => FinishedAt - StartedAt;
}

/// <summary>What is recorded of a run (the listener builds it when the job returns or throws).</summary>
public sealed record JobRunRecord(string JobGroup, string JobName, DateTimeOffset StartedAt, DateTimeOffset FinishedAt,
    bool Succeeded, string? Error, string? RunBy, string? Node);

/// <summary>
/// The JobRun table: one row per run, written in one transaction with the trim that keeps the last
/// <see cref="Keep"/> runs of that job.
/// </summary>
public sealed class JobRunStore(DbConnectionFactory db, int keep = JobRunStore.DefaultKeep)
{
    public const int DefaultKeep = 50;

    /// <summary>Longest error text stored (the column holds 1000).</summary>
    public const int MaxErrorLength = 1000;

    public int Keep { get; } = keep > 0 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), "keep at least one run per job");

    public Task<long> RecordAsync(JobRunRecord run, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return db.WriteAsync(async (c, tx) =>
        {
            var args = new
            {
                run.JobGroup,
                run.JobName,
                run.StartedAt,
                run.FinishedAt,
                run.Succeeded,
                Error = Truncate(run.Error, MaxErrorLength),
                RunBy = Truncate(run.RunBy, 200),
                Node = Truncate(run.Node, 200),
            };
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                db.Pick(JobRunSql.Insert_Sqlite, JobRunSql.Insert_SqlServer), args, tx, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(db.Pick(JobRunSql.Trim_Sqlite, JobRunSql.Trim_SqlServer),
                new { run.JobGroup, run.JobName, Keep }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return id;
        }, ct);
    }

    /// <summary>The latest run of every job that has run, and the latest failed run of every job that has failed.</summary>
    public async Task<(IReadOnlyList<JobRun> Latest, IReadOnlyList<JobRun> LatestFailures)> LatestAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var latest = await c.QueryAsync<Row>(new CommandDefinition(JobRunSql.Latest, cancellationToken: ct)).ConfigureAwait(false);
        var failures = await c.QueryAsync<Row>(new CommandDefinition(JobRunSql.LatestFailures, cancellationToken: ct)).ConfigureAwait(false);
        return (latest.Select(r => r.ToRun()).ToList(), failures.Select(r => r.ToRun()).ToList());
    }

    /// <summary>The runs of one job, newest first.</summary>
    public async Task<IReadOnlyList<JobRun>> OfJobAsync(string group, string name, int top = 20, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(db.Pick(JobRunSql.OfJob_Sqlite, JobRunSql.OfJob_SqlServer),
            new { JobGroup = group, JobName = name, Top = Math.Clamp(top, 1, 500) }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToRun()).ToList();
    }

    private static string? Truncate(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..(max - 1)] + "…";

    private sealed class Row
    {
        public long Id { get; init; }
        public string JobGroup { get; init; } = "";
        public string JobName { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset FinishedAt { get; init; }
        public bool Succeeded { get; init; }
        public string? Error { get; init; }
        public string? RunBy { get; init; }
        public string? Node { get; init; }

        public JobRun ToRun() => new(Id, JobGroup, JobName, StartedAt, FinishedAt, Succeeded, Error, RunBy, Node);
    }
}
