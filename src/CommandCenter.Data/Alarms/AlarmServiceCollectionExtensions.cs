using CommandCenter.Domain.Alarms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommandCenter.Data.Alarms;

public static class AlarmServiceCollectionExtensions
{
    /// <summary>The alarm state of the write path, the alert and alarm actions and lists; default <see cref="AlarmOptions"/> unless the host registered its own.</summary>
    public static IServiceCollection AddCommandCenterAlarms(this IServiceCollection services)
    {
        services.TryAddSingleton(new AlarmOptions());
        services.AddSingleton<WaterAlarmTracker>();
        services.AddSingleton<CameraAlertActionHandler>();
        services.AddSingleton<AcknowledgeWaterAlarmHandler>();
        services.AddSingleton<AlarmQueries>();
        services.AddSingleton<Cameras.MarkAlertSnapshotHandler>();
        return services;
    }
}
