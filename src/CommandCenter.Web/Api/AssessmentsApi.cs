using CommandCenter.Data.Assessments;
using CommandCenter.Domain.Assessments;
using CommandCenter.Domain.Points;
using CommandCenter.Domain.Validation;
using CommandCenter.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>
/// Assessments (issue 11): the stored ranking of grids and communities and the party members' grades for a week
/// (2026-W47) or month (2026-11), and the versioned settings (weights, tier shares, grade scheme) Admins set.
/// </summary>
public static class AssessmentsApi
{
    public static RouteGroupBuilder MapAssessmentsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assessments/grids/{period}", GridsAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Assessments").WithName("AssessmentGrids")
            .WithSummary("The grids' assessment for a week (2026-W47) or month (2026-11): status, weights, items ranked with indicators, movement and tier.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/assessments/communities/{period}", CommunitiesAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Assessments").WithName("AssessmentCommunities")
            .WithSummary("The communities' assessment for a week or month.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/assessments/people/{period}", PeopleAsync)
            .RequireAuthorization(Policies.PointsRead).WithTags("Assessments").WithName("AssessmentPeople")
            .WithSummary("The party members' 100-point grades (优秀 / 合格 / 基本合格 / 不合格) for the year up to the end of a week or month.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/assessments/settings", SettingsAsync)
            .RequireAuthorization(Policies.Review).WithTags("Assessments").WithName("AssessmentSettings")
            .WithSummary("Every version of the assessment settings, newest first (version 0 is the built-in default).");
        api.MapPost("/assessments/settings", SaveSettingsAsync)
            .RequireAuthorization(Policies.Administer).WithTags("Assessments").WithName("SaveAssessmentSettings")
            .WithSummary("Store new assessment settings as a new version (used from the next computation of a provisional assessment; final ones keep theirs); audited.")
            .ProducesValidationProblem();
        return api;
    }

    /// <summary>The settings as the API shows them: weights keyed by indicator (closureRate…), tier shares, the grade scheme.</summary>
    public sealed record SettingsView(IReadOnlyDictionary<string, decimal> Weights, decimal RedFlagShare, decimal NeedsAttentionShare, PartyMemberScheme PersonScheme);

    public sealed record AssessmentResponse(string Kind, string Period, string Status, DateTimeOffset ComputedAt, IReadOnlyList<int> RuleSetVersions,
        int WeightsVersion, SettingsView Weights, IReadOnlyList<AssessmentItemView> Items);

    public sealed record SettingsVersionView(int Version, DateTimeOffset? CreatedAt, string CreatedBy, string? Note, SettingsView Settings);

    /// <summary>The body of <c>POST /assessments/settings</c>; an omitted part keeps the current one.</summary>
    public sealed record SaveSettingsBody(IReadOnlyDictionary<string, decimal>? Weights, decimal? RedFlagShare, decimal? NeedsAttentionShare,
        PartyMemberScheme? PersonScheme, string? Note);

    public static Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> GridsAsync(string period, AssessmentQueries queries, HttpContext http, CancellationToken ct) =>
        GetAsync(AssessmentKind.Grid, period, queries, http, ct);

    public static Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> CommunitiesAsync(string period, AssessmentQueries queries, HttpContext http, CancellationToken ct) =>
        GetAsync(AssessmentKind.Community, period, queries, http, ct);

    public static Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> PeopleAsync(string period, AssessmentQueries queries, HttpContext http, CancellationToken ct) =>
        GetAsync(AssessmentKind.Person, period, queries, http, ct);

    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> GetAsync(AssessmentKind kind, string period, AssessmentQueries queries, HttpContext http,
        CancellationToken ct)
    {
        var p = Period.Parse(period);
        var view = await queries.GetAsync(kind, p, http.Actor(), ct);
        if (view is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No assessment",
                detail: $"No {AssessmentNames.Kind(kind)} assessment is stored for {p}.");
        }

        return TypedResults.Ok(new AssessmentResponse(view.Kind, view.Period, view.Status, view.ComputedAt, view.RuleSetVersions, view.WeightsVersion,
            View(view.Settings), view.Items));
    }

    public static async Task<Ok<IReadOnlyList<SettingsVersionView>>> SettingsAsync(AssessmentSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<SettingsVersionView>>((await store.VersionsAsync(ct)).Select(View).ToList());

    public static async Task<Created<SettingsVersionView>> SaveSettingsAsync(SaveSettingsBody body, AssessmentSettingsStore store, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var current = (await store.CurrentAsync(ct)).Settings;
        var v = new Validator();
        var weights = new Dictionary<Indicator, decimal>();
        foreach (var (key, weight) in body.Weights ?? current.Weights.ToDictionary(kv => Indicators.Key(kv.Key), kv => kv.Value))
        {
            if (Indicators.TryParseKey(key, out var indicator)) weights[indicator] = weight;
            else v.Add("weights." + key, $"is not an indicator; use {string.Join(", ", Indicators.All.Select(Indicators.Key))}.");
        }

        v.ThrowIfInvalid();
        var settings = current with
        {
            Weights = weights,
            RedFlagShare = body.RedFlagShare ?? current.RedFlagShare,
            NeedsAttentionShare = body.NeedsAttentionShare ?? current.NeedsAttentionShare,
            PersonScheme = body.PersonScheme ?? current.PersonScheme,
        };
        var saved = await store.SaveAsync(settings, http.Actor(), body.Note, ct);
        return TypedResults.Created("/api/v1/assessments/settings", View(saved));
    }

    private static SettingsVersionView View(AssessmentSettingsVersion v) => new(v.Version, v.CreatedAt, v.CreatedBy, v.Note, View(v.Settings));

    private static SettingsView View(AssessmentSettings s) =>
        new(s.Weights.OrderBy(kv => kv.Key).ToDictionary(kv => Indicators.Key(kv.Key), kv => kv.Value), s.RedFlagShare, s.NeedsAttentionShare, s.PersonScheme);
}
