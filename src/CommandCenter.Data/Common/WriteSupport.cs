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

    public static async Task RequireStaffAsync(DbConnection c, DbTransaction tx, int staffId, CancellationToken ct)
    {
        if (await c.ExecuteScalarAsync<long>(Cmd(LookupSql.StaffExists, new { Id = staffId }, tx, ct)).ConfigureAwait(false) == 0)
        {
            throw InputValidationException.For("staffId", $"{staffId} is not a known active staff member.");
        }
    }
}

public static class LookupSql
{
    public const string GridCommunity = "SELECT CommunityId FROM Grid WHERE Id = @Id";

    public const string StaffExists = "SELECT COUNT(*) FROM Staff WHERE Id = @Id AND Active = 1";
}
