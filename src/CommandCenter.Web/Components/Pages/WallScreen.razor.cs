using System.Globalization;
using CommandCenter.Domain.Live;
using CommandCenter.Web.Components.WallScreen;
using CommandCenter.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Components.Pages;

/// <summary>
/// The wall screen at <c>/</c>. Paints from <see cref="ILiveBoard.GetSnapshot"/>, then subscribes to the board:
/// a change only schedules a one-shot <see cref="ThrottleDelay"/> timer (from the injected <see cref="TimeProvider"/>);
/// when it fires, the page takes the current snapshot and re-renders once, inside <c>InvokeAsync</c>. So a burst of
/// changes costs at most ~4 renders a second. The second-by-second clock is <see cref="WallClock"/>'s own business.
/// </summary>
public sealed partial class WallScreen : ComponentBase, IDisposable
{
    /// <summary>How long changes are gathered before one re-render.</summary>
    public static readonly TimeSpan ThrottleDelay = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private LiveSnapshot _snapshot = default!;
    private IDisposable? _subscription;
    private ITimer? _timer;
    private bool _scheduled;
    private bool _disposed;
    private bool _chinese;
    private int _staleAfterSeconds;
    private CultureInfo _culture = CultureInfo.CurrentCulture;
    private CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    private int? _communityId;

    /// <summary>The signed-in person or device; one scoped to a community sees only that community.</summary>
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    [Inject] private ILiveBoard Board { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<CommandCenterOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (AuthState is not null)
        {
            _communityId = Security.Principals.CommunityId((await AuthState).User);
        }

        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        _chinese = WallFormat.IsChinese(_uiCulture);
        _staleAfterSeconds = Options.Value.StaleAfterSeconds;
        _timer = Time.CreateTimer(static s => ((WallScreen)s!).OnThrottleElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // Subscribe before the first snapshot, so no change can fall between the two.
        _subscription = Board.Subscribe(OnBoardChanged);
        _snapshot = Board.GetSnapshot(_communityId);
    }

    /// <summary>Called on the publisher's thread: only note that a render is due.</summary>
    private void OnBoardChanged(LiveChange change)
    {
        lock (_gate)
        {
            if (_disposed || _scheduled) return;
            _scheduled = true;
            _timer?.Change(ThrottleDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnThrottleElapsed()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _scheduled = false; // changes from now on schedule the next render
        }

        _ = RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                if (_disposed) return;
                // Timer callbacks do not carry the circuit's culture: render with the one captured at start.
                CultureInfo.CurrentCulture = _culture;
                CultureInfo.CurrentUICulture = _uiCulture;
                _snapshot = Board.GetSnapshot(_communityId);
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            _disposed = true;
            timer = _timer;
            _timer = null;
        }

        _subscription?.Dispose();
        timer?.Dispose();
    }
}
