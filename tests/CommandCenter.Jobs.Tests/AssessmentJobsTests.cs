using CommandCenter.Data.Assessments;
using CommandCenter.Data.Infrastructure;
using CommandCenter.Jobs.Assessments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Jobs.Tests;

public sealed class AssessmentJobsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void AddCommandCenterJobs_RegistersTheAssessmentJob_WithTheConfiguredOptions()
    {
        var services = new ServiceCollection().AddCommandCenterJobs(Config(("Assessments:Interval", "00:03:00"), ("Assessments:MaxCatchUpWeeks", "8")));

        Assert.Contains(services, d => d.ServiceType == typeof(AssessmentJob) || d.ImplementationType == typeof(AssessmentJob));
        var options = Assert.Single(services, d => d.ServiceType == typeof(AssessmentOptions)).ImplementationInstance as AssessmentOptions;
        Assert.Equal((TimeSpan.FromMinutes(3), 8), (options!.Interval, options.MaxCatchUpWeeks));
    }

    [Theory]
    [InlineData("Assessments:Interval", "00:00:01")]
    [InlineData("Assessments:Interval", "2.00:00:00")]
    [InlineData("Assessments:MaxCatchUpWeeks", "0")]
    [InlineData("Assessments:MaxCatchUpWeeks", "521")]
    public void BadAssessmentSettings_ThrowNamingTheSetting(string key, string value)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config((key, value))));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
