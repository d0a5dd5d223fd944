using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;

namespace CommandCenter.Data.Incidents;

/// <summary>Options of the loop (configuration section <c>CommandCenter:Loop</c>).</summary>
public sealed class IncidentLoopOptions
{
    /// <summary>How long after closing an incident may be reopened (default 7 days).</summary>
    public TimeSpan ReopenWindow { get; set; } = LoopSettings.DefaultReopenWindow;

    /// <summary>How long the deadline settings and the center department are cached (an edit through <see cref="LoopSettingsProvider.Invalidate"/> is seen at once).</summary>
    public TimeSpan SettingsCacheDuration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The loop's settings from the database (deadline hours per category and cycle, the street center's department),
/// cached; whoever edits them calls <see cref="Invalidate"/>.
/// </summary>
public sealed class LoopSettingsProvider(DbConnectionFactory db, IncidentLoopOptions options, BoardClock clock)
{
    private volatile Cached? _cached;

    private sealed record Cached(LoopSettings Settings, DateTimeOffset At);

    public void Invalidate() => _cached = null;

    public async Task<LoopSettings> GetAsync(CancellationToken ct = default)
    {
        var now = clock.Now;
        if (_cached is { } c && now - c.At < options.SettingsCacheDuration)
        {
            return c.Settings;
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Category, int Cycle, int Hours)>(new CommandDefinition(IncidentLoopSql.Deadlines, cancellationToken: ct)).ConfigureAwait(false);
        var center = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(IncidentLoopSql.CenterDepartment, cancellationToken: ct)).ConfigureAwait(false);
        var settings = new LoopSettings(new DeadlineTable(rows.Select(r => (r.Category, (IncidentCycle)r.Cycle, r.Hours))), options.ReopenWindow, center ?? 0);
        _cached = new Cached(settings, now);
        return settings;
    }
}
