namespace CommandCenter.Domain.Points;

/// <summary>
/// What a scoring rule scores: an event the platform records (seeds 000 and 004: information reported, orders executed
/// on time, emergencies handled, households visited, contact households served, volunteer service). The stored values
/// are fixed; the rule's <see cref="ScoringRule.Parameter"/> means what the comment of each kind says.
/// </summary>
public enum ScoredEvent
{
    /// <summary>An incident reported from a grid patrol by a staff member (the reporting account or token belongs to staff).</summary>
    IncidentReported = 1,
    /// <summary>An incident verified (the report was real): scores the reporter, its grid, its community.</summary>
    IncidentVerified = 2,
    /// <summary>An incident checked and closed by its deadline.</summary>
    IncidentClosedOnTime = 3,
    /// <summary>An incident checked and closed after its deadline.</summary>
    IncidentClosedLate = 4,
    /// <summary>An incident escalated by the deadline job (not solved in time at its level).</summary>
    IncidentEscalatedByDeadline = 5,
    /// <summary>An incident rejected as invalid (not as a duplicate): scores the reporter.</summary>
    IncidentRejectedInvalid = 6,
    /// <summary>A camera alert acknowledged within <c>Parameter</c> minutes of its occurrence (no parameter: any time).</summary>
    CameraAlertAcknowledged = 7,
    /// <summary>A waterlogging alarm acknowledged within <c>Parameter</c> minutes of being raised (no parameter: any time).</summary>
    WaterAlarmAcknowledged = 8,
    /// <summary>A patrol check-in.</summary>
    PatrolCheckIn = 9,
    /// <summary>A household visit.</summary>
    HouseholdVisit = 10,
    /// <summary>A key household (empty-nest elderly, severely disabled) visited at least once in the week.</summary>
    KeyHouseholdVisited = 11,
    /// <summary>A key household not visited in a finished week (scored when the week is finalised).</summary>
    KeyHouseholdMissed = 12,
    /// <summary>A party member's visit to a contact household.</summary>
    ContactVisit = 13,
    /// <summary>Volunteer service: the rule's points are per hour, whole points rounded down per record.</summary>
    VolunteerHours = 14,
    /// <summary>
    /// Satisfaction given at the check (1–5): a rule with positive points applies at or above <c>Parameter</c>, one with
    /// negative points at or below it.
    /// </summary>
    Satisfaction = 15,
}

/// <summary>Who earns a rule's points: the staff member behind the event, the event's grid, or the grid's community.</summary>
public enum Earner
{
    Person = 1,
    Grid = 2,
    Community = 3,
}

/// <summary>A ledger row earned by a rule, or spent (积分兑换) by an Admin's redemption.</summary>
public enum LedgerKind
{
    Earned = 1,
    Redeemed = 2,
}

/// <summary>A scoring run's state for a week: provisional while the week runs, final once it is over and scored.</summary>
public enum ScoringRunStatus
{
    Provisional = 1,
    Final = 2,
}
