using CommandCenter.Data.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CommandCenter.Jobs.Scheduling;

/// <summary>
/// The scheduler every job of the app runs on: its name, its store (persistent in the app's database by default),
/// clustering on SQL Server, what a missed schedule does, and the listener that records each run in JobRun.
/// Jobs themselves are registered the normal Quartz way (AddJob/AddTrigger) in
/// <see cref="JobsServiceCollectionExtensions.AddCommandCenterJobs"/>.
/// </summary>
public static class QuartzSetup
{
    /// <summary>The scheduler's name: the SCHED_NAME of its rows in the QRTZ_* tables.</summary>
    public const string SchedulerName = "CommandCenter";

    /// <summary>Quartz's table prefix, as migration 0016 creates the tables.</summary>
    public const string TablePrefix = "QRTZ_";

    /// <summary>
    /// Configures the scheduler. <paramref name="provider"/> is the app's <c>Database:Provider</c>: the store uses the
    /// same database (the connection string of the registered <see cref="DbConnectionFactory"/>).
    /// </summary>
    public static IQuartzBuilder UseCommandCenterScheduler(this IQuartzBuilder q, JobsOptions options, DatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(options);
        q.ConfigureScheduler(s =>
        {
            s.InstanceName = SchedulerName;
            // A trigger nobody gave a misfire instruction (any job added later included) fires ONCE when it was missed
            // — while the node was down, or behind a long run — and then keeps to its schedule: for a cron trigger
            // FireAndProceed (FireOnceNow), for a repeating simple trigger "now, with the remaining count".
            s.DefaultMisfireHandling = DefaultMisfireHandling.FireAndProceed;
        });

        // Declared jobs and triggers replace what the store holds under their keys at every start, so a changed
        // setting (a cron, an interval) takes effect; the replacing trigger takes over the replaced one's last fire
        // time, so a schedule missed while the node was down is still seen as missed (and fires once) after a restart.
        q.ConfigureOptions<QuartzOptions>(o =>
        {
            o.Scheduling.OverwriteExistingData = true;
            o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true;
        });

        if (options.IsPersistent)
        {
            q.UsePersistentStore(store =>
            {
                if (provider == DatabaseProvider.Sqlite)
                {
                    store.UseSqlite(ds => ds.DataSourceFactory = sp =>
                        SqliteFactory.Instance.CreateDataSource(sp.GetRequiredService<DbConnectionFactory>().ConnectionString));
                }
                else
                {
                    store.UseSqlServer(ds => ds.DataSourceFactory = sp =>
                        SqlClientFactory.Instance.CreateDataSource(sp.GetRequiredService<DbConnectionFactory>().ConnectionString));
                    // Several nodes on one SQL Server share the schedule: each trigger fires on one node, a node that
                    // stops checking in has its runs recovered by another. Instance ids are generated per node.
                    store.UseClustering(c => c.CheckinInterval = options.ClusterCheckinInterval);
                }

                store.UseSystemTextJsonSerializer(null);
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = TablePrefix;
                    s.MisfireThreshold = options.MisfireThreshold;
                    // The tables come from migration 0016 (our runner): checked at start, never created by Quartz.
                    s.SchemaProvisioning = SchemaProvisioning.Validate;
                });
            });
        }
        else
        {
            q.UseInMemoryStore(s => s.MisfireThreshold = options.MisfireThreshold);
        }

        q.Services.TryAddSingleton(sp => new JobRunListener(
            sp.GetRequiredService<Data.Jobs.JobRunStore>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<JobRunListener>>()));
        q.AddJobListener(sp => sp.GetRequiredService<JobRunListener>());
        return q;
    }
}
