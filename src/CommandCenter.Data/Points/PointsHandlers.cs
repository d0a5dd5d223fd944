using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Security;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Points;

/// <summary>A volunteer-service record, contact visit or redemption stored under <see cref="Id"/>.</summary>
public sealed record PointsRecordStored(long Id);

/// <summary>Stores volunteer service; audited in the same transaction when a person enters it.</summary>
public sealed class RecordVolunteerServiceHandler(DbConnectionFactory db, BoardClock clock)
{
    public async Task<PointsRecordStored> HandleAsync(RecordVolunteerService input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var gridId = v.Required("gridId", input.GridId);
        var at = v.Instant("servedAt", input.ServedAt, now, Validator.MaxAge);
        if (input.ServedAt is null) v.Add("servedAt", "is required.");
        var hours = PointsCommandRules.Hours(v, "hours", input.Hours);
        var place = v.RequiredText("place", input.Place, 200);
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var id = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, actor, ct).ConfigureAwait(false);
            await RequireGridAsync(c, tx, gridId!.Value, "gridId", actor, ct).ConfigureAwait(false);
            var newId = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(PointsRecordSql.InsertVolunteer_Sqlite, PointsRecordSql.InsertVolunteer_SqlServer), new
            {
                StaffId = staffId, GridId = gridId, ServedAt = at, Hours = hours, Place = place, Note = note, RecordedAt = now, RecordedBy = CallerOf(actor),
            }, tx, ct)).ConfigureAwait(false);
            if (actor.Kind == ActorKind.User)
            {
                await AuditLog.WriteAsync(c, tx, actor, now, "points.volunteer.record", "VolunteerService", newId,
                    new { staffId, gridId, servedAt = at, hours, place }, ct).ConfigureAwait(false);
            }

            return newId;
        }, ct).ConfigureAwait(false);
        return new PointsRecordStored(id);
    }
}

/// <summary>Stores a party member's contact-household visit; the staff member must be a party member.</summary>
public sealed class RecordContactVisitHandler(DbConnectionFactory db, BoardClock clock)
{
    public async Task<PointsRecordStored> HandleAsync(RecordContactVisit input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var householdId = v.Required("householdId", input.HouseholdId);
        var at = v.Instant("visitedAt", input.VisitedAt, now, Validator.MaxAge);
        if (input.VisitedAt is null) v.Add("visitedAt", "is required.");
        var note = v.OptionalText("note", input.Note, 1000);
        v.ThrowIfInvalid();

        var id = await db.WriteAsync(async (c, tx) =>
        {
            await RequireStaffAsync(c, tx, staffId!.Value, actor, ct).ConfigureAwait(false);
            if (!await c.ExecuteScalarAsync<bool>(Cmd(PointsRecordSql.StaffIsPartyMember, new { Id = staffId }, tx, ct)).ConfigureAwait(false))
            {
                throw InputValidationException.For("staffId", $"{staffId} is not a party member.");
            }

            var community = await c.ExecuteScalarAsync<int?>(Cmd(PointsRecordSql.HouseholdCommunity, new { Id = householdId }, tx, ct)).ConfigureAwait(false);
            if (community is null || !actor.Sees(community.Value))
            {
                throw InputValidationException.For("householdId", $"{householdId} is not a known household.");
            }

            var newId = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(PointsRecordSql.InsertContact_Sqlite, PointsRecordSql.InsertContact_SqlServer), new
            {
                StaffId = staffId, HouseholdId = householdId, VisitedAt = at, Note = note, RecordedAt = now, RecordedBy = CallerOf(actor),
            }, tx, ct)).ConfigureAwait(false);
            if (actor.Kind == ActorKind.User)
            {
                await AuditLog.WriteAsync(c, tx, actor, now, "points.contact.record", "ContactVisit", newId,
                    new { staffId, householdId, visitedAt = at }, ct).ConfigureAwait(false);
            }

            return newId;
        }, ct).ConfigureAwait(false);
        return new PointsRecordStored(id);
    }
}

/// <summary>The points a redemption left.</summary>
public sealed record PointsRedeemed(long Id, int StaffId, int Points, int BalanceAfter);

/// <summary>
/// An Admin spends a person's points (积分兑换): a negative ledger row with a reason, audited, in one transaction that
/// reads the balance under a lock (SQLite: the single writer; SQL Server: UPDLOCK, HOLDLOCK on the person's rows), so
/// two redemptions at once can never take the balance below zero. Too few points → 409 naming <c>points</c>.
/// </summary>
public sealed class RedeemPointsHandler(DbConnectionFactory db, BoardClock clock)
{
    public async Task<PointsRedeemed> HandleAsync(RedeemPoints input, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.Now;
        var v = new Validator();
        var staffId = v.Required("staffId", input.StaffId);
        var points = PointsCommandRules.RedemptionPoints(v, input.Points);
        var reason = v.RequiredText("reason", input.Reason, 500);
        v.ThrowIfInvalid();

        return await db.WriteAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<string?>(Cmd(PointsRecordSql.StaffName, new { Id = staffId }, tx, ct)).ConfigureAwait(false) is null)
            {
                throw InputValidationException.For("staffId", $"{staffId} is not a known staff member.");
            }

            var balance = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(PointsRecordSql.Balance_Sqlite, PointsRecordSql.Balance_SqlServer), new { StaffId = staffId }, tx, ct)).ConfigureAwait(false);
            if (balance < points!.Value)
            {
                throw new ConflictException("points", $"{staffId} has {balance} points; {points} cannot be spent (a balance never goes below zero).")
                {
                    Extensions = new Dictionary<string, object?> { ["balance"] = balance },
                };
            }

            var id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(PointsRecordSql.InsertRedemption_Sqlite, PointsRecordSql.InsertRedemption_SqlServer), new
            {
                StaffId = staffId,
                Points = -points.Value,
                Week = Period.Of(PeriodKind.Week, now, clock.Zone).ToString(),
                Month = Period.Of(PeriodKind.Month, now, clock.Zone).ToString(),
                At = now,
                Reason = reason,
                EnteredBy = actor.Name,
            }, tx, ct)).ConfigureAwait(false);
            await AuditLog.WriteAsync(c, tx, actor, now, "points.redeem", "PointsLedger", id, new { staffId, points, reason, balanceBefore = balance }, ct).ConfigureAwait(false);
            return new PointsRedeemed(id, staffId!.Value, points.Value, (int)(balance - points.Value));
        }, ct).ConfigureAwait(false);
    }
}
