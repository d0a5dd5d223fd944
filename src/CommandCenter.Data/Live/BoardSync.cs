using CommandCenter.Domain.Live;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Live;

/// <summary>
/// Loads the live board from the database without losing what happens meanwhile: the board records the events
/// published while the database is read, then replays those above the seed's high-water marks. Used at start,
/// by the hourly re-sync and after a grid import. Logs every row the load skipped.
/// </summary>
public sealed class BoardSync(LiveBoard board, BoardLoader loader, ILogger<BoardSync> logger)
{
    public async Task SyncAsync(string reason, CancellationToken ct = default)
    {
        board.BeginResync();
        BoardSeed seed;
        try
        {
            seed = await loader.LoadAsync(ct: ct).ConfigureAwait(false);
        }
        catch
        {
            board.CancelResync();
            throw;
        }

        var skipped = board.Load(seed);
        foreach (var s in skipped.Take(50))
        {
            logger.LogWarning("Live board load ({Reason}) skipped {Skipped}", reason, s);
        }

        if (skipped.Count > 50)
        {
            logger.LogWarning("Live board load ({Reason}) skipped {More} more rows", reason, skipped.Count - 50);
        }

        logger.LogInformation("Live board loaded ({Reason}): version {Version}, {Open} open incidents, {Skipped} rows skipped",
            reason, board.Version, seed.OpenIncidents.Count, skipped.Count);
    }
}
