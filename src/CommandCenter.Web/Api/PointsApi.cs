using CommandCenter.Data.Points;
using CommandCenter.Domain.Live;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// Party-building points (issue 11): leaderboards per week or month, a person's points, redemptions, volunteer service,
/// contact-household visits, and the rule-set versions.
/// </summary>
public static class PointsApi
{
    public static RouteGroupBuilder MapPointsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/points/people/{period}", PeopleAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Points").WithName("PointsLeaderboardPeople")
            .WithSummary("The people's points leaderboard for a week (2026-W47) or month (2026-11).").ProducesValidationProblem();
        api.MapGet("/points/grids/{period}", GridsAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Points").WithName("PointsLeaderboardGrids")
            .WithSummary("The grids' points leaderboard for a week or month.").ProducesValidationProblem();
        api.MapGet("/points/communities/{period}", CommunitiesAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Points").WithName("PointsLeaderboardCommunities")
            .WithSummary("The communities' points leaderboard for a week or month.").ProducesValidationProblem();
        api.MapGet("/points/staff/{staffId:int}", PersonAsync)
            .RequireAuthorization(Policies.Person).WithTags("Points").WithName("PersonPoints")
            .WithSummary("A staff member's balance (earned − redeemed) and latest ledger rows.");
        api.MapPost("/points/redemptions", RedeemAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Points").WithName("RedeemPoints")
            .WithSummary("Spend a staff member's points (积分兑换): a negative ledger row with a reason; never below zero (409).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/points/rules", RulesAsync)
            .RequireAuthorization(Policies.Review).WithTags("Points").WithName("PointsRuleSets")
            .WithSummary("Every rule-set version with the week it is in force from.");
        api.MapPost("/points/rules", SaveRulesAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Points").WithName("SavePointsRules")
            .WithSummary("Store an edited rule set as a new version, in force from next week.").ProducesValidationProblem();

        api.MapGet("/volunteer-services", VolunteersAsync)
            .RequireAuthorization(Policies.PointsRecord).WithTags("Points").WithName("ListVolunteerServices")
            .WithSummary("The latest volunteer-service records (newest first).").ProducesValidationProblem();
        api.MapPost("/volunteer-services", RecordVolunteerAsync)
            .RequireAuthorization(Policies.PointsRecord).WithTags("Points").WithName("RecordVolunteerService")
            .WithSummary("Record volunteer service: who, grid, when, where, hours.").ProducesValidationProblem();
        api.MapGet("/contact-visits", ContactsAsync)
            .RequireAuthorization(Policies.PointsRecord).WithTags("Points").WithName("ListContactVisits")
            .WithSummary("The latest party members' contact-household visits (newest first).").ProducesValidationProblem();
        api.MapPost("/contact-visits", RecordContactAsync)
            .RequireAuthorization(Policies.PointsRecord).WithTags("Points").WithName("RecordContactVisit")
            .WithSummary("Record a party member's visit to a contact household.").ProducesValidationProblem();
        return api;
    }

    public static Task<Ok<Leaderboard>> PeopleAsync(string period, PointsQueries queries, HttpContext http, CancellationToken ct) =>
        BoardAsync(Earner.Person, period, queries, http, ct);

    public static Task<Ok<Leaderboard>> GridsAsync(string period, PointsQueries queries, HttpContext http, CancellationToken ct) =>
        BoardAsync(Earner.Grid, period, queries, http, ct);

    public static Task<Ok<Leaderboard>> CommunitiesAsync(string period, PointsQueries queries, HttpContext http, CancellationToken ct) =>
        BoardAsync(Earner.Community, period, queries, http, ct);

    private static async Task<Ok<Leaderboard>> BoardAsync(Earner earner, string period, PointsQueries queries, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await queries.LeaderboardAsync(earner, Period.Parse(period), http.Actor(), ct));

    public static async Task<Results<Ok<PersonPoints>, NotFound>> PersonAsync(int staffId, PointsQueries queries, HttpContext http, CancellationToken ct, int take = 100) =>
        await queries.PersonAsync(staffId, http.Actor(), take, ct) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound();

    public static async Task<Created<PointsRedeemed>> RedeemAsync(RedeemPoints body, RedeemPointsHandler handler, HttpContext http, CancellationToken ct)
    {
        var done = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/points/staff/{done.StaffId}", done);
    }

    /// <summary>A rule-set version as the API shows it.</summary>
    public sealed record RuleSetView(int Version, string EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy, string? Note, IReadOnlyList<RuleView> Rules);

    public sealed record RuleView(string Code, string DescriptionZh, string DescriptionEn, string Event, int Points, string Earner, int? CapPerPeriod,
        int? Parameter, bool Enabled);

    /// <summary>The body of <c>POST /points/rules</c>: every rule of the new version (enum fields by name).</summary>
    public sealed record SaveRulesBody(IReadOnlyList<RuleView>? Rules, string? Note);

    public static async Task<Ok<IReadOnlyList<RuleSetView>>> RulesAsync(RuleSetStore store, CancellationToken ct)
    {
        var all = await store.ListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<RuleSetView>>(all.Select(s => new RuleSetView(s.RuleSet.Version, s.RuleSet.EffectiveFrom.ToString(), s.CreatedAt,
            s.CreatedBy, s.Note, s.RuleSet.Rules.Select(View).ToList())).ToList());
    }

    public static async Task<Created<RuleSetView>> SaveRulesAsync(SaveRulesBody body, RuleSetStore store, BoardClock clock, HttpContext http, CancellationToken ct)
    {
        var rules = new List<ScoringRule>();
        var v = new Validator();
        var given = body.Rules ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var r = given[i];
            if (r is null)
            {
                v.Add($"rules[{i}]", "is required.");
                continue;
            }

            if (!Enum.TryParse<ScoredEvent>(r.Event, ignoreCase: false, out var e) || !Enum.IsDefined(e) || int.TryParse(r.Event, out _))
            {
                v.Add($"rules[{i}].event", $"must be one of {string.Join(", ", Enum.GetNames<ScoredEvent>())}.");
            }

            if (!Enum.TryParse<Earner>(r.Earner, ignoreCase: false, out var earner) || !Enum.IsDefined(earner) || int.TryParse(r.Earner, out _))
            {
                v.Add($"rules[{i}].earner", "must be Person, Grid or Community.");
            }

            rules.Add(new ScoringRule(r.Code, r.DescriptionZh, r.DescriptionEn, e, r.Points, earner, r.CapPerPeriod, r.Parameter, r.Enabled));
        }

        v.ThrowIfInvalid();
        var saved = await store.SaveAsync(rules, body.Note, http.Actor(), ct);
        return TypedResults.Created("/api/v1/points/rules", new RuleSetView(saved.Version, saved.EffectiveFrom.ToString(), clock.Now,
            http.Actor().Name, body.Note, saved.Rules.Select(View).ToList()));
    }

    private static RuleView View(ScoringRule r) =>
        new(r.Code, r.DescriptionZh, r.DescriptionEn, r.Event.ToString(), r.Points, r.Earner.ToString(), r.CapPerPeriod, r.Parameter, r.Enabled);

    public static async Task<Ok<IReadOnlyList<VolunteerServiceItem>>> VolunteersAsync(PointsQueries queries, HttpContext http, CancellationToken ct,
        int? staffId = null, int take = 100) =>
        TypedResults.Ok(await queries.VolunteerServicesAsync(http.Actor(), staffId, take, ct));

    public static async Task<Created<PointsRecordStored>> RecordVolunteerAsync(RecordVolunteerService body, RecordVolunteerServiceHandler handler,
        HttpContext http, CancellationToken ct)
    {
        var stored = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/volunteer-services/{stored.Id}", stored);
    }

    public static async Task<Ok<IReadOnlyList<ContactVisitItem>>> ContactsAsync(PointsQueries queries, HttpContext http, CancellationToken ct,
        int? staffId = null, int take = 100) =>
        TypedResults.Ok(await queries.ContactVisitsAsync(http.Actor(), staffId, take, ct));

    public static async Task<Created<PointsRecordStored>> RecordContactAsync(RecordContactVisit body, RecordContactVisitHandler handler,
        HttpContext http, CancellationToken ct)
    {
        var stored = await handler.HandleAsync(body, http.Actor(), ct);
        return TypedResults.Created($"/api/v1/contact-visits/{stored.Id}", stored);
    }
}
