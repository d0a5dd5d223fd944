using CommandCenter.Domain.Live;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Live;

/// <summary>What the server calls on clients of /hubs/live.</summary>
public interface ILiveClient
{
    /// <summary>
    /// The changes of the last window (at most one message per <see cref="LiveHubBroadcaster.Interval"/>), merged:
    /// see <see cref="LiveBatch"/> for how to apply it.
    /// </summary>
    Task Changed(LiveBatch batch);
}

/// <summary>
/// The public live hub for other screens and clients. Connect, call <see cref="GetSnapshot"/> once, then apply every
/// <c>Changed</c> batch whose <c>toVersion</c> is above the snapshot's version; refetch the snapshot when a batch says
/// <c>resync</c> or its <c>fromVersion</c> is past the last version applied + 1 (a gap: e.g. after a reconnect).
/// <para>
/// A connection lives only as long as its credential: it is checked when it opens and on every <see cref="GetSnapshot"/>,
/// ended at once when its key, device, person or session is revoked on this node, and otherwise at the next
/// re-validation (<see cref="LiveConnections"/>).
/// </para>
/// </summary>
[Authorize(Policy = Policies.LiveRead)]
public sealed class LiveHub(ILiveBoard board, LiveConnections connections, CredentialValidator credentials) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";
    public const string StreetGroup = "street";

    public static string CommunityGroup(int communityId) => "community:" + communityId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The live state, cut to the caller's community when it is scoped to one.</summary>
    public async Task<LiveSnapshot> GetSnapshot()
    {
        var user = await RequireValidAsync();
        return board.GetSnapshot(user.CommunityId());
    }

    public override async Task OnConnectedAsync()
    {
        // Registered first, so that a revocation from now on closes it; then checked against the database once more
        // (authenticated at negotiate, an API key may have come from a 30-second cache).
        if (Context.User is { } principal) connections.Add(Context.ConnectionId, principal, Context.Abort);
        var user = await RequireValidAsync();
        var community = user.CommunityId();
        await Groups.AddToGroupAsync(Context.ConnectionId, community is null ? StreetGroup : CommunityGroup(community.Value));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task<System.Security.Claims.ClaimsPrincipal> RequireValidAsync()
    {
        if (Context.User is { } user && await credentials.IsValidAsync(user, Context.ConnectionAborted))
        {
            return user;
        }

        connections.Remove(Context.ConnectionId);
        Context.Abort();
        throw new HubException("Unauthorized: the key, device or sign-in of this connection is no longer valid.");
    }
}

/// <summary>
/// Sends the board's changes to the hub's clients, coalesced: the board's subscriber only adds the change to a
/// <see cref="ChangeCoalescer"/> (no I/O on the publishing thread); this loop sends at most one merged batch per
/// <see cref="Interval"/> to the street group and one, cut to the community, to each community group. The cost is
/// clients × sends, not clients × events, and nothing is dropped: a burst only makes the batches larger.
/// </summary>
public sealed class LiveHubBroadcaster(LiveBoard board, IHubContext<LiveHub, ILiveClient> hub, TimeProvider time, ILogger<LiveHubBroadcaster> logger)
    : BackgroundService
{
    /// <summary>The shortest time between two sends.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly ChangeCoalescer _pending = new();
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = board.Subscribe(OnChange);
        var lastSent = time.GetTimestamp() - (long)(Interval.TotalSeconds * time.TimestampFrequency);
        while (!stoppingToken.IsCancellationRequested)
        {
            await _wake.WaitAsync(stoppingToken);
            var wait = Interval - time.GetElapsedTime(lastSent);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken); // gather the rest of the window
            }

            if (_pending.Take() is not { } batch)
            {
                continue;
            }

            lastSent = time.GetTimestamp();
            try
            {
                await hub.Clients.Group(LiveHub.StreetGroup).Changed(batch.ToBatch(board, null));
                foreach (var community in board.Communities)
                {
                    await hub.Clients.Group(LiveHub.CommunityGroup(community.Id)).Changed(batch.ToBatch(board, community.Id));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not broadcast live changes {From}..{To}", batch.FromVersion, batch.ToVersion);
            }
        }
    }

    private void OnChange(LiveChange change)
    {
        if (_pending.Add(change))
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // The loop is awake already.
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
