using System.Globalization;
using CommandCenter.Domain.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Components.WallScreen;

/// <summary>
/// Clock (HH:mm:ss in the street's time zone), localized date with weekday, "updated N s ago", and the
/// stale-data banner. Ticks on its own one-shot timer from the injected <see cref="TimeProvider"/>, re-armed
/// for the next whole second, so only this component re-renders every second.
/// </summary>
public sealed partial class WallClock : ComponentBase, IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;
    private CultureInfo _culture = CultureInfo.CurrentCulture;
    private CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private BoardClock Clock { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    /// <summary>When the live board last changed (<see cref="LiveSnapshot.LastEventAt"/>); null: no change seen yet.</summary>
    [Parameter] public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>Seconds without a change after which the stale banner shows (CommandCenterOptions.StaleAfterSeconds).</summary>
    [Parameter] public int StaleAfterSeconds { get; set; } = 60;

    protected override void OnInitialized()
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        var timer = Time.CreateTimer(static s => ((WallClock)s!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            _timer = timer;
            _timer.Change(UntilNextSecond(), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Freshness text, stale level (0 fresh, 1 amber, 2 red) and the banner text.</summary>
    private (string Fresh, int Level, string Banner) Freshness(DateTimeOffset now)
    {
        if (LastEventAt is not { } last)
        {
            return (L["NoUpdatesYet"], 1, L["StaleNoData"]);
        }

        var age = now - last;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        var staleAfter = TimeSpan.FromSeconds(Math.Max(1, StaleAfterSeconds));
        var level = age > staleAfter * 5 ? 2 : age > staleAfter ? 1 : 0;
        var (ago, duration) = age.TotalSeconds < 120 ? ("UpdatedSecondsAgo", "DurationSeconds")
            : age.TotalMinutes < 120 ? ("UpdatedMinutesAgo", "DurationMinutes")
            : ("UpdatedHoursAgo", "DurationHours");
        var amount = ago switch
        {
            "UpdatedSecondsAgo" => (int)age.TotalSeconds,
            "UpdatedMinutesAgo" => (int)age.TotalMinutes,
            _ => (int)age.TotalHours,
        };
        var n = amount.ToString("N0", CultureInfo.CurrentCulture);
        return (L[ago, n], level, level > 0 ? L["StaleWarning", L[duration, n].Value] : "");
    }

    private TimeSpan UntilNextSecond()
    {
        var ms = Time.GetUtcNow().ToUnixTimeMilliseconds() % 1000;
        return TimeSpan.FromMilliseconds(ms <= 0 ? 1000 : 1000 - ms);
    }

    private void OnTick()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _timer?.Change(UntilNextSecond(), Timeout.InfiniteTimeSpan);
        }

        _ = RenderTickAsync();
    }

    private async Task RenderTickAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                if (_disposed) return;
                // Timer callbacks do not carry the circuit's culture: render with the one captured at start.
                CultureInfo.CurrentCulture = _culture;
                CultureInfo.CurrentUICulture = _uiCulture;
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

        timer?.Dispose();
    }
}
