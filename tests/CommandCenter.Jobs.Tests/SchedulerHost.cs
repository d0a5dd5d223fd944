using CommandCenter.Data.Infrastructure;
using CommandCenter.Data.Jobs;
using CommandCenter.Jobs.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace CommandCenter.Jobs.Tests;

/// <summary>A real SQLite file in a temp folder, migrated by the real runner; schedulers are built on it with <see cref="QuartzSetup"/>.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string folder, DbConnectionFactory factory)
    {
        Folder = folder;
        Factory = factory;
    }

    public string Folder { get; }

    public DbConnectionFactory Factory { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-jobs-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var factory = new DbConnectionFactory(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "test.db")}" });
        await new MigrationRunner(factory, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return new TestDatabase(folder, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is the OS's to clean.
        }
    }
}

/// <summary>What the test jobs did: how often each ran; whether to fail.</summary>
internal sealed class Probe
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public bool Fail { get; set; }

    public void Ran() => Interlocked.Increment(ref _runs);
}

[DisallowConcurrentExecution]
internal sealed class ProbeJob(Probe probe) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        probe.Ran();
        if (probe.Fail)
        {
            throw new InvalidOperationException("the mail server refused: password=hunter2; try later");
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>One scheduler (the app's configuration, a test job) over a <see cref="TestDatabase"/>, and its recorded runs.</summary>
internal sealed class SchedulerHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<JobRunRecord> _recorded = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SchedulerHost(ServiceProvider services, IScheduler scheduler)
    {
        _services = services;
        Scheduler = scheduler;
        services.GetRequiredService<JobRunListener>().Recorded += r =>
        {
            lock (_gate)
            {
                _recorded.Add(r);
                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        };
    }

    public IScheduler Scheduler { get; }

    public IServiceProvider Services => _services;

    public static readonly JobKey ProbeKey = new("probe", "tests");

    /// <summary>Builds (does not start) a scheduler with <see cref="ProbeJob"/> under the trigger <paramref name="trigger"/> describes.</summary>
    public static async Task<SchedulerHost> BuildAsync(TestDatabase db, Probe probe, Action<ITriggerConfigurator<IJob>>? trigger, JobsOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(db.Factory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(probe);
        services.AddSingleton(sp => new JobRunStore(db.Factory, 5));
        services.AddSingleton<JobsService>();
        services.AddSingleton(options ?? new JobsOptions());
        services.AddSingleton<QuartzStoreQueries>();
        services.AddSingleton<MissedScheduleCatchUp>();
        services.AddQuartz(q =>
        {
            q.UseCommandCenterScheduler(options ?? new JobsOptions(), DatabaseProvider.Sqlite);
            q.AddJob<ProbeJob>(j => j.WithIdentity(ProbeKey).StoreDurably().WithDescription("A test job"));
            if (trigger is not null)
            {
                q.AddTrigger(t =>
                {
                    t.ForJob(ProbeKey).WithIdentity("probe-trigger", "tests");
                    trigger(t);
                });
            }
        });
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<MissedScheduleCatchUp>().PrepareAsync();
        return new SchedulerHost(provider, scheduler);
    }

    public IReadOnlyList<JobRunRecord> Recorded
    {
        get
        {
            lock (_gate)
            {
                return [.. _recorded];
            }
        }
    }

    /// <summary>Waits (without sleeping) until at least <paramref name="count"/> runs were recorded.</summary>
    public async Task<IReadOnlyList<JobRunRecord>> WaitForRunsAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_recorded.Count >= count) return [.. _recorded];
                changed = _changed.Task;
            }

            await changed.WaitAsync(cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.Shutdown(waitForJobsToComplete: true);
        await _services.DisposeAsync();
    }
}
