using System.Data.Common;
using System.Diagnostics;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Points;

/// <summary>What one week's scoring did.</summary>
public sealed record WeekScored(Period Week, int RuleSetVersion, ScoringRunStatus Status, int RowsAdded, bool Skipped, TimeSpan Duration);

/// <summary>
/// Derives ledger rows from what is recorded, one week per transaction: it takes the scorer's lock (SQLite: the write
/// lock; SQL Server: an application lock), reads the week's events and the ledger rows the week has, applies the rules
/// in force for the week (<see cref="PointsCalculator"/>), inserts what is new (each insert guarded by the unique
/// index too) and records the run. A final week is not scored again. Running it twice, or on two nodes at once,
/// adds nothing the second time.
/// </summary>
public sealed class PointsScorer(DbConnectionFactory db, BoardClock clock)
{
    /// <summary>Key households visited every week (DOMAIN.md: empty-nest elderly and severely disabled people).</summary>
    public const KeyHouseholdFlags WeeklyVisited = KeyHouseholdFlags.EmptyNestElderly | KeyHouseholdFlags.SeverelyDisabled;

    public TimeZoneInfo Zone => clock.Zone;

    /// <summary>Scores <paramref name="week"/>; with <paramref name="finalise"/> the week is closed (key households missed are scored).</summary>
    public Task<WeekScored> ScoreWeekAsync(Period week, bool finalise, CancellationToken ct = default)
    {
        if (week.Kind != PeriodKind.Week) throw new ArgumentException("Scoring runs per ISO week.", nameof(week));
        return db.WriteAsync(async (c, tx) =>
        {
            var watch = Stopwatch.StartNew();
            await c.ExecuteAsync(Cmd(db.Pick(PointsSql.Lock_Sqlite, PointsSql.Lock_SqlServer), null, tx, ct)).ConfigureAwait(false);
            var status = await c.ExecuteScalarAsync<int?>(Cmd(PointsSql.RunStatus, new { Week = week.ToString() }, tx, ct)).ConfigureAwait(false);
            var versions = await RuleSetStore.ReadAsync(c, tx, ct).ConfigureAwait(false);
            var rules = RuleSet.InForce(versions.Select(v => v.RuleSet), week) ?? DefaultRules.Version1;
            if (status == (int)ScoringRunStatus.Final)
            {
                return new WeekScored(week, rules.Version, ScoringRunStatus.Final, 0, true, watch.Elapsed);
            }

            var occurrences = await ReadOccurrencesAsync(c, tx, week, finalise, ct).ConfigureAwait(false);
            var existing = (await c.QueryAsync<EarnedRow>(Cmd(PointsSql.EarnedInWeek, new { Week = week.ToString() }, tx, ct)).ConfigureAwait(false))
                .Select(r => (new LedgerKey(r.RuleCode, (ScoredEvent)r.SourceEvent, r.SourceId, (Earner)r.EarnerKind, r.EarnerId), r.Points));
            var entries = PointsCalculator.Score(rules, occurrences, existing);
            var now = clock.Now;
            var weekText = week.ToString();
            var added = 0;
            if (entries.Count > 0)
            {
                added = await c.ExecuteAsync(Cmd(PointsSql.InsertEarned, entries.Select(e => new
                {
                    EarnerKind = (int)e.Key.EarnerKind,
                    e.Key.EarnerId,
                    e.StaffId,
                    e.GridId,
                    e.CommunityId,
                    e.Key.RuleCode,
                    RuleSetVersion = rules.Version,
                    e.Points,
                    SourceEvent = (int)e.Key.Event,
                    e.Key.SourceId,
                    Week = weekText,
                    Month = Period.Of(PeriodKind.Month, e.OccurredAt, clock.Zone).ToString(),
                    e.OccurredAt,
                    CreatedAt = now,
                }), tx, ct)).ConfigureAwait(false);
            }

            var newStatus = finalise ? ScoringRunStatus.Final : ScoringRunStatus.Provisional;
            var run = new
            {
                Week = weekText,
                RuleSetVersion = rules.Version,
                Status = (int)newStatus,
                ComputedAt = now,
                RowsAdded = added,
                DurationMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds),
            };
            if (await c.ExecuteAsync(Cmd(PointsSql.UpdateRun, run, tx, ct)).ConfigureAwait(false) == 0)
            {
                await c.ExecuteAsync(Cmd(PointsSql.InsertRun, run, tx, ct)).ConfigureAwait(false);
            }

            return new WeekScored(week, rules.Version, newStatus, added, false, watch.Elapsed);
        }, ct);
    }

    /// <summary>The first week with anything scorable, or null when nothing is recorded.</summary>
    public async Task<Period?> FirstActivityWeekAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var first = await c.ExecuteScalarAsync<DateTimeOffset?>(Cmd(PointsSql.FirstActivity, null, null, ct)).ConfigureAwait(false);
        return first is { } f ? Period.Of(PeriodKind.Week, f, clock.Zone) : null;
    }

    /// <summary>The latest final week, or null.</summary>
    public async Task<Period?> LastFinalWeekAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var last = await c.ExecuteScalarAsync<string?>(Cmd(PointsSql.LastFinalWeek, null, null, ct)).ConfigureAwait(false);
        return Period.TryParse(last, out var p) ? p : null;
    }

    private async Task<List<ScoredOccurrence>> ReadOccurrencesAsync(DbConnection c, DbTransaction tx, Period week, bool finalise, CancellationToken ct)
    {
        var range = new { From = week.Start(clock.Zone), To = week.End(clock.Zone) };
        var list = new List<ScoredOccurrence>();

        var staffOf = (await c.QueryAsync<CallerStaffRow>(Cmd(PointsSql.StaffOfCallers, null, tx, ct)).ConfigureAwait(false))
            .ToDictionary(r => r.Kind + r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r => r.StaffId, StringComparer.Ordinal);
        int? Reporter(string? caller) => caller is not null && staffOf.TryGetValue(caller, out var s) ? s : null;

        foreach (var r in await c.QueryAsync<ReportRow>(Cmd(PointsSql.Reports, new { range.From, range.To, GridPatrol = (int)IncidentSource.GridPatrol }, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.IncidentReported, r.Id, r.At, Reporter(r.Caller), r.GridId, r.CommunityId));
        }

        var loopArgs = new
        {
            range.From,
            range.To,
            Verify = (int)LoopAction.Verify,
            Reject = (int)LoopAction.Reject,
            Check = (int)LoopAction.Check,
            Escalate = (int)LoopAction.Escalate,
            Feedback = (int)LoopAction.Feedback,
        };
        foreach (var r in await c.QueryAsync<LoopRow>(Cmd(PointsSql.LoopActions, loopArgs, tx, ct)).ConfigureAwait(false))
        {
            switch ((LoopAction)r.LoopAction)
            {
                case LoopAction.Verify:
                    list.Add(new ScoredOccurrence(ScoredEvent.IncidentVerified, r.Id, r.At, Reporter(r.Caller), r.GridId, r.CommunityId));
                    break;
                case LoopAction.Reject when r.RejectReason == 1:
                    list.Add(new ScoredOccurrence(ScoredEvent.IncidentRejectedInvalid, r.Id, r.At, Reporter(r.Caller), r.GridId, r.CommunityId));
                    break;
                case LoopAction.Escalate when string.Equals(r.ActorKind, nameof(ActorKind.System), StringComparison.Ordinal):
                    list.Add(new ScoredOccurrence(ScoredEvent.IncidentEscalatedByDeadline, r.Id, r.At, null, r.GridId, r.CommunityId));
                    break;
                case LoopAction.Check when r.Step == (int)IncidentStep.Closed:
                    if (r.ClosedOnTime is { } onTime)
                    {
                        list.Add(new ScoredOccurrence(onTime ? ScoredEvent.IncidentClosedOnTime : ScoredEvent.IncidentClosedLate, r.Id, r.At, r.FeedbackStaffId, r.GridId, r.CommunityId));
                    }

                    if (r.Satisfaction is { } s)
                    {
                        list.Add(new ScoredOccurrence(ScoredEvent.Satisfaction, r.Id, r.At, r.FeedbackStaffId, r.GridId, r.CommunityId, s));
                    }

                    break;
            }
        }

        foreach (var r in await c.QueryAsync<AckRow>(Cmd(PointsSql.CameraAlerts, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.CameraAlertAcknowledged, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId, (r.AcknowledgedAt - r.At).TotalMinutes));
        }

        foreach (var r in await c.QueryAsync<AckRow>(Cmd(PointsSql.WaterAlarms, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.WaterAlarmAcknowledged, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId, (r.AcknowledgedAt - r.At).TotalMinutes));
        }

        foreach (var r in await c.QueryAsync<StaffRow>(Cmd(PointsSql.CheckIns, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.PatrolCheckIn, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId));
        }

        var firstVisit = new Dictionary<long, StaffRow>();
        foreach (var r in await c.QueryAsync<StaffRow>(Cmd(PointsSql.Visits, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.HouseholdVisit, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId));
            if (!firstVisit.TryGetValue(r.HouseholdId, out var f) || r.At < f.At || (r.At == f.At && r.Id < f.Id)) firstVisit[r.HouseholdId] = r;
        }

        var weekLast = week.End(clock.Zone).AddTicks(-1);
        foreach (var h in await c.QueryAsync<HouseholdRow>(Cmd(PointsSql.WeeklyKeyHouseholds, new { WeeklyFlags = (int)WeeklyVisited }, tx, ct)).ConfigureAwait(false))
        {
            if (firstVisit.TryGetValue(h.Id, out var v))
            {
                list.Add(new ScoredOccurrence(ScoredEvent.KeyHouseholdVisited, h.Id, v.At, v.StaffId, h.GridId, h.CommunityId));
            }
            else if (finalise)
            {
                list.Add(new ScoredOccurrence(ScoredEvent.KeyHouseholdMissed, h.Id, weekLast, null, h.GridId, h.CommunityId));
            }
        }

        foreach (var r in await c.QueryAsync<StaffRow>(Cmd(PointsSql.ContactVisits, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.ContactVisit, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId));
        }

        foreach (var r in await c.QueryAsync<StaffRow>(Cmd(PointsSql.VolunteerHours, range, tx, ct)).ConfigureAwait(false))
        {
            list.Add(new ScoredOccurrence(ScoredEvent.VolunteerHours, r.Id, r.At, r.StaffId, r.GridId, r.CommunityId, r.Hours));
        }

        return list;
    }

    private sealed class EarnedRow
    {
        public string RuleCode { get; init; } = "";
        public int SourceEvent { get; init; }
        public long SourceId { get; init; }
        public int EarnerKind { get; init; }
        public int EarnerId { get; init; }
        public int Points { get; init; }
    }

    private sealed class CallerStaffRow
    {
        public string Kind { get; init; } = "";
        public long Id { get; init; }
        public int StaffId { get; init; }
    }

    private sealed class ReportRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string? Caller { get; init; }
        public int GridId { get; init; }
        public int CommunityId { get; init; }
    }

    private sealed class LoopRow
    {
        public long Id { get; init; }
        public long IncidentId { get; init; }
        public int LoopAction { get; init; }
        public int Step { get; init; }
        public DateTimeOffset At { get; init; }
        public string? ActorKind { get; init; }
        public string? Caller { get; init; }
        public int GridId { get; init; }
        public int CommunityId { get; init; }
        public int? RejectReason { get; init; }
        public bool? ClosedOnTime { get; init; }
        public int? Satisfaction { get; init; }
        public int? FeedbackStaffId { get; init; }
    }

    private sealed class AckRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public DateTimeOffset AcknowledgedAt { get; init; }
        public int? StaffId { get; init; }
        public int GridId { get; init; }
        public int CommunityId { get; init; }
    }

    private sealed class StaffRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public int StaffId { get; init; }
        public long HouseholdId { get; init; }
        public int GridId { get; init; }
        public int CommunityId { get; init; }
        public double Hours { get; init; }
    }

    private sealed class HouseholdRow
    {
        public long Id { get; init; }
        public int GridId { get; init; }
        public int CommunityId { get; init; }
    }
}
