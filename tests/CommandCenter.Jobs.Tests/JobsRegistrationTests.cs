using CommandCenter.Data.Infrastructure;
using CommandCenter.Jobs.LiveBoard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommandCenter.Jobs.Tests;

public sealed class JobsRegistrationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void AddCommandCenterJobs_Defaults_RegistersTheLiveBoardJobsAndQuartzOnly()
    {
        var services = new ServiceCollection().AddCommandCenterJobs(Config());

        Assert.Contains(services, d => d.ServiceType == typeof(LiveBoardTickJob) || d.ImplementationType == typeof(LiveBoardTickJob));
        Assert.Contains(services, d => d.ServiceType == typeof(LiveBoardResyncJob) || d.ImplementationType == typeof(LiveBoardResyncJob));
        Assert.Contains(services, d => d.ServiceType == typeof(CommandCenter.Jobs.Devices.SilentDevicesJob) || d.ImplementationType == typeof(CommandCenter.Jobs.Devices.SilentDevicesJob));
        Assert.Contains(services, d => d.ServiceType == typeof(CommandCenter.Jobs.Devices.ReadingRollupJob) || d.ImplementationType == typeof(CommandCenter.Jobs.Devices.ReadingRollupJob));
        // The demo simulator is the demo's (CommandCenter.Demo), not the jobs': the missed-schedule catch-up, the report
        // worker (reports asked for on demand), then Quartz.
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        Assert.Equal(3, hosted.Count);
        Assert.Null(hosted[0].ImplementationType); // the factory that hands out MissedScheduleCatchUp
        Assert.Contains(services, d => d.ServiceType == typeof(CommandCenter.Jobs.Scheduling.MissedScheduleCatchUp));
        Assert.Equal(typeof(CommandCenter.Jobs.Reports.ReportWorker), hosted[1].ImplementationType);
        Assert.StartsWith("Quartz", hosted[2].ImplementationType?.Namespace ?? "Quartz", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void AddCommandCenterJobs_NonPositiveTickInterval_ThrowsNamingTheSetting(string interval)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config(("Jobs:BoardTickInterval", interval))));

        Assert.Contains("Jobs:BoardTickInterval", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("2.00:00:00")]
    public void AddCommandCenterJobs_EscalationIntervalOutOfRange_ThrowsNamingTheSetting(string interval)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config(("Jobs:EscalationInterval", interval))));

        Assert.Contains("Jobs:EscalationInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCommandCenterJobs_Defaults_RegistersTheEscalationJob()
    {
        var services = new ServiceCollection().AddCommandCenterJobs(Config());

        Assert.Contains(services, d => d.ServiceType == typeof(CommandCenter.Jobs.Incidents.IncidentEscalationJob) || d.ImplementationType == typeof(CommandCenter.Jobs.Incidents.IncidentEscalationJob));
    }

    [Fact]
    public void AddCommandCenterJobs_InvalidResyncCron_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config(("Jobs:BoardResyncCron", "every hour"))));

        Assert.Contains("Jobs:BoardResyncCron", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jobs:Store", "Disk")]
    [InlineData("Jobs:RunHistoryPerJob", "0")]
    [InlineData("Jobs:MisfireThreshold", "00:00:00")]
    [InlineData("Jobs:ClusterCheckinInterval", "-00:00:01")]
    [InlineData("Jobs:BoardTickInterval", "soon")]
    public void AddCommandCenterJobs_BadSchedulerSetting_ThrowsNamingTheSetting(string setting, string value)
    {
        var ex = Assert.Throws<SettingException>(() => new ServiceCollection().AddCommandCenterJobs(Config((setting, value))));

        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JobSchedules_RequireCron_NamesTheSettingOfAnotherJob()
    {
        var ex = Assert.Throws<SettingException>(() => JobSchedules.RequireCron("Jobs:Scoring:Cron", "0 0 25 * * ?"));

        Assert.Contains("Jobs:Scoring:Cron", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0 0/5 * * * ?", JobSchedules.RequireCron("Jobs:Scoring:Cron", "0 0/5 * * * ?"));
    }

    [Fact]
    public void ProductionAssemblies_CarryNoDemoCode()
    {
        var types = typeof(JobsServiceCollectionExtensions).Assembly.GetTypes()
            .Concat(typeof(DbConnectionFactory).Assembly.GetTypes());

        Assert.DoesNotContain(types, t => t.Name.StartsWith("Demo", StringComparison.Ordinal)
            || t.Name.StartsWith("Simulator", StringComparison.Ordinal)
            || (t.Namespace ?? "").Contains(".Demo", StringComparison.Ordinal)
            || (t.Namespace ?? "").Contains(".Simulation", StringComparison.Ordinal));
    }
}
