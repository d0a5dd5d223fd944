using System.Data.Common;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Validation;
using Dapper;

namespace CommandCenter.Data.Common;

/// <summary>What every write handler checks inside its transaction, and the one way it builds a Dapper command.</summary>
internal static class WriteSupport
{
    public static CommandDefinition Cmd(string sql, object? args, DbTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    /// <summary>The grid must exist and lie in the actor's community (else it is reported as unknown).</summary>
    public static async Task RequireGridAsync(DbConnection c, DbTransaction tx, int gridId, string field, Actor actor, CancellationToken ct)
    {
        var community = await c.ExecuteScalarAsync<int?>(Cmd(LookupSql.GridCommunity, new { Id = gridId }, tx, ct)).ConfigureAwait(false);
        if (community is null || !actor.Sees(community.Value))
        {
            throw InputValidationException.For(field, $"{gridId} is not a known grid.");
        }
    }

    /// <summary>
    /// The staff member must exist, be active and, for an actor scoped to a community, be assigned to a grid of that
    /// community (else it is reported as unknown, whether it exists elsewhere or not).
    /// </summary>
    public static async Task RequireStaffAsync(DbConnection c, DbTransaction tx, int staffId, Actor actor, CancellationToken ct)
    {
        var sql = actor.CommunityId is null ? LookupSql.StaffExists : LookupSql.StaffInCommunity;
        if (await c.ExecuteScalarAsync<long>(Cmd(sql, new { Id = staffId, actor.CommunityId }, tx, ct)).ConfigureAwait(false) == 0)
        {
            throw InputValidationException.For("staffId", $"{staffId} is not a known staff member.");
        }
    }

    /// <summary>Longest <see cref="CallerOf"/>: the width of the Caller columns.</summary>
    public const int MaxCallerLength = 100;

    /// <summary>
    /// Who sent a write, as stored beside its <c>externalId</c>: idempotency keys are per caller ("ApiKey:12", "User:3",
    /// "System:simulator"), so one caller's ids never answer for, nor collide with, another's.
    /// </summary>
    public static string CallerOf(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var caller = actor.Kind + ":" + actor.Id;
        return caller.Length <= MaxCallerLength ? caller : caller[..MaxCallerLength];
    }
}

public static class LookupSql
{
    public const string GridCommunity = "SELECT CommunityId FROM Grid WHERE Id = @Id";

    public const string StaffExists = "SELECT COUNT(*) FROM Staff WHERE Id = @Id AND Active = 1";

    public const string StaffInCommunity =
        "SELECT COUNT(*) FROM Staff s WHERE s.Id = @Id AND s.Active = 1 AND EXISTS " +
        "(SELECT 1 FROM StaffAssignment a JOIN Grid g ON g.Id = a.GridId WHERE a.StaffId = s.Id AND g.CommunityId = @CommunityId)";
}
