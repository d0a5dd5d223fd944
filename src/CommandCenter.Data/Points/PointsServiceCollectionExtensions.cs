using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommandCenter.Data.Points;

public static class PointsServiceCollectionExtensions
{
    /// <summary>The points: rule sets, scorer and scoring pass, handlers, queries. Options default unless the host registers them first.</summary>
    public static IServiceCollection AddPointsData(IServiceCollection services)
    {
        services.TryAddSingleton(new PointsScoringOptions());
        services.AddSingleton<RuleSetStore>();
        services.AddSingleton<PointsScorer>();
        services.AddSingleton<PointsScoringService>();
        services.AddSingleton<RecordVolunteerServiceHandler>();
        services.AddSingleton<RecordContactVisitHandler>();
        services.AddSingleton<RedeemPointsHandler>();
        services.AddSingleton<PointsQueries>();
        return services;
    }
}
