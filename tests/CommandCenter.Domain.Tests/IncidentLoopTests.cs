using CommandCenter.Domain.Incidents;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using FsCheck.Xunit;

namespace CommandCenter.Domain.Tests;

public sealed class IncidentLoopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
    private static readonly LoopSettings Settings = new(DeadlineTable.Default, TimeSpan.FromDays(7), CenterDepartmentId: 1);
    private static readonly LoopCaller Op = new(LoopRole.Operator);

    private static IncidentLoopState New(string category = "sanitation") =>
        IncidentLoopState.Reported(10, category, gridId: 5, communityId: 2, T0, DeadlineTable.Default.DueAt(category, IncidentCycle.Micro, T0));

    private static IncidentLoopState Do(IncidentLoopState s, LoopCommand c, LoopCaller? caller = null, DateTimeOffset? at = null) =>
        IncidentLoop.Apply(s, c, caller ?? Op, s.Version, at ?? T0.AddMinutes(1), Settings).After;

    [Fact]
    public void HappyPath_WalksAllSixSteps_AndClosesOnTime()
    {
        var s = New();
        s = Do(s, new VerifyCommand(IncidentStep.Reported));
        Assert.Equal(IncidentStep.Verified, s.Step);
        s = Do(s, new DispatchCommand(IncidentStep.Verified));
        Assert.Equal((IncidentStep.Dispatched, HoldingUnit.Grid(5)), (s.Step, s.Holder));
        Assert.Equal(T0.AddMinutes(1).AddHours(24), s.DueAt);
        s = Do(s, new AcceptCommand(IncidentStep.Dispatched), new LoopCaller(LoopRole.Field, Units: [HoldingUnit.Grid(5)]));
        Assert.Equal(IncidentStep.Processed, s.Step);
        s = Do(s, new FeedbackCommand(IncidentStep.Processed, "cleaned", ["https://x.test/a.jpg"]), new LoopCaller(LoopRole.Field, Units: [HoldingUnit.Grid(5)]));
        Assert.Equal(IncidentStep.FeedbackGiven, s.Step);
        s = Do(s, new CheckCommand(IncidentStep.FeedbackGiven, Pass: true, Satisfaction: 5));
        Assert.Equal((IncidentStep.Closed, IncidentResolution.Resolved, 5, true), (s.Step, s.Resolution, s.Satisfaction, s.ClosedOnTime));
        Assert.Equal(6, s.Version);
    }

    [Fact]
    public void Check_Rework_SendsBackToTheUnit()
    {
        var s = Walk(New(), IncidentStep.FeedbackGiven);
        s = Do(s, new CheckCommand(IncidentStep.FeedbackGiven, Pass: false));
        Assert.Equal(IncidentStep.Processed, s.Step);
        Assert.Equal(IncidentResolution.None, s.Resolution);
    }

    [Fact]
    public void Escalate_GoesMicroSmallLarge_AndThenNoFurther()
    {
        var s = Walk(New(), IncidentStep.Dispatched);
        s = Do(s, new EscalateCommand(IncidentStep.Dispatched, "too big for the grid"));
        Assert.Equal((IncidentCycle.Small, HoldingUnit.Community(2), IncidentStep.Verified), (s.Cycle, s.Holder, s.Step));
        s = Do(s, new EscalateCommand(IncidentStep.Verified, "needs the street"));
        Assert.Equal((IncidentCycle.Large, HoldingUnit.Department(1)), (s.Cycle, s.Holder));
        Assert.DoesNotContain(LoopAction.Escalate, IncidentLoop.AllowedActions(s, Op, T0, Settings));
        var ex = Assert.Throws<ConflictException>(() => Do(s, new EscalateCommand(IncidentStep.Verified, "again")));
        Assert.Equal(409, ex.Status);
    }

    [Fact]
    public void Escalate_ToLarge_NamesADepartment()
    {
        var s = Do(New(), new EscalateCommand(IncidentStep.Reported, "x"));
        Assert.Equal(IncidentStep.Reported, s.Step); // the community verifies what the grid had not
        s = Do(s, new EscalateCommand(IncidentStep.Reported, "y", Department: 7));
        Assert.Equal(HoldingUnit.Department(7), s.Holder);
        Assert.Throws<InputValidationException>(() => Do(New(), new EscalateCommand(IncidentStep.Reported, "z", Department: 7)));
    }

    [Fact]
    public void NotAllowed_Is409_ListingTheAllowedActions()
    {
        var s = New();
        var ex = Assert.Throws<ConflictException>(() => Do(s, new AcceptCommand(IncidentStep.Reported)));
        Assert.Equal(409, ex.Status);
        Assert.Equal("action", ex.Field);
        Assert.Equal(new[] { "verify", "reject", "escalate" }, (IReadOnlyList<string>)ex.Extensions["allowedActions"]!);
    }

    [Fact]
    public void StaleFromStep_Is409_AndNeverActsOnTheNewerStep()
    {
        // The second operator's screen still shows Verified; the incident was dispatched meanwhile.
        var s = Walk(New(), IncidentStep.Dispatched);
        var ex = Assert.Throws<ConflictException>(() => Do(s, new DispatchCommand(IncidentStep.Verified)));
        Assert.Equal(("fromStep", 409), (ex.Field, ex.Status));
        var current = (IDictionary<string, object?>)ex.Extensions["current"]!;
        Assert.Equal("Dispatched", current["step"]);
        // Even an action the current step allows is refused when it names another step.
        Assert.Throws<ConflictException>(() => Do(s, new AcceptCommand(IncidentStep.Verified)));
    }

    [Fact]
    public void StaleVersion_Is412()
    {
        var s = Walk(New(), IncidentStep.Verified);
        var ex = Assert.Throws<ConflictException>(() => IncidentLoop.Apply(s, new DispatchCommand(IncidentStep.Verified), Op, s.Version - 1, T0, Settings));
        Assert.Equal(("version", 412), (ex.Field, ex.Status));
    }

    [Fact]
    public void Closed_AcceptsOnlyReopen_WithinTheWindow()
    {
        var closed = Walk(New(), IncidentStep.Closed);
        Assert.Equal([LoopAction.Reopen], IncidentLoop.AllowedActions(closed, Op, closed.ClosedAt!.Value.AddDays(7), Settings));
        Assert.Empty(IncidentLoop.AllowedActions(closed, Op, closed.ClosedAt!.Value.AddDays(7).AddTicks(1), Settings));
        var reopened = Do(closed, new ReopenCommand(IncidentStep.Closed, "resident called again"), at: closed.ClosedAt!.Value.AddDays(1));
        Assert.Equal((IncidentStep.Verified, 1, IncidentResolution.None, (DateTimeOffset?)null), (reopened.Step, reopened.ReopenedCount, reopened.Resolution, reopened.ClosedAt));
        var late = Assert.Throws<ConflictException>(() => Do(closed, new ReopenCommand(IncidentStep.Closed, "x"), at: closed.ClosedAt!.Value.AddDays(8)));
        Assert.Contains("window", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reject_Duplicate_LinksAndReopensToReported()
    {
        var s = Do(New(), new RejectCommand(IncidentStep.Reported, RejectReason.Duplicate, 3));
        Assert.Equal((IncidentStep.Closed, IncidentResolution.Rejected, 3L, (bool?)null), (s.Step, s.Resolution, s.DuplicateOfId, s.ClosedOnTime));
        Assert.Equal(IncidentStep.Reported, Do(s, new ReopenCommand(IncidentStep.Closed, "not a duplicate")).Step);
        Assert.Throws<InputValidationException>(() => Do(New(), new RejectCommand(IncidentStep.Reported, RejectReason.Duplicate, 10)));
    }

    [Fact]
    public void Roles_ReadOnlyNothing_FieldOnlyTheirUnit_ScopedOperatorNotLargeCycle()
    {
        var dispatched = Walk(New(), IncidentStep.Dispatched);
        Assert.Empty(IncidentLoop.AllowedActions(dispatched, LoopCaller.ReadOnly, T0, Settings));
        Assert.Equal([LoopAction.Accept], IncidentLoop.AllowedActions(dispatched, new LoopCaller(LoopRole.Field, Units: [HoldingUnit.Grid(5)]), T0, Settings));
        Assert.Empty(IncidentLoop.AllowedActions(dispatched, new LoopCaller(LoopRole.Field, Units: [HoldingUnit.Grid(6)]), T0, Settings));
        Assert.NotEmpty(IncidentLoop.AllowedActions(dispatched, new LoopCaller(LoopRole.Operator, CommunityId: 2), T0, Settings));
        Assert.Empty(IncidentLoop.AllowedActions(dispatched, new LoopCaller(LoopRole.Operator, CommunityId: 3), T0, Settings));
        var large = Do(Do(dispatched, new EscalateCommand(IncidentStep.Dispatched, "a")), new EscalateCommand(IncidentStep.Verified, "b"));
        Assert.Empty(IncidentLoop.AllowedActions(large, new LoopCaller(LoopRole.Operator, CommunityId: 2), T0, Settings));
        Assert.NotEmpty(IncidentLoop.AllowedActions(large, Op, T0, Settings));
    }

    [Fact]
    public void Dispatch_UnitMustMatchTheCycle()
    {
        var s = Walk(New(), IncidentStep.Verified);
        var ex = Assert.Throws<InputValidationException>(() => Do(s, new DispatchCommand(IncidentStep.Verified, HoldingUnit.Department(1))));
        Assert.Contains("unitKind", ex.Errors.Keys);
        Assert.Throws<InputValidationException>(() => Do(s, new DispatchCommand(IncidentStep.Verified, HoldingUnit.Grid(6))));
        Assert.Throws<InputValidationException>(() => Do(s, new DispatchCommand(IncidentStep.Verified, DueAt: T0)));
        Assert.Equal(T0.AddHours(3), Do(s, new DispatchCommand(IncidentStep.Verified, DueAt: T0.AddHours(3))).DueAt);
    }

    [Fact]
    public void DueForEscalation_OncePerBreach()
    {
        var s = Walk(New("fire"), IncidentStep.Dispatched);
        var late = s.DueAt.AddMinutes(1);
        Assert.False(IncidentLoop.DueForEscalation(s, s.DueAt.AddTicks(-1)));
        Assert.True(IncidentLoop.DueForEscalation(s, late));
        var after = Do(s, new EscalateCommand(IncidentStep.Dispatched, "overdue", ByDeadline: true), LoopCaller.System, late);
        Assert.Equal(s.DueAt, after.EscalatedForDueAt);
        Assert.False(IncidentLoop.DueForEscalation(after, late));
        Assert.Equal(late.AddHours(4), after.DueAt);
    }

    [Fact]
    public void Bodies_NameTheWrongFields()
    {
        var ex = Assert.Throws<InputValidationException>(() => new RejectBody { FromStep = "nope", Reason = "duplicate" }.Validate());
        Assert.Equal(new[] { "duplicateOfId", "fromStep" }, ex.Errors.Keys.Order(StringComparer.Ordinal));
        ex = Assert.Throws<InputValidationException>(() => new CheckBody { FromStep = "5", Result = "rework", Satisfaction = 3 }.Validate());
        Assert.Equal(["satisfaction"], ex.Errors.Keys);
        ex = Assert.Throws<InputValidationException>(() => new FeedbackBody { FromStep = "Processed", PhotoLinks = ["javascript:alert(1)"] }.Validate());
        Assert.Equal(new[] { "note", "photoLinks[0]" }, ex.Errors.Keys.Order(StringComparer.Ordinal));
        ex = Assert.Throws<InputValidationException>(() => new DispatchBody { FromStep = "Verified", UnitKind = "grid" }.Validate());
        Assert.Equal(["unitId"], ex.Errors.Keys);
        ex = Assert.Throws<InputValidationException>(() => new EscalateBody { FromStep = "Verified" }.Validate());
        Assert.Equal(["reason"], ex.Errors.Keys);
        Assert.Equal(IncidentStep.FeedbackGiven, new CheckBody { FromStep = "feedbackgiven", Result = "PASS", Satisfaction = 4 }.Validate().FromStep);
        Assert.Equal(new HoldingUnit(UnitKind.Department, 3), new DispatchBody { FromStep = "3", UnitKind = "department", UnitId = 3 }.Validate().Unit);
    }

    [Fact]
    public void Defaults_CoverEveryCategoryAndCycle()
    {
        Assert.Equal(IncidentCategories.All.Count * 3, DeadlineTable.Defaults().Count());
        Assert.Equal(4, DeadlineTable.Default.Hours("fire", IncidentCycle.Micro));
        Assert.Equal(8, DeadlineTable.Default.Hours("fire", IncidentCycle.Large));
        Assert.Equal(10, new DeadlineTable([("fire", IncidentCycle.Micro, 10)]).Hours("fire", IncidentCycle.Micro));
    }

    /// <summary>
    /// Random action sequences by random callers at random times, with stale steps and versions among them: whatever
    /// happens, the invariants hold, a refused action changes nothing, and an allowed action always applies.
    /// </summary>
    [Property(MaxTest = 500)]
    public void NoActionSequenceBreaksTheInvariants(int[] ops)
    {
        var s = New();
        var now = T0;
        foreach (var op in ops ?? [])
        {
            // FsCheck's ints are small: spread each over independent choices.
            var u = Mix((uint)op);
            now = now.AddMinutes(u % 997 * 7); // up to ~5 days per action: deadlines and the reopen window pass
            var caller = (Mix(u) % 6) switch
            {
                0 => LoopCaller.ReadOnly,
                1 => new LoopCaller(LoopRole.Field, Units: [s.Holder]),
                2 => new LoopCaller(LoopRole.Operator, CommunityId: 2),
                3 => new LoopCaller(LoopRole.Operator, CommunityId: 3),
                4 => LoopCaller.System,
                _ => Op,
            };
            var staleStep = Mix(u + 1) % 7 == 0;
            var staleVersion = Mix(u + 2) % 11 == 0;
            var action = (LoopAction)(Mix(u + 3) % 8 + 1);
            var from = staleStep ? (IncidentStep)((int)s.Step % 6 + 1) : s.Step;
            var command = Command(action, from, u);
            var allowed = IncidentLoop.AllowedActions(s, caller, now, Settings);
            LoopTransition? t = null;
            try
            {
                t = IncidentLoop.Apply(s, command, caller, staleVersion ? s.Version + 1 : s.Version, now, Settings);
            }
            catch (ConflictException c)
            {
                Assert.True(staleStep || staleVersion || !allowed.Contains(action), $"{action} was allowed but refused: {c.Message}");
                Assert.Equal(IncidentLoop.Names(allowed), (IReadOnlyList<string>)c.Extensions["allowedActions"]!);
            }
            catch (InputValidationException)
            {
                Assert.True(action is LoopAction.Reject or LoopAction.Dispatch or LoopAction.Escalate, $"{action} refused a valid body");
            }

            if (t is null)
            {
                continue;
            }

            Assert.False(staleStep || staleVersion, "acted on a stale step or version");
            Assert.Contains(action, allowed);
            var (before, after) = (t.Before, t.After);
            CheckInvariants(after);
            Assert.Equal(before.Version + 1, after.Version);
            Assert.True(after.Cycle >= before.Cycle, "the cycle fell");
            if (before.Step == IncidentStep.Closed)
            {
                Assert.Equal(LoopAction.Reopen, action);
                Assert.True(now - before.ClosedAt!.Value <= Settings.ReopenWindow);
            }

            Assert.Equal(before.ReopenedCount + (action == LoopAction.Reopen ? 1 : 0), after.ReopenedCount);
            Assert.Equal((before.Step, after.Step, before.Cycle, after.Cycle, before.Holder, after.Holder),
                (t.Entry.FromStep, t.Entry.ToStep, t.Entry.FromCycle, t.Entry.ToCycle, t.Entry.FromUnit, t.Entry.ToUnit));
            s = after;
            Applied[(int)action]++;
        }

        CheckInvariants(s);
    }

    private static readonly int[] Applied = new int[9];

    [Fact]
    public void RandomSequences_ReachEveryAction()
    {
        var rng = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            NoActionSequenceBreaksTheInvariants(Enumerable.Range(0, 40).Select(_ => rng.Next(-1000, 1000)).ToArray());
        }

        Assert.All(Enum.GetValues<LoopAction>(), a => Assert.True(Applied[(int)a] > 0, $"{a} never applied"));
    }

    private static uint Mix(uint x)
    {
        unchecked
        {
            x ^= x >> 16;
            x *= 0x7feb352d;
            x ^= x >> 15;
            x *= 0x846ca68b;
            x ^= x >> 16;
            return x;
        }
    }

    private static void CheckInvariants(IncidentLoopState s)
    {
        Assert.InRange((int)s.Step, 1, 6);
        Assert.True(Enum.IsDefined(s.Cycle));
        Assert.Equal(HoldingUnit.KindFor(s.Cycle), s.Holder.Kind);
        if (s.Cycle == IncidentCycle.Micro) Assert.Equal(s.GridId, s.Holder.Id);
        if (s.Cycle == IncidentCycle.Small) Assert.Equal(s.CommunityId, s.Holder.Id);
        var closed = s.Step == IncidentStep.Closed;
        Assert.Equal(closed, s.Resolution != IncidentResolution.None);
        Assert.Equal(closed, s.ClosedAt is not null);
        Assert.True(s.Satisfaction is null || (s.Resolution == IncidentResolution.Resolved && s.Satisfaction is >= 1 and <= 5));
        Assert.Equal(s.Resolution == IncidentResolution.Resolved, s.ClosedOnTime is not null);
        Assert.Equal(s.Resolution == IncidentResolution.Rejected, s.RejectReason is not null);
        Assert.True(s.DuplicateOfId is null || s.RejectReason == RejectReason.Duplicate);
    }

    private static LoopCommand Command(LoopAction action, IncidentStep from, uint u) => action switch
    {
        LoopAction.Verify => new VerifyCommand(from),
        LoopAction.Reject => u % 2 == 0 ? new RejectCommand(from, RejectReason.Invalid) : new RejectCommand(from, RejectReason.Duplicate, u % 3 == 0 ? 10 : 3),
        LoopAction.Dispatch => new DispatchCommand(from, u % 5 == 0 ? HoldingUnit.Department(4) : null),
        LoopAction.Accept => new AcceptCommand(from),
        LoopAction.Feedback => new FeedbackCommand(from, "done", []),
        LoopAction.Check => new CheckCommand(from, u % 3 != 0, u % 2 == 0 ? (int)(u % 5 + 1) : null),
        LoopAction.Escalate => new EscalateCommand(from, "r", u % 4 == 0 ? 9 : null),
        _ => new ReopenCommand(from, "again"),
    };

    /// <summary>Takes a new incident along the happy path up to <paramref name="target"/>.</summary>
    private static IncidentLoopState Walk(IncidentLoopState s, IncidentStep target)
    {
        while (s.Step != target)
        {
            s = Do(s, s.Step switch
            {
                IncidentStep.Reported => new VerifyCommand(s.Step),
                IncidentStep.Verified => new DispatchCommand(s.Step),
                IncidentStep.Dispatched => new AcceptCommand(s.Step),
                IncidentStep.Processed => new FeedbackCommand(s.Step, "done", []),
                _ => new CheckCommand(s.Step, true),
            });
        }

        return s;
    }
}
