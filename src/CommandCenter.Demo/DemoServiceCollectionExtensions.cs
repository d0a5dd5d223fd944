using CommandCenter.Demo.Simulation;
using CommandCenter.Demo.Street;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// The demo: binds <see cref="DemoOptions"/> (<c>Demo</c>) and <see cref="SimulatorOptions"/> (<c>Demo:Simulator</c>),
    /// registers the <see cref="DemoStreetSeeder"/> (always: the start-up initializer asks for it and checks
    /// <c>Demo:Enabled</c> itself), and, when both <c>Demo:Enabled</c> and <c>Demo:Simulator:Enabled</c> are on,
    /// the <see cref="DemoSimulator"/> as a hosted service. Hosted services start in registration order: call this
    /// after the services that must be running before the simulator writes.
    /// </summary>
    public static IServiceCollection AddCommandCenterDemo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<DemoOptions>(configuration.GetSection(DemoOptions.SectionName));
        services.Configure<SimulatorOptions>(configuration.GetSection(SimulatorOptions.SectionName));
        services.AddSingleton<DemoStreetSeeder>();

        var demoOn = configuration.GetValue(DemoOptions.SectionName + ":Enabled", true);
        var simulatorOn = configuration.GetValue(SimulatorOptions.SectionName + ":Enabled", true);
        if (demoOn && simulatorOn)
        {
            services.AddSingleton<DemoSimulator>();
            services.AddHostedService(sp => sp.GetRequiredService<DemoSimulator>());
        }

        return services;
    }
}
