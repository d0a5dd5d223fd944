using CommandCenter.Data.Live;
using CommandCenter.Data.Readings;
using CommandCenter.Domain.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Devices;

public static class DeviceRegistration
{
    /// <summary>
    /// The registry's handlers, import and queries, and the change notification: a change forgets the reading handler's
    /// sensor codes and, where a live board is registered (the web host), re-syncs it (new, edited and retired devices).
    /// </summary>
    public static IServiceCollection AddDeviceRegistry(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var events = new DeviceRegistryEvents(sp.GetRequiredService<ILogger<DeviceRegistryEvents>>());
            var readings = sp.GetRequiredService<RecordReadingsHandler>();
            events.Subscribe((_, _) =>
            {
                readings.InvalidateReferenceData();
                return Task.CompletedTask;
            });
            if (sp.GetService<LiveBoard>() is not null)
            {
                events.Subscribe((reason, ct) => sp.GetRequiredService<BoardSync>().SyncAsync(reason, ct));
            }

            return events;
        });
        services.AddSingleton<RegisterCameraHandler>();
        services.AddSingleton<EditCameraHandler>();
        services.AddSingleton<RetireCameraHandler>();
        services.AddSingleton<RegisterWaterPointHandler>();
        services.AddSingleton<EditWaterPointHandler>();
        services.AddSingleton<RetireWaterPointHandler>();
        services.AddSingleton<DeviceCsvImporter>();
        services.AddSingleton<DeviceQueries>();
        return services;
    }
}
