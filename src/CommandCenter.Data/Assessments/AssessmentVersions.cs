using CommandCenter.Data.Infrastructure;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>
/// The version of a stored assessment (when it was computed): one row, one column — what a cache of the wall's rankings
/// checks before it reloads the whole assessment.
/// </summary>
public sealed class AssessmentVersions(DbConnectionFactory db)
{
    public async Task<DateTimeOffset?> ComputedAtAsync(AssessmentKind kind, Period period, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<DateTimeOffset?>(Cmd(WallRankingsSql.ComputedAt, new { Kind = (int)kind, Period = period.ToString() }, null, ct)).ConfigureAwait(false);
    }
}
