using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Points;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using Dapper;
using static CommandCenter.Data.Common.WriteSupport;

namespace CommandCenter.Data.Assessments;

/// <summary>
/// Computes and stores assessments. One computation reads the period's counts per grid with a handful of set-based
/// queries, adds them up per community, and ranks with <see cref="AssessmentCalculator"/> (people: the
/// <see cref="PartyMemberScheme"/>). It runs in one transaction under the assessments' lock, so two runs at once store
/// one result; a final assessment is never rewritten. A period is final once it has ended and every week of it has
/// final points (ScoringRun status final); until then it is provisional and each run replaces it.
/// </summary>
public sealed class AssessmentEngine(DbConnectionFactory db, BoardClock clock, AssessmentSettingsStore settingsStore)
{
    /// <summary>Computes and stores the assessment of a kind for a period (returns the stored one if it is final already).</summary>
    public async Task<AssessmentView> RunAsync(AssessmentKind kind, Period period, CancellationToken ct = default)
    {
        var settings = await settingsStore.CurrentAsync(ct).ConfigureAwait(false);
        return await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(Cmd(db.Pick(AssessmentSql.Lock_Sqlite, AssessmentSql.Lock_SqlServer), null, tx, ct)).ConfigureAwait(false);
            var existing = await AssessmentStoreReads.ReadAsync(c, tx, kind, period, null, ct).ConfigureAwait(false);
            if (existing is { Status: "final" }) return existing;

            var now = clock.Now;
            var runs = await RunsAsync(c, tx, period, ct).ConfigureAwait(false);
            var final = now >= period.End(clock.Zone) && PointsQueries.WeeksOf(period).All(w => runs.Any(r => r.Week == w.ToString() && r.Status == (int)ScoringRunStatus.Final));
            var view = await CalculateAsync(c, tx, kind, period, settings.Version, settings.Settings, final ? AssessmentStatus.Final : AssessmentStatus.Provisional, now, runs, ct)
                .ConfigureAwait(false);
            await StoreAsync(c, tx, kind, view, ct).ConfigureAwait(false);
            return view;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Computes without storing, with the given settings — what a stored assessment's numbers are checked against
    /// (recomputing a finished period with its stored settings gives the same items).
    /// </summary>
    public async Task<AssessmentView> CalculateAsync(AssessmentKind kind, Period period, int weightsVersion, AssessmentSettings settings, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct).ConfigureAwait(false);
        var runs = await RunsAsync(c, null, period, ct).ConfigureAwait(false);
        return await CalculateAsync(c, null, kind, period, weightsVersion, settings, AssessmentStatus.Provisional, clock.Now, runs, ct).ConfigureAwait(false);
    }

    private async Task<AssessmentView> CalculateAsync(DbConnection c, DbTransaction? tx, AssessmentKind kind, Period period, int weightsVersion, AssessmentSettings settings,
        AssessmentStatus status, DateTimeOffset now, IReadOnlyList<RunRow> runs, CancellationToken ct)
    {
        var previous = (await c.QueryAsync<(int ItemId, int Rank)>(Cmd(AssessmentSql.PreviousRanks, new { Kind = (int)kind, Period = period.Previous().ToString() }, tx, ct))
            .ConfigureAwait(false)).ToDictionary(r => (long)r.ItemId, r => r.Rank);
        var items = kind == AssessmentKind.Person
            ? await PeopleAsync(c, tx, period, settings, previous, ct).ConfigureAwait(false)
            : await AreasAsync(c, tx, kind, period, settings, previous, now, ct).ConfigureAwait(false);
        return new AssessmentView(AssessmentNames.Kind(kind), period.ToString(), AssessmentNames.Status(status), now,
            runs.Select(r => r.RuleSetVersion).Distinct().Order().ToList(), weightsVersion, settings, items);
    }

    private async Task<IReadOnlyList<AssessmentItemView>> AreasAsync(DbConnection c, DbTransaction? tx, AssessmentKind kind, Period period, AssessmentSettings settings,
        IReadOnlyDictionary<long, int> previous, DateTimeOffset now, CancellationToken ct)
    {
        var counts = await GridCountsAsync(c, tx, period, now, ct).ConfigureAwait(false);
        var grids = (await c.QueryAsync<AreaRow>(Cmd(AssessmentSql.Grids, null, tx, ct)).ConfigureAwait(false)).ToList();
        List<AreaRow> areas;
        Dictionary<int, AreaCounts> byArea;
        if (kind == AssessmentKind.Grid)
        {
            areas = grids;
            byArea = grids.ToDictionary(g => g.Id, g => counts.GetValueOrDefault(g.Id) ?? Empty(g.Id, counts));
        }
        else
        {
            areas = (await c.QueryAsync<AreaRow>(Cmd(AssessmentSql.Communities, null, tx, ct)).ConfigureAwait(false)).ToList();
            var points = (await c.QueryAsync<(int Id, int Points)>(Cmd(period.Kind == PeriodKind.Week ? AssessmentSql.CommunityPointsWeek : AssessmentSql.CommunityPointsMonth,
                new { Period = period.ToString() }, tx, ct)).ConfigureAwait(false)).ToDictionary(r => r.Id, r => r.Points);
            byArea = areas.ToDictionary(a => a.Id, a =>
                grids.Where(g => g.CommunityId == a.Id).Aggregate(new AreaCounts(), (sum, g) => sum + (counts.GetValueOrDefault(g.Id) ?? Empty(g.Id, counts))) with
                {
                    Points = points.GetValueOrDefault(a.Id),
                });
        }

        var inputs = areas.Select(a => new AreaInput(a.Id, a.Name, byArea[a.Id].Values(), byArea[a.Id].Points)).ToList();
        var byId = areas.ToDictionary(a => (long)a.Id);
        return AssessmentCalculator.Assess(inputs, settings, previous).Select(i => new AssessmentItemView(i.Rank, (int)i.Id, byId[i.Id].Name, byId[i.Id].NameZh,
            byId[i.Id].CommunityId, i.Score, i.Points, Keyed(i.Indicators), Keyed(i.Normalised), i.PreviousRank, i.Movement, AssessmentNames.Tier(i.Tier), null, null)).ToList();
    }

    // A grid with no rows anywhere still has its period days (patrol coverage 0 of n, not "no data"): key 0 holds them.
    private static AreaCounts Empty(int gridId, Dictionary<int, AreaCounts> counts) => gridId != 0 && counts.TryGetValue(0, out var days) ? days : new AreaCounts();

    private async Task<Dictionary<int, AreaCounts>> GridCountsAsync(DbConnection c, DbTransaction? tx, Period period, DateTimeOffset now, CancellationToken ct)
    {
        var from = period.Start(clock.Zone);
        var to = period.End(clock.Zone);
        var elapsedEnd = now < to ? now : to;
        var days = elapsedEnd <= from ? 0 : (int)Math.Ceiling((elapsedEnd - from).TotalDays - 1e-9);
        var offset = clock.Zone.GetUtcOffset(from);
        var args = new
        {
            From = from,
            To = to,
            Period = period.ToString(),
            Shift = string.Create(CultureInfo.InvariantCulture, $"{(offset < TimeSpan.Zero ? "-" : "+")}{Math.Abs((int)offset.TotalMinutes)} minutes"),
            OffsetMinutes = (int)offset.TotalMinutes,
        };

        // Key 0 carries what every grid has regardless of rows: the days of the period so far.
        var result = new Dictionary<int, AreaCounts> { [0] = new AreaCounts { PeriodDays = days } };
        AreaCounts Get(int gridId) => result.TryGetValue(gridId, out var a) ? a : result[gridId] = new AreaCounts { PeriodDays = days };

        foreach (var r in await c.QueryAsync<ReportedRow>(Cmd(AssessmentSql.Reported, args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { Reported = r.Reported, ClosedOfReported = r.ClosedOfReported, EscalatedOfReported = r.EscalatedOfReported };
        foreach (var r in await c.QueryAsync<ClosedRow>(Cmd(AssessmentSql.Closed, args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { Closed = r.Closed, ClosedOnTime = r.ClosedOnTime, SatisfactionCount = r.SatisfactionCount, SatisfactionSum = r.SatisfactionSum };
        foreach (var r in await c.QueryAsync<(int GridId, int PatrolDays)>(Cmd(db.Pick(AssessmentSql.PatrolDays_Sqlite, AssessmentSql.PatrolDays_SqlServer), args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { PatrolDays = Math.Min(r.PatrolDays, days) };
        foreach (var r in await c.QueryAsync<HouseholdRow>(Cmd(AssessmentSql.Households, args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { Households = r.Households, KeyHouseholds = r.KeyHouseholds, HouseholdsVisited = r.HouseholdsVisited, KeyHouseholdsVisited = r.KeyHouseholdsVisited };
        foreach (var r in await c.QueryAsync<(int GridId, int Acknowledged, double AckMinutesSum)>(Cmd(db.Pick(AssessmentSql.Acks_Sqlite, AssessmentSql.Acks_SqlServer), args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { Acknowledged = r.Acknowledged, AckMinutesSum = Math.Max(0, r.AckMinutesSum) };
        foreach (var r in await c.QueryAsync<(int GridId, int Members)>(Cmd(AssessmentSql.Members, args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { Members = r.Members };
        foreach (var r in await c.QueryAsync<(int GridId, int MemberPoints, int Points)>(Cmd(period.Kind == PeriodKind.Week ? AssessmentSql.GridPointsWeek : AssessmentSql.GridPointsMonth, args, tx, ct)).ConfigureAwait(false))
            result[r.GridId] = Get(r.GridId) with { MemberPoints = r.MemberPoints, Points = r.Points };
        return result;
    }

    private static async Task<IReadOnlyList<AssessmentItemView>> PeopleAsync(DbConnection c, DbTransaction? tx, Period period, AssessmentSettings settings,
        IReadOnlyDictionary<long, int> previous, CancellationToken ct)
    {
        var yearStart = period.Kind == PeriodKind.Week ? new Period(PeriodKind.Week, period.Year, 1) : new Period(PeriodKind.Month, period.Year, 1);
        var args = new { From = yearStart.ToString(), To = period.ToString(), Period = period.ToString() };
        var people = (await c.QueryAsync<AreaRow>(Cmd(AssessmentSql.PartyMembers, null, tx, ct)).ConfigureAwait(false)).ToList();
        var byRule = (await c.QueryAsync<(int StaffId, string RuleCode, int Points)>(Cmd(period.Kind == PeriodKind.Week ? AssessmentSql.PersonRulesWeeks : AssessmentSql.PersonRulesMonths,
            args, tx, ct)).ConfigureAwait(false)).GroupBy(r => r.StaffId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(r => r.RuleCode, r => r.Points, StringComparer.Ordinal));
        var points = (await c.QueryAsync<(int Id, int Points)>(Cmd(period.Kind == PeriodKind.Week ? AssessmentSql.PersonPointsWeek : AssessmentSql.PersonPointsMonth,
            args, tx, ct)).ConfigureAwait(false)).ToDictionary(r => r.Id, r => r.Points);
        var empty = new Dictionary<string, int>();
        var graded = people.Select(p => (Person: p, Result: settings.PersonScheme.Grade(byRule.GetValueOrDefault(p.Id) ?? empty))).ToList();
        var none = new Dictionary<string, decimal>();
        return Ranking.ByScore(graded, g => g.Result.Score, g => g.Person.Id).Select(r =>
        {
            int? prev = previous.TryGetValue(r.Item.Person.Id, out var pr) ? pr : null;
            return new AssessmentItemView(r.Rank, r.Item.Person.Id, r.Item.Person.Name, r.Item.Person.NameZh, r.Item.Person.CommunityId, r.Item.Result.Score,
                points.GetValueOrDefault(r.Item.Person.Id), none, none, prev, prev - r.Rank, "none", AssessmentNames.Grade(r.Item.Result.Grade), r.Item.Result);
        }).ToList();
    }

    private static Dictionary<string, decimal> Keyed(IReadOnlyDictionary<Indicator, decimal> values) =>
        values.OrderBy(kv => kv.Key).ToDictionary(kv => Indicators.Key(kv.Key), kv => kv.Value, StringComparer.Ordinal);

    private static async Task<IReadOnlyList<RunRow>> RunsAsync(DbConnection c, DbTransaction? tx, Period period, CancellationToken ct)
    {
        var weeks = PointsQueries.WeeksOf(period);
        return (await c.QueryAsync<RunRow>(Cmd(AssessmentSql.Runs, new { From = weeks[0].ToString(), To = weeks[^1].ToString() }, tx, ct)).ConfigureAwait(false)).ToList();
    }

    private async Task StoreAsync(DbConnection c, DbTransaction tx, AssessmentKind kind, AssessmentView view, CancellationToken ct)
    {
        var header = new
        {
            Kind = (int)kind,
            view.Period,
            Status = view.Status == "final" ? 2 : 1,
            view.ComputedAt,
            RuleSetVersions = string.Join(',', view.RuleSetVersions),
            view.WeightsVersion,
            SettingsJson = AssessmentSettingsStore.Serialize(view.Settings),
        };
        var id = await c.ExecuteScalarAsync<long?>(Cmd(AssessmentSql.HeaderId, header, tx, ct)).ConfigureAwait(false);
        if (id is null)
        {
            id = await c.ExecuteScalarAsync<long>(Cmd(db.Pick(AssessmentSql.InsertHeader_Sqlite, AssessmentSql.InsertHeader_SqlServer), header, tx, ct)).ConfigureAwait(false);
        }
        else
        {
            await c.ExecuteAsync(Cmd(AssessmentSql.UpdateHeader, new { header.Status, header.ComputedAt, header.RuleSetVersions, header.WeightsVersion, header.SettingsJson, Id = id }, tx, ct))
                .ConfigureAwait(false);
            await c.ExecuteAsync(Cmd(AssessmentSql.DeleteItems, new { Id = id }, tx, ct)).ConfigureAwait(false);
        }

        await c.ExecuteAsync(Cmd(AssessmentSql.InsertItem, view.Items.Select(i => new
        {
            AssessmentId = id,
            ItemId = i.Id,
            i.Name,
            i.NameZh,
            i.CommunityId,
            i.Rank,
            i.Score,
            i.Points,
            IndicatorsJson = JsonSerializer.Serialize(new StoredIndicators(i.Indicators, i.Normalised, i.Person), AssessmentSettingsStore.Json),
            i.PreviousRank,
            i.Movement,
            Tier = i.Tier switch { "redFlag" => 1, "needsAttention" => 2, _ => 0 },
            Grade = i.Person is null ? (int?)null : (int)i.Person.Grade,
        }), tx, ct)).ConfigureAwait(false);
    }

    internal sealed record StoredIndicators(IReadOnlyDictionary<string, decimal> Values, IReadOnlyDictionary<string, decimal> Normalised, PersonResult? Person);

    internal sealed class RunRow
    {
        public string Week { get; init; } = "";
        public int RuleSetVersion { get; init; }
        public int Status { get; init; }
    }

    private sealed class AreaRow
    {
        public int Id { get; init; }
        public string Name { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int? CommunityId { get; init; }
    }

    private sealed class ReportedRow
    {
        public int GridId { get; init; }
        public int Reported { get; init; }
        public int ClosedOfReported { get; init; }
        public int EscalatedOfReported { get; init; }
    }

    private sealed class ClosedRow
    {
        public int GridId { get; init; }
        public int Closed { get; init; }
        public int ClosedOnTime { get; init; }
        public int SatisfactionCount { get; init; }
        public int SatisfactionSum { get; init; }
    }

    private sealed class HouseholdRow
    {
        public int GridId { get; init; }
        public int Households { get; init; }
        public int KeyHouseholds { get; init; }
        public int HouseholdsVisited { get; init; }
        public int KeyHouseholdsVisited { get; init; }
    }
}
