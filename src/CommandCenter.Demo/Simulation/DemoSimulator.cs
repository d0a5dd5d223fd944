using System.Data.Common;
using System.Globalization;
using CommandCenter.Demo.Street;
using CommandCenter.Data.Alarms;
using CommandCenter.Data.Cameras;
using CommandCenter.Data.Coverage;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Validation;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CameraRow = CommandCenter.Data.Cameras.CameraRow;
using WaterPointRow = CommandCenter.Data.Readings.WaterPointRow;

namespace CommandCenter.Demo.Simulation;

/// <summary>
/// Believable live traffic for the demo street, written only through the same write handlers (<c>CommandCenter.Data.*Handler</c>) as any
/// real source: water depths for every point every ~5 s (with an occasional rainstorm that drives some points
/// into warning and alarm), incidents reported every 20–60 s by day and far fewer at night, open incidents moved
/// along the closed loop, camera AI alerts and cameras going offline and back, patrol check-ins and household
/// visits by day, and a duty desk (<see cref="DemoDutyDesk"/>) that acknowledges, dismisses or converts the camera alerts and
/// acknowledges the waterlogging alarms as an operator would. All waiting uses the clock's <see cref="TimeProvider"/>; the time of day is the street's.
/// A failing tick is logged and the next one runs: the simulator never stops the host.
/// </summary>
public sealed class DemoSimulator : BackgroundService
{
    private static readonly TimeSpan StreetPoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReferenceRefresh = TimeSpan.FromHours(1);

    private readonly ReportIncidentHandler _report;
    private readonly IncidentActionHandler _advance;
    private readonly RecordReadingsHandler _readings;
    private readonly RaiseCameraAlertHandler _alerts;
    private readonly CheckInPatrolHandler _patrols;
    private readonly RecordVisitHandler _visits;
    private readonly DbConnectionFactory _db;
    private readonly BoardClock _clock;
    private readonly ILogger<DemoSimulator> _logger;
    private readonly SimulatorOptions _options;
    private readonly double _speed;
    private readonly Random _rnd;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DemoDutyDesk _desk;

    private Reference? _ref;
    private DateTimeOffset _refLoadedAt;
    private readonly Dictionary<string, PointState> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _offlineUntil = new(StringComparer.Ordinal);
    private readonly HashSet<long> _keyVisitedThisWeek = [];
    private DateOnly _visitWeek;
    private DateTimeOffset? _lastReadingsAt;
    private DateTimeOffset _nextIncident, _nextAdvance, _nextAlert, _nextPatrol, _nextVisit;

    // Rainstorm state machine, in simulated time (real time × speed).
    private StormPhase _phase = StormPhase.Dry;
    private TimeSpan _phaseLeft;
    private TimeSpan _phaseLength;
    private double _stormPeak;
    private int _stormNo;

    public DemoSimulator(
        ReportIncidentHandler report, IncidentActionHandler advance, RecordReadingsHandler readings,
        RaiseCameraAlertHandler alerts, CheckInPatrolHandler patrols, RecordVisitHandler visits,
        CameraAlertActionHandler alertActions, AcknowledgeWaterAlarmHandler waterAck, ConvertToIncidentHandler convert,
        DbConnectionFactory db, BoardClock clock, IOptions<SimulatorOptions> options, ILogger<DemoSimulator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _report = report;
        _advance = advance;
        _readings = readings;
        _alerts = alerts;
        _patrols = patrols;
        _visits = visits;
        _db = db;
        _clock = clock;
        _logger = logger;
        _options = options.Value;
        _speed = _options.EffectiveSpeed;
        _rnd = _options.Seed is { } seed ? new Random(seed) : new Random();
        // The desk draws from its own generator, so the rest of the traffic is what it was for a seed.
        var deskRnd = _options.Seed is { } s ? new Random(unchecked((s * 31) + 17)) : new Random();
        _desk = new DemoDutyDesk(alertActions, waterAck, convert, db, clock, _options, deskRnd, logger);
        _phaseLength = _phaseLeft = TimeSpan.FromMinutes(Between(10, 30)); // the first storm comes soon after start
    }

    public enum StormPhase { Dry, Rising, Peak, Receding }

    /// <summary>Alerts and alarms the duty desk has planned to handle and not handled yet: for diagnostics and tests.</summary>
    public int DeskPending => _desk.Pending;

    /// <summary>Where the rainstorm state machine is: for logs, diagnostics and tests.</summary>
    public StormPhase Phase => _phase;

    private TimeProvider Time => _clock.Time;

    private TimeSpan TickInterval => TimeSpan.FromMilliseconds(Math.Max(50, _options.ReadingInterval.TotalMilliseconds / _speed));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            _logger.LogInformation("Demo simulator is disabled (setting '{Section}:Enabled')", SimulatorOptions.SectionName);
            return;
        }

        try
        {
            await WaitForStreetAsync(stoppingToken).ConfigureAwait(false);
            _logger.LogInformation("Demo simulator started (speed x{Speed}, a tick every {Tick} ms)", _speed, (long)TickInterval.TotalMilliseconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await TickSafelyAsync(force: false, stoppingToken).ConfigureAwait(false);
                await Task.Delay(TickInterval, Time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One tick of every generator, due or not: readings, a report, an advance, an alert, a patrol, a visit.</summary>
    public async Task RunOnceAsync(CancellationToken ct = default)
    {
        await TickSafelyAsync(force: true, ct).ConfigureAwait(false);
    }

    private async Task WaitForStreetAsync(CancellationToken ct)
    {
        var logged = false;
        while (true)
        {
            try
            {
                await using var c = await _db.OpenAsync(ct).ConfigureAwait(false);
                if (await c.ExecuteScalarAsync<long>(new CommandDefinition(SimulatorSql.CountStreets, cancellationToken: ct)).ConfigureAwait(false) > 0)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The schema may not exist yet: start-up migrates it.
                _logger.LogDebug(ex, "Demo simulator: database not ready yet");
            }

            if (!logged)
            {
                _logger.LogInformation("Demo simulator is waiting for a street in the database");
                logged = true;
            }

            await Task.Delay(StreetPoll, Time, ct).ConfigureAwait(false);
        }
    }

    private async Task TickSafelyAsync(bool force, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var reference = await ReferenceAsync(ct).ConfigureAwait(false);
            if (reference.Grids.Count == 0)
            {
                return;
            }

            var now = _clock.Now;
            await Guard("readings", () => ReadingsAsync(reference, now, ct), ct).ConfigureAwait(false);
            if (force || now >= _nextIncident)
            {
                await Guard("incident report", () => ReportAsync(reference, ct), ct).ConfigureAwait(false);
                _nextIncident = now + Scaled(Between(20, 60) * NightFactor(now, 20));
            }

            if (force || now >= _nextAdvance)
            {
                await Guard("incident advance", () => AdvanceAsync(reference, ct), ct).ConfigureAwait(false);
                _nextAdvance = now + Scaled(Between(5, 15) * NightFactor(now, 4));
            }

            if (force || now >= _nextAlert)
            {
                await Guard("camera alert", () => AlertAsync(reference, now, ct), ct).ConfigureAwait(false);
                _nextAlert = now + Scaled(Between(30, 90) * Math.Sqrt(NightFactor(now, 9)));
            }

            if (force || now >= _nextPatrol)
            {
                await Guard("patrol", () => PatrolAsync(reference, ct), ct).ConfigureAwait(false);
                _nextPatrol = now + Scaled(Between(20, 60) * (IsDaytime(now, 8, 18) ? 1 : 15));
            }

            if (force || now >= _nextVisit)
            {
                await Guard("visit", () => VisitAsync(reference, now, ct), ct).ConfigureAwait(false);
                _nextVisit = now + Scaled(Between(20, 60) * (IsDaytime(now, 9, 19) ? 1 : 30));
            }

            // Every tick: the duty desk acknowledges, dismisses or converts what is due (planned in an earlier tick).
            await Guard("duty desk", () => _desk.PassAsync(ct), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Demo simulator tick failed; the next tick will retry");
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task Guard(string what, Func<Task> step, CancellationToken ct)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Demo simulator: {What} failed", what);
        }
    }

    // ---------------------------------------------------------------- generators

    private async Task ReadingsAsync(Reference r, DateTimeOffset now, CancellationToken ct)
    {
        var elapsed = _lastReadingsAt is { } last && now > last ? now - last : TimeSpan.Zero;
        _lastReadingsAt = now;
        var dt = elapsed * _speed;
        if (dt > TimeSpan.FromMinutes(10)) dt = TimeSpan.FromMinutes(10);
        var shape = StepStorm(dt);

        var readings = new List<ReadingInput>(r.Points.Count);
        var alarms = new List<WaterPointRow>();
        foreach (var p in r.Points)
        {
            if (!_points.TryGetValue(p.Code, out var s))
            {
                _points[p.Code] = s = new PointState(Between(0.3, 1.8), Between(0.35, 1.3));
            }

            if (s.SilentUntil is { } until && now < until) continue;
            s.SilentUntil = null;
            if (_phase == StormPhase.Dry && _rnd.NextDouble() < dt / TimeSpan.FromHours(8))
            {
                // A sensor falls silent now and then (battery, network): the board shows it after ten minutes.
                s.SilentUntil = now + Scaled(Between(12, 20) * 60);
                continue;
            }

            s.Base = Math.Clamp(s.Base + Between(-0.08, 0.08), 0.2, 2.5);
            var depth = Math.Round(Math.Clamp(s.Base + Between(-0.2, 0.6) + (_stormPeak * s.Sensitivity * shape) + (shape > 0 ? Between(-0.6, 0.6) : 0), 0, 500), 1);
            if (depth >= p.AlarmDepthCm && s.AlarmedInStorm != _stormNo && _phase != StormPhase.Dry)
            {
                s.AlarmedInStorm = _stormNo;
                alarms.Add(p);
            }

            readings.Add(new ReadingInput { SensorId = p.Code, DepthCm = depth, MeasuredAt = now });
        }

        if (readings.Count > 0)
        {
            await _readings.HandleAsync(new RecordReadings { Readings = readings }, Actor.SystemActor, ct).ConfigureAwait(false);
        }

        foreach (var p in alarms)
        {
            var accepted = await _report.HandleAsync(new ReportIncident
            {
                Category = "flooding",
                GridId = p.GridId,
                Source = nameof(IncidentSource.Sensor),
                ReporterName = "积水监测平台",
                Title = $"{p.Code} {p.NameZh}积水超过报警水位",
                Description = string.Create(CultureInfo.InvariantCulture, $"监测水深超过报警水位 {p.AlarmDepthCm:0.#} 厘米，请立即处置并设置警示。"),
                Address = p.NameZh,
                Lon = p.Lon,
                Lat = p.Lat,
            }, Actor.SystemActor, ct).ConfigureAwait(false);
            _logger.LogInformation("Demo simulator: {Point} passed its alarm depth, incident {Number}", p.Code, accepted.Number);
        }
    }

    /// <summary>Moves the rainstorm on by <paramref name="dt"/> of simulated time; returns how full it is (0–1).</summary>
    private double StepStorm(TimeSpan dt)
    {
        _phaseLeft -= dt;
        if (_phaseLeft <= TimeSpan.Zero)
        {
            (_phase, _phaseLength) = _phase switch
            {
                StormPhase.Dry => (StormPhase.Rising, TimeSpan.FromMinutes(Between(8, 15))),
                StormPhase.Rising => (StormPhase.Peak, TimeSpan.FromMinutes(Between(4, 8))),
                StormPhase.Peak => (StormPhase.Receding, TimeSpan.FromMinutes(Between(10, 20))),
                _ => (StormPhase.Dry, TimeSpan.FromMinutes(Between(40, 120))),
            };
            _phaseLeft = _phaseLength;
            if (_phase == StormPhase.Rising)
            {
                _stormNo++;
                _stormPeak = Between(25, 45);
                _logger.LogInformation("Demo simulator: a rainstorm begins (peak factor {Peak:0} cm)", _stormPeak);
            }
        }

        var progress = _phaseLength <= TimeSpan.Zero ? 1 : Math.Clamp(1 - (_phaseLeft / _phaseLength), 0, 1);
        return _phase switch
        {
            StormPhase.Rising => progress,
            StormPhase.Peak => 1,
            StormPhase.Receding => 1 - progress,
            _ => 0,
        };
    }

    private async Task ReportAsync(Reference r, CancellationToken ct)
    {
        var grid = DemoContent.Pick(_rnd, r.Grids);
        var category = DemoContent.PickCategory(_rnd);
        var source = DemoContent.PickSource(_rnd, category);
        if (source == IncidentSource.Sensor) source = IncidentSource.Resident;
        var staff = r.StaffByGrid.TryGetValue(grid.Id, out var s) && s.Count > 0 ? DemoContent.Pick(_rnd, s) : null;
        if (source == IncidentSource.GridPatrol && staff is null) source = IncidentSource.Resident;

        if (source == IncidentSource.Camera)
        {
            var camera = r.Cameras.Where(c => c.GridId == grid.Id && !_offlineUntil.ContainsKey(c.Code)).ToList();
            if (camera.Count == 0)
            {
                source = IncidentSource.Resident;
            }
            else
            {
                await _alerts.HandleAsync(new RaiseCameraAlert
                {
                    CameraId = DemoContent.Pick(_rnd, camera).Code,
                    Kind = category switch { "fire" => "fire_smoke", "sanitation" => "garbage_overflow", "road_occupation" => "road_occupation", _ => "intrusion" },
                    Confidence = Math.Round(Between(0.8, 0.98), 2),
                }, Actor.SystemActor, ct).ConfigureAwait(false);
            }
        }

        var (reporter, phone) = source switch
        {
            IncidentSource.GridPatrol => (staff!.Name, DemoContent.MaskedPhone(_rnd)),
            IncidentSource.Camera => ("视频监控平台", (string?)null),
            _ => (DemoContent.PersonName(_rnd), DemoContent.MaskedPhone(_rnd)),
        };
        var (title, description) = DemoContent.IncidentText(_rnd, category, grid.NameZh);
        await _report.HandleAsync(new ReportIncident
        {
            Category = category,
            GridId = grid.Id,
            Source = source.ToString(),
            ReporterName = reporter,
            ReporterPhone = phone,
            Title = title,
            Description = description,
            Address = DemoContent.Address(_rnd),
            Lon = grid.CenterLon is { } lon ? Math.Round(lon + Between(-0.0008, 0.0008), 6) : null,
            Lat = grid.CenterLat is { } lat ? Math.Round(lat + Between(-0.0008, 0.0008), 6) : null,
        }, Actor.SystemActor, ct).ConfigureAwait(false);
    }

    private async Task AdvanceAsync(Reference r, CancellationToken ct)
    {
        List<OpenRow> open;
        await using (var c = await _db.OpenAsync(ct).ConfigureAwait(false))
        {
            open = (await c.QueryAsync<OpenRow>(new CommandDefinition(SimulatorSql.OpenIncidents, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        }

        if (open.Count == 0)
        {
            return;
        }

        // The longest-waiting incidents move first, mostly. Most moves walk the loop forward; some are the loop's
        // other actions, so the demo street shows all of them: a false report rejected, a case escalated to the
        // community or the street center, a feedback sent back for rework, a resident's satisfaction.
        var pick = open[(int)(open.Count * Math.Pow(_rnd.NextDouble(), 2.5))];
        var step = (IncidentStep)pick.Step;
        var name = step is IncidentStep.Dispatched or IncidentStep.Processed
            && r.StaffByGrid.TryGetValue(pick.GridId, out var staff) && staff.Count > 0
            ? DemoContent.Pick(_rnd, staff).Name
            : DemoContent.Pick(_rnd, DemoContent.DutyOperators);
        var who = LoopActor.System(name);
        var draw = _rnd.NextDouble();
        LoopCommand command = step switch
        {
            IncidentStep.Reported when draw < 0.04 => new RejectCommand(step, RejectReason.Invalid, Note: "经核实不属实"),
            IncidentStep.Reported => new VerifyCommand(step, "核实属实，予以立案"),
            IncidentStep.Verified or IncidentStep.Dispatched or IncidentStep.Processed when draw < 0.06 && pick.Cycle < (int)IncidentCycle.Large =>
                new EscalateCommand(step, pick.Cycle == (int)IncidentCycle.Micro ? "网格内难以解决，提交社区" : "社区协调不了，提交街道指挥中心"),
            IncidentStep.Verified => new DispatchCommand(step, Note: "已派遣处置"),
            IncidentStep.Dispatched => new AcceptCommand(step, "已接单，前往现场"),
            IncidentStep.Processed => new FeedbackCommand(step, "处置完毕，已反馈", []),
            IncidentStep.FeedbackGiven when draw < 0.08 => new CheckCommand(step, false, Note: "现场核查未整改到位，退回重办"),
            _ => new CheckCommand(step, true, _rnd.NextDouble() < 0.6 ? _rnd.Next(3, 6) : null, "核查通过，办结"),
        };
        try
        {
            await _advance.HandleAsync(pick.Id, command, who, pick.RowVersion, ct).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            // Moved meanwhile (the deadline job escalated it): the next tick picks again.
        }
    }

    private async Task AlertAsync(Reference r, DateTimeOffset now, CancellationToken ct)
    {
        // Cameras whose outage is over come back first.
        foreach (var code in _offlineUntil.Where(o => o.Value <= now).Select(o => o.Key).ToList())
        {
            _offlineUntil.Remove(code);
            await _alerts.HandleAsync(new RaiseCameraAlert { CameraId = code, Kind = AlertKinds.CameraOnline }, Actor.SystemActor, ct).ConfigureAwait(false);
        }

        var online = r.Cameras.Where(c => !_offlineUntil.ContainsKey(c.Code)).ToList();
        if (online.Count == 0)
        {
            return;
        }

        var camera = DemoContent.Pick(_rnd, online);
        if (_rnd.NextDouble() < 0.04 && _offlineUntil.Count < 12)
        {
            _offlineUntil[camera.Code] = now + Scaled(Between(5, 20) * 60);
            await _alerts.HandleAsync(new RaiseCameraAlert { CameraId = camera.Code, Kind = AlertKinds.CameraOffline }, Actor.SystemActor, ct).ConfigureAwait(false);
            return;
        }

        var kind = AlertKinds.Detections[DemoContent.PickWeighted(_rnd, [6, 12, 20, 20, 30, 12])].Code;
        await _alerts.HandleAsync(new RaiseCameraAlert
        {
            CameraId = camera.Code,
            Kind = kind,
            Confidence = Math.Round(Between(0.55, 0.99), 2),
        }, Actor.SystemActor, ct).ConfigureAwait(false);
    }

    private async Task PatrolAsync(Reference r, CancellationToken ct)
    {
        var grid = DemoContent.Pick(_rnd, r.Grids);
        if (!r.StaffByGrid.TryGetValue(grid.Id, out var staff) || staff.Count == 0)
        {
            return;
        }

        await _patrols.HandleAsync(new CheckInPatrol
        {
            StaffId = DemoContent.Pick(_rnd, staff).StaffId,
            GridId = grid.Id,
            Lon = grid.CenterLon is { } lon ? Math.Round(lon + Between(-0.001, 0.001), 6) : null,
            Lat = grid.CenterLat is { } lat ? Math.Round(lat + Between(-0.001, 0.001), 6) : null,
            Note = _rnd.NextDouble() < 0.4 ? DemoContent.Pick(_rnd, DemoContent.PatrolNotes) : null,
        }, Actor.SystemActor, ct).ConfigureAwait(false);
    }

    private async Task VisitAsync(Reference r, DateTimeOffset now, CancellationToken ct)
    {
        if (r.Households.Count == 0)
        {
            return;
        }

        var week = _clock.WeekStartDate;
        if (week != _visitWeek)
        {
            _visitWeek = week;
            _keyVisitedThisWeek.Clear();
        }

        // Four visits in ten go to key households not yet seen this week, as the weekly rule asks.
        HouseholdRow household;
        var due = r.KeyHouseholds.Where(h => !_keyVisitedThisWeek.Contains(h.Id)).ToList();
        if (due.Count > 0 && _rnd.NextDouble() < 0.4)
        {
            household = DemoContent.Pick(_rnd, due);
            _keyVisitedThisWeek.Add(household.Id);
        }
        else
        {
            household = DemoContent.Pick(_rnd, r.Households);
        }

        if (!r.StaffByGrid.TryGetValue(household.GridId, out var staff) || staff.Count == 0)
        {
            return;
        }

        await _visits.HandleAsync(new RecordVisit
        {
            StaffId = DemoContent.Pick(_rnd, staff).StaffId,
            HouseholdId = household.Id,
            VisitedAt = now,
            Note = _rnd.NextDouble() < 0.6 ? DemoContent.Pick(_rnd, DemoContent.VisitNotes) : null,
        }, Actor.SystemActor, ct).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- reference data

    private async Task<Reference> ReferenceAsync(CancellationToken ct)
    {
        var now = _clock.Now;
        if (_ref is not null && _ref.Grids.Count > 0 && now - _refLoadedAt < ReferenceRefresh)
        {
            return _ref;
        }

        await using var c = await _db.OpenAsync(ct).ConfigureAwait(false);
        async Task<List<T>> Q<T>(DbConnection conn, string sql) =>
            (await conn.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: ct)).ConfigureAwait(false)).ToList();

        var grids = await Q<GridRow>(c, SimulatorSql.Grids).ConfigureAwait(false);
        var staff = await Q<StaffRow>(c, SimulatorSql.FieldStaff).ConfigureAwait(false);
        var households = await Q<HouseholdRow>(c, SimulatorSql.Households).ConfigureAwait(false);
        var cameras = await Q<CameraRow>(c, SimulatorSql.Cameras).ConfigureAwait(false);
        var points = await Q<WaterPointRow>(c, SimulatorSql.WaterPoints).ConfigureAwait(false);
        _ref = new Reference(
            grids,
            staff.GroupBy(s => s.GridId).ToDictionary(g => g.Key, g => g.ToList()),
            households,
            households.Where(h => h.KeyFlags != 0).ToList(),
            cameras,
            points);
        _refLoadedAt = now;

        // Cameras the database has offline are brought back by the simulator after a while, like a repair crew would.
        foreach (var cam in cameras.Where(x => !x.IsOnline && !_offlineUntil.ContainsKey(x.Code)))
        {
            _offlineUntil[cam.Code] = now + Scaled(Between(30, 240) * 60);
        }

        if (grids.Count > 0)
        {
            _logger.LogInformation("Demo simulator loaded {Grids} grids, {Staff} field staff, {Households} households, {Cameras} cameras, {Points} waterlogging points",
                grids.Count, staff.Count, households.Count, cameras.Count, points.Count);
        }

        return _ref;
    }

    // ---------------------------------------------------------------- helpers

    private double Between(double min, double max) => DemoContent.Between(_rnd, min, max);

    /// <summary>Simulated seconds to real time.</summary>
    private TimeSpan Scaled(double seconds) => TimeSpan.FromSeconds(seconds / _speed);

    private bool IsDaytime(DateTimeOffset now, int fromHour, int toHour)
    {
        var hour = _clock.ToLocal(now).Hour;
        return hour >= fromHour && hour < toHour;
    }

    /// <summary>How much slower than at the busiest hour things happen now (1 by day, up to <paramref name="max"/> at night).</summary>
    private double NightFactor(DateTimeOffset now, double max)
    {
        var weight = DemoContent.HourWeights[_clock.ToLocal(now).Hour];
        return Math.Clamp(2.8 / weight, 0.8, max);
    }

    private sealed record Reference(
        List<GridRow> Grids,
        Dictionary<int, List<StaffRow>> StaffByGrid,
        List<HouseholdRow> Households,
        List<HouseholdRow> KeyHouseholds,
        List<CameraRow> Cameras,
        List<WaterPointRow> Points);

    private sealed class PointState(double baseDepth, double sensitivity)
    {
        public double Base { get; set; } = baseDepth;
        public double Sensitivity { get; } = sensitivity;
        public DateTimeOffset? SilentUntil { get; set; }
        public int AlarmedInStorm { get; set; }
    }

    private sealed class GridRow
    {
        public int Id { get; init; }
        public string NameZh { get; init; } = "";
        public double? CenterLon { get; init; }
        public double? CenterLat { get; init; }
    }

    private sealed class StaffRow
    {
        public int StaffId { get; init; }
        public int GridId { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed class HouseholdRow
    {
        public long Id { get; init; }
        public int GridId { get; init; }
        public int KeyFlags { get; init; }
    }

    private sealed class OpenRow
    {
        public long Id { get; init; }
        public int GridId { get; init; }
        public int Step { get; init; }
        public int Cycle { get; init; }
        public long RowVersion { get; init; }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
