using CommandCenter.Data.Incidents;
using CommandCenter.Data.Departments;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Data.Field;

public static class FieldServiceCollectionExtensions
{
    /// <summary>Staff accounts and personal tokens, Idempotency-Key answers, alert/alarm conversion, the loop's settings handlers (issue 9).</summary>
    public static IServiceCollection AddLoopFieldData(this IServiceCollection services)
    {
        services.AddSingleton<StaffAccountService>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<FieldQueries>();
        services.AddSingleton<ConvertToIncidentHandler>();
        services.AddSingleton<DepartmentQueries>();
        services.AddSingleton<AddDepartmentHandler>();
        services.AddSingleton<EditDepartmentHandler>();
        services.AddSingleton<SetDepartmentActiveHandler>();
        services.AddSingleton<DeadlineQueries>();
        services.AddSingleton<SetDeadlineHandler>();
        return services;
    }
}
