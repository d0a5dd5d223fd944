using CommandCenter.Data.Devices;
using CommandCenter.Data.History;
using CommandCenter.Data.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CommandCenter.Jobs.Devices;

/// <summary>Marks silent devices offline and reporting ones online again (see <see cref="SilentDeviceSweeper"/>).</summary>
[DisallowConcurrentExecution]
public sealed class SilentDevicesJob(SilentDeviceSweeper sweeper) : IJob
{
    public static readonly JobKey Key = new("silent-devices", "devices");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sweeper.RunAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>Rolls raw readings up per minute and per hour, catching up after downtime (see <see cref="ReadingRollup"/>).</summary>
[DisallowConcurrentExecution]
public sealed class ReadingRollupJob(ReadingRollup rollup) : IJob
{
    public static readonly JobKey Key = new("reading-rollup", "devices");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await rollup.RunAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>Deletes raw readings and minute roll-ups past their retention, in small batches (see <see cref="ReadingRetention"/>).</summary>
[DisallowConcurrentExecution]
public sealed class ReadingRetentionJob(ReadingRetention retention) : IJob
{
    public static readonly JobKey Key = new("reading-retention", "devices");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await retention.RunAsync(cancellationToken).ConfigureAwait(false);
}

public static class DeviceJobsRegistration
{
    /// <summary>Reads and validates section <c>Devices</c> (throws <see cref="SettingException"/> naming the setting) and registers the services the jobs run.</summary>
    public static HistoryOptions AddDeviceJobServices(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(HistoryOptions.SectionName).Get<HistoryOptions>() ?? new HistoryOptions();
        if (options.Problem() is { } problem) throw new SettingException(problem);
        services.AddSingleton(options);
        services.AddSingleton<SilentDeviceSweeper>();
        services.AddSingleton<ReadingRollup>();
        services.AddSingleton<ReadingRetention>();
        return options;
    }

    /// <summary>The three device jobs on simple schedules from <paramref name="options"/>.</summary>
    public static void AddDeviceJobs(this IQuartzBuilder q, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(options);
        q.AddJob<SilentDevicesJob>(j => j.WithIdentity(SilentDevicesJob.Key));
        q.AddTrigger(t => t.ForJob(SilentDevicesJob.Key).WithIdentity("silent-devices-trigger", "devices")
            .StartAt(DateTimeOffset.UtcNow + options.SilentCheckInterval)
            .WithSimpleSchedule(s => s.WithInterval(options.SilentCheckInterval).RepeatForever()));
        q.AddJob<ReadingRollupJob>(j => j.WithIdentity(ReadingRollupJob.Key));
        q.AddTrigger(t => t.ForJob(ReadingRollupJob.Key).WithIdentity("reading-rollup-trigger", "devices")
            .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20))
            .WithSimpleSchedule(s => s.WithInterval(options.RollupInterval).RepeatForever()));
        q.AddJob<ReadingRetentionJob>(j => j.WithIdentity(ReadingRetentionJob.Key));
        q.AddTrigger(t => t.ForJob(ReadingRetentionJob.Key).WithIdentity("reading-retention-trigger", "devices")
            .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5))
            .WithSimpleSchedule(s => s.WithInterval(options.RetentionInterval).RepeatForever()));
    }
}
