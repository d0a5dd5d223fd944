using CommandCenter.Demo.Simulation;
using CommandCenter.Demo.Street;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommandCenter.Demo.Tests;

public sealed class DemoRegistrationTests
{
    private static IServiceCollection Register(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddCommandCenterDemo(config);
    }

    private static bool HasSimulator(IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(DemoSimulator))
        || services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DemoSimulator));

    [Fact]
    public void AddCommandCenterDemo_Defaults_RegistersSeederAndSimulatorAsHostedService()
    {
        var services = Register();

        Assert.Contains(services, d => d.ServiceType == typeof(DemoStreetSeeder) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(DemoSimulator) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Theory]
    [InlineData("Demo:Enabled")]
    [InlineData("Demo:Simulator:Enabled")]
    public void AddCommandCenterDemo_DemoOrSimulatorOff_KeepsTheSeederWithoutSimulator(string setting)
    {
        var services = Register((setting, "false"));

        Assert.Contains(services, d => d.ServiceType == typeof(DemoStreetSeeder));
        Assert.False(HasSimulator(services));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void AddCommandCenterDemo_BindsDemoAndSimulatorOptions()
    {
        using var provider = Register(("Demo:Enabled", "false"), ("Demo:Seed", "7"), ("Demo:Simulator:SpeedFactor", "4"), ("Demo:Simulator:Seed", "11"))
            .BuildServiceProvider();

        var demo = provider.GetRequiredService<IOptions<DemoOptions>>().Value;
        var simulator = provider.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        Assert.False(demo.Enabled);
        Assert.Equal(7, demo.Seed);
        Assert.Equal(4, simulator.SpeedFactor);
        Assert.Equal(11, simulator.Seed);
    }
}
