using CommandCenter.Data.Cameras;
using CommandCenter.Data.Coverage;
using CommandCenter.Data.Incidents;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Cameras;
using CommandCenter.Domain.Coverage;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Readings;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommandCenter.Tests.Shared;

/// <summary>The write handlers over one database and sink, as tests call them (as the system unless an actor is given).</summary>
public sealed class TestHandlers(DbConnectionFactory db, ILiveEventSink sink, BoardClock clock)
{
    public ReportIncidentHandler Report { get; } = new(db, sink, clock, NullLogger<ReportIncidentHandler>.Instance);
    public IncidentActionHandler Actions { get; } = new(db, sink, clock, new LoopSettingsProvider(db, new IncidentLoopOptions(), clock));
    public RecordReadingsHandler Readings { get; } = new(db, sink, clock);
    public RaiseCameraAlertHandler Alerts { get; } = new(db, sink, clock);
    public CheckInPatrolHandler Patrols { get; } = new(db, sink, clock);
    public RecordVisitHandler Visits { get; } = new(db, sink, clock);

    public Task<IncidentAccepted> ReportIncidentAsync(ReportIncident input, Actor? actor = null, CancellationToken ct = default) =>
        Report.HandleAsync(input, actor ?? Actor.SystemActor, ct);

    /// <summary>The next action along the happy path (verify, dispatch, accept, feedback, check pass) by the system; null when closed or unknown.</summary>
    public async Task<IncidentStep?> AdvanceIncidentAsync(long incidentId, string? note = null, Actor? actor = null, CancellationToken ct = default)
    {
        var who = actor is null ? LoopActor.System("system") : new LoopActor(actor, LoopCaller.For(actor, Roles.Operator));
        return (await Actions.ForwardAsync(incidentId, who, note, ct).ConfigureAwait(false))?.Transition.After.Step;
    }

    public Task<ReadingsAccepted> RecordReadingsAsync(RecordReadings input, Actor? actor = null, CancellationToken ct = default) =>
        Readings.HandleAsync(input, actor ?? Actor.SystemActor, ct);

    public Task<AlertAccepted> RaiseCameraAlertAsync(RaiseCameraAlert input, Actor? actor = null, CancellationToken ct = default) =>
        Alerts.HandleAsync(input, actor ?? Actor.SystemActor, ct);

    public Task<RecordStored> CheckInPatrolAsync(CheckInPatrol input, Actor? actor = null, CancellationToken ct = default) =>
        Patrols.HandleAsync(input, actor ?? Actor.SystemActor, ct);

    public Task<RecordStored> RecordVisitAsync(RecordVisit input, Actor? actor = null, CancellationToken ct = default) =>
        Visits.HandleAsync(input, actor ?? Actor.SystemActor, ct);
}
