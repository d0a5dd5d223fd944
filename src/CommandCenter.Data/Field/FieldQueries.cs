using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Model;
using Dapper;

namespace CommandCenter.Data.Field;

/// <summary>An incident a staff member's grid holds, as the field app lists it.</summary>
public sealed record HeldIncident(long Id, string Number, string Category, int GridId, string Title, string Step, string Cycle, string Priority,
    DateTimeOffset ReportedAt, DateTimeOffset DueAt, long Version, bool Overdue);

/// <summary>What the field app reads.</summary>
public sealed class FieldQueries(DbConnectionFactory db, TimeProvider time)
{
    public const int MaxHeld = 200;

    /// <summary>The open incidents the staff member's grids hold, oldest deadline first (at most <see cref="MaxHeld"/>).</summary>
    public async Task<IReadOnlyList<HeldIncident>> HeldAsync(int staffId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(db.Pick(FieldSql.Held_Sqlite, FieldSql.Held_SqlServer),
            new { StaffId = staffId, Top = MaxHeld }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new HeldIncident(r.Id, r.Number, r.Category, r.GridId, r.Title, ((IncidentStep)r.Step).ToString(),
            ((IncidentCycle)r.Cycle).ToString(), ((IncidentPriority)r.Priority).ToString(), r.ReportedAt, r.DueAt, r.RowVersion, r.DueAt < now)).ToList();
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public string Category { get; init; } = "";
        public int GridId { get; init; }
        public string Title { get; init; } = "";
        public int Step { get; init; }
        public int Cycle { get; init; }
        public int Priority { get; init; }
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public long RowVersion { get; init; }
    }
}
