using System.Globalization;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Incidents;

/// <summary>
/// Escalates what is overdue now to the next cycle, through the same handler as a person (version-checked, timeline,
/// audit, live event). It keeps no state: each run scans what is overdue at this moment (index on open incidents'
/// due time), so a run after downtime catches up, and an incident is escalated once per breach — the escalation
/// records the deadline it was for and sets the new cycle's deadline.
/// </summary>
public sealed class OverdueEscalator(DbConnectionFactory db, IncidentActionHandler actions, BoardClock clock, ILogger<OverdueEscalator> logger)
{
    /// <summary>How many incidents one run escalates at most (the next run takes the rest).</summary>
    public const int BatchSize = 500;

    /// <summary>Escalations in flight at once.</summary>
    private const int Concurrency = 8;

    public static readonly LoopActor Job = LoopActor.System("deadline-job");

    /// <summary>Escalates every incident overdue now; returns how many it escalated.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.Now;
        List<LoopStateRow> due;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            due = (await c.QueryAsync<LoopStateRow>(new CommandDefinition(db.Pick(IncidentLoopSql.DueForEscalation_Sqlite, IncidentLoopSql.DueForEscalation_SqlServer),
                new { Now = now, Top = BatchSize }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        }

        // Several at a time: each is its own version-checked write, and on SQLite writes that wait together share one
        // transaction (the write queue), so a backlog after downtime is escalated in a fraction of the time it took one
        // by one (500 took 5 s beside a stream of API actions).
        var escalated = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (row, token) =>
        {
            var state = row.ToState();
            if (!IncidentLoop.DueForEscalation(state, now)) return;
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Overdue: due {state.DueAt:yyyy-MM-dd HH:mm} UTC, {FormatLate(now - state.DueAt)} late; escalated by the deadline job.");
            try
            {
                if (await actions.HandleAsync(state.Id, new EscalateCommand(state.Step, reason, ByDeadline: true), Job, state.Version, token).ConfigureAwait(false) is not null)
                {
                    Interlocked.Increment(ref escalated);
                }
            }
            catch (ConflictException)
            {
                // Someone acted on it since the scan: the next run sees it as it is now.
            }
        }).ConfigureAwait(false);

        if (escalated > 0)
        {
            logger.LogInformation("Deadline job escalated {Count} overdue incident(s)", escalated);
        }

        return escalated;
    }

    private static string FormatLate(TimeSpan late) =>
        late.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)late.TotalHours} h {late.Minutes} min") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, late.Minutes)} min");
}
