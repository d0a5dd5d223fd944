namespace CommandCenter.Domain.Model;

/// <summary>Basic grids cover residential areas; exclusive grids cover a park, campus or market.</summary>
public enum GridKind
{
    Basic = 1,
    Exclusive = 2,
}

public enum StaffRole
{
    GridLeader = 1,
    GridMember = 2,
    Instructor = 3,
    Volunteer = 4,
}

/// <summary>
/// The six-step closed loop (seed 002). The value names the last step completed:
/// a <see cref="Reported"/> incident waits for verification, a <see cref="Closed"/> one has been checked and assessed.
/// </summary>
public enum IncidentStep
{
    Reported = 1,
    Verified = 2,
    Dispatched = 3,
    Processed = 4,
    FeedbackGiven = 5,
    Closed = 6,
}

/// <summary>Where a problem is solved: in the grid, in the community, or at the street command center.</summary>
public enum IncidentCycle
{
    Micro = 1,
    Small = 2,
    Large = 3,
}

/// <summary>How urgent an incident is (stored 1–3).</summary>
public enum IncidentPriority
{
    Urgent = 1,
    Normal = 2,
    Low = 3,
}

public enum IncidentSource
{
    GridPatrol = 1,
    Resident = 2,
    Hotline = 3,
    Camera = 4,
    Sensor = 5,
}

public enum AlertStatus
{
    New = 1,
    Acknowledged = 2,
    Dismissed = 3,
    Converted = 4,
}

/// <summary>A waterlogging point's level against its warning and alarm depths.</summary>
public enum WaterLevel
{
    Normal = 0,
    Warning = 1,
    Alarm = 2,
    Silent = 3,
}

[Flags]
public enum KeyHouseholdFlags
{
    None = 0,
    EmptyNestElderly = 1,
    SeverelyDisabled = 2,
    LowIncome = 4,
    PovertyMonitoring = 8,
}
