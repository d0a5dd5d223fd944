using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Model;
using CommandCenter.Domain.Points;

namespace CommandCenter.Data.Assessments;

/// <summary>The reads of stored assessments; a scoped actor (a community's account) sees only its community's items.</summary>
public sealed class AssessmentQueries(DbConnectionFactory db)
{
    /// <summary>The stored assessment of a kind for a period, or null when nothing is stored for it.</summary>
    public async Task<AssessmentView?> GetAsync(AssessmentKind kind, Period period, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await AssessmentStoreReads.ReadAsync(c, null, kind, period, actor.CommunityId, ct).ConfigureAwait(false);
    }
}
