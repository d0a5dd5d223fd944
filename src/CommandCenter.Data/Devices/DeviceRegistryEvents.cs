using Microsoft.Extensions.Logging;

namespace CommandCenter.Data.Devices;

/// <summary>
/// The registry changed (a device added, edited or retired, an import): a version stamp that rises with each change,
/// and subscribers called at once after the commit — the reading handler's sensor-code cache and the live board's
/// re-sync (wired in <see cref="DataServiceCollectionExtensions.AddCommandCenterData"/>). No timer: ingestion sees a change
/// before the API call that made it returns. A subscriber that fails is logged; the change itself is committed already.
/// </summary>
public sealed class DeviceRegistryEvents(ILogger<DeviceRegistryEvents> logger)
{
    private readonly Lock _lock = new();
    private readonly List<Func<string, CancellationToken, Task>> _subscribers = [];
    private long _version;

    /// <summary>Rises by one with every committed registry change.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Subscribe(Func<string, CancellationToken, Task> subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_lock) _subscribers.Add(subscriber);
    }

    /// <summary>Called by the registry's handlers after their transaction committed.</summary>
    public async Task PublishAsync(string reason, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _version);
        Func<string, CancellationToken, Task>[] subscribers;
        lock (_lock) subscribers = [.. _subscribers];
        foreach (var s in subscribers)
        {
            try
            {
                await s(reason, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Device registry subscriber failed after {Reason}", reason);
            }
        }
    }
}
