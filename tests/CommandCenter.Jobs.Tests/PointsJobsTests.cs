using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Points;
using CommandCenter.Jobs.Points;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Jobs.Tests;

public sealed class PointsJobsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void AddCommandCenterJobs_RegistersTheScoringJob_WithTheConfiguredOptions()
    {
        var services = new ServiceCollection().AddCommandCenterJobs(Config(("Points:ScoringInterval", "00:02:00"), ("Points:MaxCatchUpWeeks", "10")));

        Assert.Contains(services, d => d.ServiceType == typeof(PointsScoringJob) || d.ImplementationType == typeof(PointsScoringJob));
        var options = Assert.Single(services, d => d.ServiceType == typeof(PointsScoringOptions)).ImplementationInstance as PointsScoringOptions;
        Assert.Equal((TimeSpan.FromMinutes(2), 10), (options!.ScoringInterval, options.MaxCatchUpWeeks));
    }

    [Theory]
    [InlineData("Points:ScoringInterval", "00:00:00")]
    [InlineData("Points:ScoringInterval", "2.00:00:00")]
    [InlineData("Points:FinaliseAfter", "-01:00:00")]
    [InlineData("Points:MaxCatchUpWeeks", "0")]
    public void BadPointsSettings_ThrowNamingTheSetting(string key, string value)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config((key, value))));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
