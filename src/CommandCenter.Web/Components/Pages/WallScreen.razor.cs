using System.Globalization;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Web.Components.WallScreen;
using CommandCenter.Web.Hosting;
using CommandCenter.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Components.Pages;

/// <summary>
/// The wall screen at <c>/</c>. Paints from <see cref="ILiveBoard.GetSnapshot"/>, then subscribes to the board:
/// a change only schedules a one-shot <see cref="ThrottleDelay"/> timer (from the injected <see cref="TimeProvider"/>);
/// when it fires, the page takes the current snapshot and re-renders once, inside <c>InvokeAsync</c>. So a burst of
/// changes costs at most ~4 renders a second. The second-by-second clock is <see cref="WallClock"/>'s own business.
/// <para>
/// Pages: a screen shows one page or rotates through a playlist, one page per dwell time (a timer from the injected
/// <see cref="TimeProvider"/>). An alarm that needs attention (<see cref="NeedsAttention"/>) interrupts the rotation:
/// the devices page is shown and held, and a banner (<see cref="WallBanner"/>) is up, until an operator acknowledges
/// the notice. A device's settings (<see cref="ScreenSettings"/>: language, community, playlist, dwell, density) are read
/// at start and applied again whenever an Admin changes them (<see cref="DeviceService.SettingsChanged"/>).
/// A person's wall may choose a page and density in the query string (<c>/?page=devices&amp;density=hall</c>).
/// </para>
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
    private int? _deviceId;
    private bool _isDevice;
    private IReadOnlyList<string> _playlist = ["overview"];
    private int _index;
    private bool _holding;
    private TimeSpan _dwell = TimeSpan.FromSeconds(30);
    private string _density = "wall";
    private ITimer? _rotation;
    private bool _sound;
    private DeviceService? _devices;
    private RankingsBoard? _rankingsBoard;
    private WallRankings? _rankings;

    /// <summary>The confidence from which a new fire / smoke alert interrupts the rotation.</summary>
    public const double AlarmConfidence = 0.8;

    /// <summary>A page (overview, incidents, devices, rankings) or a comma-separated playlist, from the query string.</summary>
    [SupplyParameterFromQuery(Name = "page")] public string? QueryPage { get; set; }

    /// <summary>A density (desk, wall, hall), from the query string.</summary>
    [SupplyParameterFromQuery(Name = "density")] public string? QueryDensity { get; set; }

    /// <summary>Seconds per page of a playlist, from the query string.</summary>
    [SupplyParameterFromQuery(Name = "dwell")] public int? QueryDwell { get; set; }

    /// <summary>The page shown now.</summary>
    private string Page => _holding ? "devices" : _playlist[_index % _playlist.Count];

    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>The signed-in person or device; one scoped to a community sees only that community.</summary>
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    [Inject] private ILiveBoard Board { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<CommandCenterOptions> Options { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        ScreenSettings? settings = null;
        if (AuthState is not null)
        {
            var user = (await AuthState).User;
            _communityId = Security.Principals.CommunityId(user);
            if (Security.Principals.Kind(user) == Security.Principals.DeviceKind && Security.Principals.Id(user) is { } id)
            {
                _isDevice = true;
                _deviceId = id;
                _devices = Services.GetService<DeviceService>();
                if (_devices is not null)
                {
                    _devices.SettingsChanged += OnSettingsChanged;
                    settings = await _devices.GetSettingsAsync(id);
                }
            }
        }

        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        _staleAfterSeconds = Options.Value.StaleAfterSeconds;
        _sound = Services.GetService<CommandCenter.Domain.Alarms.AlarmOptions>()?.Sound ?? false;
        _timer = Time.CreateTimer(static s => ((WallScreen)s!).OnThrottleElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _rotation = Time.CreateTimer(static s => ((WallScreen)s!).OnRotate(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_isDevice)
        {
            Apply(settings ?? ScreenSettings.Default);
        }
        else
        {
            _playlist = ScreenSettings.ParsePlaylist(QueryPage);
            _density = QueryDensity is { } d && ScreenSettings.Densities.Contains(d) ? d : "wall";
            _dwell = TimeSpan.FromSeconds(Math.Clamp(QueryDwell ?? 30, ScreenSettings.MinDwellSeconds, ScreenSettings.MaxDwellSeconds));
            _chinese = WallFormat.IsChinese(_uiCulture);
            Restart();
        }

        // Subscribe before the first snapshot, so no change can fall between the two.
        _subscription = Board.Subscribe(OnBoardChanged);
        _rankingsBoard = Services.GetService<RankingsBoard>();
        if (_rankingsBoard is not null) _rankingsBoard.Changed += OnRankingsChanged;
        _snapshot = Board.GetSnapshot(_communityId);
        _rankings = _rankingsBoard?.Current?.For(_communityId);
        _holding = Holds(_snapshot);
    }

    /// <summary>Applies a device's settings (on the circuit's dispatcher).</summary>
    private void Apply(ScreenSettings settings)
    {
        var culture = CultureInfo.GetCultureInfo(settings.Language ?? Options.Value.Culture);
        _culture = culture;
        _uiCulture = culture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        _chinese = WallFormat.IsChinese(culture);
        _communityId = settings.CommunityId;
        // A person's query string may still pick one page of the device's screen (e.g. for a test or a check).
        _playlist = QueryPage is null ? settings.Playlist : ScreenSettings.ParsePlaylist(QueryPage);
        _density = QueryDensity is { } d && ScreenSettings.Densities.Contains(d) ? d : settings.Density;
        _dwell = TimeSpan.FromSeconds(settings.DwellSeconds);
        Restart();
    }

    /// <summary>Starts the playlist from its first page (no timer for a single page).</summary>
    private void Restart()
    {
        _index = 0;
        lock (_gate)
        {
            if (_disposed) return;
            if (_playlist.Count > 1) _rotation?.Change(_dwell, _dwell);
            else _rotation?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Whether the snapshot holds an alarm that needs attention: an open notice (<see cref="LiveSnapshot.Notices"/>: a
    /// waterlogging point that reached its Alarm level, or a fire / smoke alert of high confidence — <c>Alarms:NoticeConfidence</c>,
    /// default <see cref="AlarmConfidence"/>) that no operator has acknowledged yet. The banner shows the same notices.
    /// </summary>
    public static bool NeedsAttention(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Notices.Count > 0;
    }

    /// <summary>Only a rotating screen is interrupted (one showing a single page shows what it was set to).</summary>
    private bool Holds(LiveSnapshot snapshot) => _playlist.Count > 1 && NeedsAttention(snapshot);

    private void OnRotate() => _ = InvokeOnCircuit(() =>
    {
        if (!_holding) _index = (_index + 1) % _playlist.Count;
    });

    private void OnSettingsChanged(int deviceId, ScreenSettings settings)
    {
        if (deviceId != _deviceId) return;
        _ = InvokeOnCircuit(() =>
        {
            Apply(settings);
            _snapshot = Board.GetSnapshot(_communityId);
            _rankings = _rankingsBoard?.Current?.For(_communityId);
        });
    }

    private async Task InvokeOnCircuit(Action action)
    {
        try
        {
            await InvokeAsync(() =>
            {
                if (_disposed) return;
                CultureInfo.CurrentCulture = _culture;
                CultureInfo.CurrentUICulture = _uiCulture;
                action();
                _holding = Holds(_snapshot);
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

    /// <summary>The node's rankings were reloaded (the assessment job stored a new result): a render is due.</summary>
    private void OnRankingsChanged() => ScheduleRender();

    /// <summary>Called on the publisher's thread: only note that a render is due.</summary>
    private void OnBoardChanged(LiveChange change) => ScheduleRender();

    private void ScheduleRender()
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
                _rankings = _rankingsBoard?.Current?.For(_communityId);
                _holding = Holds(_snapshot);
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
        ITimer? timer, rotation;
        lock (_gate)
        {
            _disposed = true;
            timer = _timer;
            _timer = null;
            rotation = _rotation;
            _rotation = null;
        }

        if (_devices is not null) _devices.SettingsChanged -= OnSettingsChanged;
        if (_rankingsBoard is not null) _rankingsBoard.Changed -= OnRankingsChanged;
        _subscription?.Dispose();
        timer?.Dispose();
        rotation?.Dispose();
    }
}
