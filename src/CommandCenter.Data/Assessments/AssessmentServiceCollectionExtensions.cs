using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommandCenter.Data.Assessments;

public static class AssessmentServiceCollectionExtensions
{
    /// <summary>The assessments: settings versions, engine, the job's pass, queries. Options default unless the host registers them first.</summary>
    public static IServiceCollection AddAssessmentsData(IServiceCollection services)
    {
        services.TryAddSingleton(new AssessmentOptions());
        services.AddSingleton<AssessmentSettingsStore>();
        services.AddSingleton<AssessmentEngine>();
        services.AddSingleton<AssessmentService>();
        services.AddSingleton<AssessmentQueries>();
        services.AddSingleton<CategoryTrendQuery>();
        services.AddSingleton<GridEvidenceQuery>();
        return services;
    }
}
