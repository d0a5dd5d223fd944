using CommandCenter.Data.Incidents;
using Quartz;

namespace CommandCenter.Jobs.Incidents;

/// <summary>
/// The deadline job: escalates what is overdue to the next cycle (<see cref="OverdueEscalator"/>), every
/// <c>Jobs:EscalationInterval</c>. Stateless, so a run after downtime catches up; once per breach.
/// </summary>
[DisallowConcurrentExecution]
public sealed class IncidentEscalationJob(OverdueEscalator escalator) : IJob
{
    public static readonly JobKey Key = new("incident-escalation", "loop");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await escalator.RunAsync(cancellationToken).ConfigureAwait(false);
}
