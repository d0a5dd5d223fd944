using System.Threading.Channels;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.Live;

/// <summary>What the server calls on clients of /hubs/live.</summary>
public interface ILiveClient
{
    /// <summary>One change of the live board; see <see cref="LiveChange"/> for how to apply it.</summary>
    Task Changed(LiveChange change);
}

/// <summary>
/// The public live hub for other screens and clients. Connect, call <see cref="GetSnapshot"/> once, then
/// apply every <c>Changed</c> message whose version follows the last one; refetch on a gap or a "resync".
/// </summary>
[Authorize(Policy = Policies.LiveRead)]
public sealed class LiveHub(ILiveBoard board) : Hub<ILiveClient>
{
    public const string Path = "/hubs/live";
    public const string StreetGroup = "street";

    public static string CommunityGroup(int communityId) => "community:" + communityId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The live state, cut to the caller's community when it is scoped to one.</summary>
    public LiveSnapshot GetSnapshot() => board.GetSnapshot(Context.User?.CommunityId());

    public override async Task OnConnectedAsync()
    {
        var community = Context.User?.CommunityId();
        await Groups.AddToGroupAsync(Context.ConnectionId, community is null ? StreetGroup : CommunityGroup(community.Value));
        await base.OnConnectedAsync();
    }
}

/// <summary>
/// Forwards the board's changes to the hub's clients. The board calls subscribers on the publishing
/// thread, so changes are queued here and sent from a background loop; if clients cannot keep up the
/// oldest queued changes are dropped and clients see a version gap, which tells them to refetch.
/// </summary>
public sealed class LiveHubBroadcaster(LiveBoard board, IHubContext<LiveHub, ILiveClient> hub, ILogger<LiveHubBroadcaster> logger)
    : BackgroundService
{
    private readonly Channel<LiveChange> _queue = Channel.CreateBounded<LiveChange>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = board.Subscribe(change => _queue.Writer.TryWrite(change));
        await foreach (var change in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await hub.Clients.Group(LiveHub.StreetGroup).Changed(change);
                // Clients scoped to a community get no street-wide figures: only the signal to refetch their own snapshot.
                var signal = new LiveChange(change.Version, change.At, "resync");
                foreach (var community in board.Communities)
                {
                    await hub.Clients.Group(LiveHub.CommunityGroup(community.Id)).Changed(signal);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not broadcast live change {Version}", change.Version);
            }
        }
    }
}
