using CommandCenter.Domain.Model;

namespace CommandCenter.Data.Common;

/// <summary>
/// Enum values as they are stored, for SQL text: a query says <c>Step &lt;&gt; " + SqlEnums.StepClosed</c>, never a bare
/// <c>6</c>. A test checks each against its enum, so renumbering an enum cannot silently change a query.
/// </summary>
public static class SqlEnums
{
    public const string StepClosed = "6";
    public const string StepFeedbackGiven = "5";
    public const string CycleLarge = "3";
    public const string ResolutionResolved = "1";
    public const string ActionEscalate = "7";
    public const string AlertNew = "1";
    public const string RoleGridLeader = "1";
    public const string RoleGridMember = "2";

    /// <summary>Each constant with the enum value it stands for.</summary>
    public static IReadOnlyList<(string Sql, int Value)> All =>
    [
        (StepClosed, (int)IncidentStep.Closed),
        (StepFeedbackGiven, (int)IncidentStep.FeedbackGiven),
        (CycleLarge, (int)IncidentCycle.Large),
        (ResolutionResolved, (int)CommandCenter.Domain.Incidents.IncidentResolution.Resolved),
        (ActionEscalate, (int)CommandCenter.Domain.Incidents.LoopAction.Escalate),
        (AlertNew, (int)AlertStatus.New),
        (RoleGridLeader, (int)StaffRole.GridLeader),
        (RoleGridMember, (int)StaffRole.GridMember),
    ];
}
