using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Jobs;
using CommandCenter.Jobs.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CommandCenter.Jobs.Tests;

/// <summary>What the scheduler is configured with for each database provider (no server needed: options only).</summary>
public sealed class SchedulerConfigurationTests
{
    private static ServiceProvider Configure(DatabaseProvider provider, JobsOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var connection = provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Server=sql01;Database=CommandCenter;Integrated Security=true";
        var db = new DbConnectionFactory(new DatabaseOptions { Provider = provider.ToString(), ConnectionString = connection });
        services.AddSingleton(db);
        services.AddSingleton(new JobRunStore(db));
        services.AddQuartz(q => q.UseCommandCenterScheduler(options ?? new JobsOptions(), provider));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void SqlServer_IsClustered_WithGeneratedInstanceIds_OnTheMigratedTables()
    {
        using var sp = Configure(DatabaseProvider.SqlServer, new JobsOptions { ClusterCheckinInterval = TimeSpan.FromSeconds(20), MisfireThreshold = TimeSpan.FromSeconds(90) });

        var clustering = sp.GetRequiredService<IOptionsMonitor<ClusteringOptions>>().Get(Options.DefaultName);
        var scheduler = sp.GetRequiredService<IOptionsMonitor<QuartzSchedulerOptions>>().Get(Options.DefaultName);
        var store = sp.GetRequiredService<IOptionsMonitor<AdoJobStoreOptions>>().Get(Options.DefaultName);

        Assert.True(clustering.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(20), clustering.CheckinInterval);
        Assert.True(scheduler.GenerateInstanceId);
        Assert.Equal(QuartzSetup.SchedulerName, scheduler.InstanceName);
        Assert.Equal(DefaultMisfireHandling.FireAndProceed, scheduler.DefaultMisfireHandling);
        Assert.Equal(QuartzSetup.TablePrefix, store.TablePrefix);
        Assert.Equal(SchemaProvisioning.Validate, store.SchemaProvisioning);
        Assert.Equal(TimeSpan.FromSeconds(90), store.MisfireThreshold);
    }

    [Fact]
    public void Sqlite_IsOneNode_NotClustered()
    {
        using var sp = Configure(DatabaseProvider.Sqlite);

        Assert.False(sp.GetRequiredService<IOptionsMonitor<ClusteringOptions>>().Get(Options.DefaultName).Enabled);
        Assert.Equal(DefaultMisfireHandling.FireAndProceed, sp.GetRequiredService<IOptionsMonitor<QuartzSchedulerOptions>>().Get(Options.DefaultName).DefaultMisfireHandling);
        var scheduling = sp.GetRequiredService<IOptionsMonitor<QuartzOptions>>().Get(Options.DefaultName).Scheduling;
        Assert.True(scheduling.OverwriteExistingData);
    }
}
