using System.Globalization;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Alarms;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Validation;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Demo.Simulation;

/// <summary>
/// The demo street's duty operator: sees the camera alerts that are New and the waterlogging alarms not yet acknowledged
/// (whoever raised them: the simulator, an integration, a person), plans for each what to do and when
/// (<see cref="DutyDeskPolicy"/>, in simulated time, divided by the speed factor), and when it is due does it through the
/// real handlers — <see cref="CameraAlertActionHandler"/> (acknowledge, dismiss), <see cref="ConvertToIncidentHandler"/>,
/// <see cref="AcknowledgeWaterAlarmHandler"/> — as the demo duty operator's account (<see cref="SimulatorOptions.OperatorUserName"/>)
/// or, without one, as the system under a duty operator's name. Something handled meanwhile by someone else is left alone.
/// A plan is acted on in a later pass than the one that made it. Not thread-safe: the simulator calls it under its gate.
/// </summary>
internal sealed class DemoDutyDesk(
    CameraAlertActionHandler alertActions, AcknowledgeWaterAlarmHandler waterAck, ConvertToIncidentHandler convert,
    DbConnectionFactory db, BoardClock clock, SimulatorOptions options, Random rnd, ILogger logger)
{
    /// <summary>Only what was raised this recently (simulated; at least 2 real hours) is the desk's; older is someone else's backlog.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromHours(2);

    private static readonly TimeSpan OperatorRefresh = TimeSpan.FromMinutes(10);

    private readonly double _speed = options.EffectiveSpeed;
    private readonly Dictionary<(AlarmSource Source, long Id), Plan> _plans = [];
    private Actor? _operator;
    private DateTimeOffset _operatorLoadedAt;

    /// <summary>Items planned and not yet done (for tests and diagnostics).</summary>
    public int Pending => _plans.Count;

    public async Task PassAsync(CancellationToken ct)
    {
        var now = clock.Now;
        var horizon = TimeSpan.FromTicks(Math.Max(Horizon.Ticks, (long)(Horizon.Ticks / _speed)));
        List<AlertRow> alerts;
        List<AlarmRow> alarms;
        await using (var c = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            var args = new { Since = now - horizon, New = (int)AlertStatus.New, Top = SimulatorSql.DeskRowsMax };
            alerts = [.. await c.QueryAsync<AlertRow>(new CommandDefinition(db.Pick(SimulatorSql.NewAlerts_Sqlite, SimulatorSql.NewAlerts_SqlServer), args, cancellationToken: ct)).ConfigureAwait(false)];
            alarms = [.. await c.QueryAsync<AlarmRow>(new CommandDefinition(db.Pick(SimulatorSql.OpenWaterAlarms_Sqlite, SimulatorSql.OpenWaterAlarms_SqlServer), args, cancellationToken: ct)).ConfigureAwait(false)];
        }

        var open = new HashSet<(AlarmSource, long)>(alerts.Select(a => (AlarmSource.CameraAlert, a.Id)).Concat(alarms.Select(a => (AlarmSource.WaterAlarm, a.Id))));

        // Plans for what someone else handled meanwhile go; what is due is done, in due order.
        foreach (var key in _plans.Keys.Where(k => !open.Contains(k)).ToList()) _plans.Remove(key);
        var due = _plans.Where(p => p.Value.DueAt <= now).OrderBy(p => p.Value.DueAt).ThenBy(p => p.Key.Id).ToList();
        if (due.Count > 0)
        {
            var who = await OperatorAsync(now, ct).ConfigureAwait(false);
            foreach (var (key, plan) in due)
            {
                _plans.Remove(key);
                await ActAsync(key.Source, key.Id, plan.Action, who, ct).ConfigureAwait(false);
            }
        }

        // What is new gets its plan (acted on from the next pass).
        foreach (var a in alerts)
        {
            if (_plans.ContainsKey((AlarmSource.CameraAlert, a.Id)) || due.Any(d => d.Key == (AlarmSource.CameraAlert, a.Id))) continue;
            var (action, minutes) = DutyDeskPolicy.ForCameraAlert(rnd, a.Kind, a.Confidence);
            _plans[(AlarmSource.CameraAlert, a.Id)] = new Plan(a.OccurredAt + Scaled(minutes), action);
        }

        foreach (var a in alarms)
        {
            if (_plans.ContainsKey((AlarmSource.WaterAlarm, a.Id)) || due.Any(d => d.Key == (AlarmSource.WaterAlarm, a.Id))) continue;
            var kind = Enum.IsDefined((WaterAlarmKind)a.Kind) ? (WaterAlarmKind)a.Kind : WaterAlarmKind.Alarm;
            _plans[(AlarmSource.WaterAlarm, a.Id)] = new Plan(a.RaisedAt + Scaled(DutyDeskPolicy.ForWaterAlarm(rnd, kind)), DeskAction.Acknowledge);
        }
    }

    private async Task ActAsync(AlarmSource source, long id, DeskAction action, Actor who, CancellationToken ct)
    {
        try
        {
            if (source == AlarmSource.WaterAlarm)
            {
                await waterAck.HandleAsync(id, who, ct).ConfigureAwait(false);
                return;
            }

            if (action == DeskAction.Dismiss)
            {
                await alertActions.HandleAsync(id, AlertAction.Dismiss, who, ct).ConfigureAwait(false);
                return;
            }

            // Converting: acknowledged first (the time to acknowledge is recorded), then made an incident.
            var view = await alertActions.HandleAsync(id, AlertAction.Acknowledge, who, ct).ConfigureAwait(false);
            if (action == DeskAction.Convert && view is { Status: nameof(AlertStatus.Acknowledged) })
            {
                var made = await convert.ConvertCameraAlertAsync(id, who, ct).ConfigureAwait(false);
                logger.LogInformation("Demo duty desk: camera alert {Id} became incident {Number}", id, made?.Number);
            }
        }
        catch (ConflictException ex)
        {
            // Handled otherwise meanwhile (dismissed, converted): nothing to do.
            logger.LogDebug(ex, "Demo duty desk: {Source} {Id} was handled meanwhile", source, id);
        }
    }

    /// <summary>The demo duty operator's account, or the system under a duty operator's name when there is none.</summary>
    private async Task<Actor> OperatorAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (_operator is not null && now - _operatorLoadedAt < OperatorRefresh) return _operator;
        Actor? found = null;
        if (!string.IsNullOrWhiteSpace(options.OperatorUserName))
        {
            await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
            var row = await c.QuerySingleOrDefaultAsync<OperatorRow>(new CommandDefinition(SimulatorSql.DutyOperator,
                new { UserName = options.OperatorUserName.Trim() }, cancellationToken: ct)).ConfigureAwait(false);
            if (row is not null) found = new Actor(ActorKind.User, row.Id.ToString(CultureInfo.InvariantCulture), row.DisplayName);
        }

        _operator = found ?? Actor.System(Street.DemoContent.DutyOperators[0]);
        _operatorLoadedAt = now;
        return _operator;
    }

    private TimeSpan Scaled(double minutes) => TimeSpan.FromMinutes(minutes / _speed);

    private sealed record Plan(DateTimeOffset DueAt, DeskAction Action);

    private sealed class AlertRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public double Confidence { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
    }

    private sealed class AlarmRow
    {
        public long Id { get; init; }
        public int Kind { get; init; }
        public DateTimeOffset RaisedAt { get; init; }
    }

    private sealed class OperatorRow
    {
        public long Id { get; init; }
        public string DisplayName { get; init; } = "";
    }
}
