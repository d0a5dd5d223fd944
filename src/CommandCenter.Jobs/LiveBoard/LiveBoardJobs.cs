using CommandCenter.Data.Live;
using Quartz;
using Board = CommandCenter.Domain.Live.LiveBoard;

namespace CommandCenter.Jobs.LiveBoard;

/// <summary>Applies the passing of time to the live board: overdue incidents, silent sensors, a new day.</summary>
[DisallowConcurrentExecution]
public sealed class LiveBoardTickJob(Board board) : IJob
{
    public static readonly JobKey Key = new("live-board-tick", "live");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        board.Tick();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Re-reads the live board from the database: hourly, and just after midnight in the street's zone, so
/// that counts which only events keep current cannot drift (a write by another node, an import).
/// </summary>
[DisallowConcurrentExecution]
public sealed class LiveBoardResyncJob(BoardSync sync) : IJob
{
    public static readonly JobKey Key = new("live-board-resync", "live");

    /// <summary>Events published while the database is read are replayed on top (see <see cref="BoardSync"/>).</summary>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sync.SyncAsync("scheduled re-sync", cancellationToken).ConfigureAwait(false);
}
