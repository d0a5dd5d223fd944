using CommandCenter.Data.Ingestion;

namespace CommandCenter.Web.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>The write queue's sizes (<c>Ingestion:*</c>) and the MQTT subscriber (<c>Mqtt:*</c>, off without a host) and Frigate's address for snapshot links (<c>Frigate:*</c>); validated here.</summary>
    public static IServiceCollection AddCommandCenterIngestion(this IServiceCollection services, IConfiguration config)
    {
        var queue = config.GetSection(GroupCommitOptions.SectionName).Get<GroupCommitOptions>() ?? new GroupCommitOptions();
        queue.Validate();
        services.AddSingleton(queue);
        var mqtt = config.GetSection(MqttOptions.SectionName).Get<MqttOptions>() ?? new MqttOptions();
        mqtt.Validate();
        services.AddSingleton(mqtt);
        var frigate = config.GetSection(FrigateOptions.SectionName).Get<FrigateOptions>() ?? new FrigateOptions();
        frigate.Validate();
        services.AddSingleton(frigate);
        services.AddSingleton<MqttIngestionStats>();
        services.AddSingleton<MqttIngestionService>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttIngestionService>());
        return services;
    }
}
