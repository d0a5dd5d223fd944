using CommandCenter.Domain.Model;

namespace CommandCenter.Data.Common;

/// <summary>
/// Enum values as they are stored, for SQL text: a query says <c>Step &lt;&gt; " + SqlEnums.StepClosed</c>, never a bare
/// <c>6</c>. A test checks each against its enum, so renumbering an enum cannot silently change a query.
/// </summary>
public static class SqlEnums
{
    public const string StepClosed = "6";
    public const string AlertNew = "1";
    public const string RoleGridLeader = "1";
    public const string RoleGridMember = "2";

    /// <summary>Each constant with the enum value it stands for.</summary>
    public static IReadOnlyList<(string Sql, int Value)> All =>
    [
        (StepClosed, (int)IncidentStep.Closed),
        (AlertNew, (int)AlertStatus.New),
        (RoleGridLeader, (int)StaffRole.GridLeader),
        (RoleGridMember, (int)StaffRole.GridMember),
    ];
}
